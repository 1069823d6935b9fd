package io.jenkins.plugins.mesosagents.marathon;

import java.util.List;

/**
 * HTTP 409 on a deployable call: the app is locked by running deployments (their ids are known).
 */
public final class AppLockedException extends MarathonException {
    private final List<String> deploymentIds;

    public AppLockedException(String message, List<String> deploymentIds) {
        super(409, message, List.of());
        this.deploymentIds = List.copyOf(deploymentIds);
    }

    public List<String> deploymentIds() {
        return deploymentIds;
    }
}
