package io.jenkins.plugins.mesosagents.marathon;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Rolls a failed deploy back the way Marathon does it and reports what really happens. {@code
 * DELETE /v2/deployments/{id}} cancels the deployment and deploys the previous definition as a new
 * version with force=true (DeploymentsResource.scala:68-77 at v1.10.26); that is a configuration
 * change, so every instance restarts, healthy old ones included, and it needs offers like any
 * deployment: it can hang and keep the app locked. Once Marathon has finished a deployment there is
 * nothing to cancel: {@code PUT /v2/apps/{id}} with {@code {"version": v}} deploys the version read
 * before the deploy again (AppHelpers.scala:120-130). Either way the rollback deployment is waited
 * for, at most for the given time, and its outcome becomes part of the message.
 */
final class Rollbacks {
    /** The rollback deployment (null if none started) and the message lines describing it. */
    record Outcome(String deploymentId, String text) {}

    private final MarathonClient client;
    private final Clock clock;
    private final Pacing pacing;

    Rollbacks(MarathonClient client, Clock clock, Pacing pacing) {
        this.client = client;
        this.clock = clock;
        this.pacing = pacing;
    }

    Outcome revertDeployment(
            AppDefinition app,
            DeploymentResult started,
            Duration timeout,
            Duration pollInterval,
            boolean wait)
            throws IOException {
        DeploymentResult rollback;
        try {
            rollback = client.rollbackDeployment(started.deploymentId());
        } catch (MarathonException e) {
            return new Outcome(
                    null,
                    e.status() == 404
                            ? "\n  Not rolled back: the deployment finished in the meantime."
                            : "\n  Rollback FAILED: " + e.getMessage());
        }
        String text =
                started.created()
                        ? "\n  Rolled back: deployment "
                                + rollback.deploymentId()
                                + " removes "
                                + app.id()
                                + ", which this deploy created."
                        : "\n  Rolled back: deployment "
                                + rollback.deploymentId()
                                + " reverts "
                                + app.id()
                                + " to its previous definition as a new version "
                                + rollback.version()
                                + " (a forced deployment); every instance restarts, healthy old"
                                + " ones included.";
        return new Outcome(
                rollback.deploymentId(),
                text + awaitOrSkip(app, rollback, started.created(), timeout, pollInterval, wait));
    }

    Outcome revertToVersion(
            AppDefinition app,
            String previousVersion,
            Duration timeout,
            Duration pollInterval,
            boolean wait)
            throws IOException {
        boolean created = previousVersion == null;
        DeploymentResult rollback;
        try {
            rollback =
                    created
                            ? client.deleteApp(app.id(), true)
                            : client.putAppVersion(app.id(), previousVersion, true);
        } catch (MarathonException e) {
            return new Outcome(null, "\n  Rollback FAILED: " + e.getMessage());
        }
        String text =
                created
                        ? "\n  Rolled back: deployment "
                                + rollback.deploymentId()
                                + " removes "
                                + app.id()
                                + ", which this deploy created."
                        : "\n  Rolled back to version "
                                + previousVersion
                                + " (PUT /v2/apps"
                                + app.id()
                                + " {\"version\": \""
                                + previousVersion
                                + "\"}): deployment "
                                + rollback.deploymentId()
                                + ", new version "
                                + rollback.version()
                                + "; every instance restarts.";
        return new Outcome(
                rollback.deploymentId(),
                text + awaitOrSkip(app, rollback, created, timeout, pollInterval, wait));
    }

    private String awaitOrSkip(
            AppDefinition app,
            DeploymentResult rollback,
            boolean removes,
            Duration timeout,
            Duration pollInterval,
            boolean wait)
            throws IOException {
        if (!wait) {
            return "\n  The build was aborted: not waiting for the rollback; follow deployment "
                    + rollback.deploymentId()
                    + " in Marathon.";
        }
        Instant start = clock.instant();
        Instant end = start.plus(timeout);
        String lastError = null;
        while (true) {
            try {
                boolean running =
                        client.deployments().stream()
                                .anyMatch(d -> d.id().equals(rollback.deploymentId()));
                if (!running) {
                    return "\n  Rollback finished after "
                            + MarathonDeployer.human(Duration.between(start, clock.instant()))
                            + ": "
                            + (removes ? app.id() + " was removed." : progress(app) + ".");
                }
                lastError = null;
            } catch (IOException | MarathonException e) {
                lastError = e.getMessage();
            }
            if (!clock.instant().isBefore(end)) {
                return hanging(app, rollback, timeout, lastError);
            }
            if (!pacing.sleepUnlessInterrupted(pollInterval)) {
                return "\n  Stopped waiting for rollback deployment "
                        + rollback.deploymentId()
                        + ": the build was aborted.";
            }
        }
    }

    private String hanging(
            AppDefinition app, DeploymentResult rollback, Duration timeout, String lastError) {
        StringBuilder text =
                new StringBuilder("\n  Rollback did NOT finish within ")
                        .append(MarathonDeployer.human(timeout))
                        .append(": deployment ")
                        .append(rollback.deploymentId())
                        .append(" is still running");
        try {
            text.append(" (").append(progress(app));
            Optional<LaunchQueueStatus> queue = client.queue(app.id());
            if (queue.isPresent() && queue.get().waiting()) {
                text.append("; ").append(queue.get().detail());
            }
            text.append(')');
        } catch (IOException | MarathonException e) {
            text.append(" (").append(lastError != null ? lastError : e.getMessage()).append(')');
        }
        text.append(". ")
                .append(app.id())
                .append(" stays locked until it finishes, so the next deploy waits for it. Fix the")
                .append(" cause (capacity, constraints), or cancel it with DELETE /v2/deployments/")
                .append(rollback.deploymentId())
                .append("?force=true (leaves the instances as they are).");
        return text.toString();
    }

    private String progress(AppDefinition app) throws IOException {
        Optional<ObjectNode> current = client.app(app.id());
        return current.map(json -> RolloutStatus.of(json).line()).orElse("app gone");
    }
}
