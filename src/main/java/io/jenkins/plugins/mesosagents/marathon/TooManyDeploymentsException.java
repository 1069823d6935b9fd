package io.jenkins.plugins.mesosagents.marathon;

import java.util.List;

/**
 * HTTP 403 because Marathon already runs {@code --max_running_deployments} deployments
 * (TooManyRunningDeploymentsException, Exception.scala:39-44 at v1.10.26): a matter of waiting, not
 * of permissions.
 */
public final class TooManyDeploymentsException extends MarathonException {
    public TooManyDeploymentsException(String message) {
        super(403, message, List.of());
    }
}
