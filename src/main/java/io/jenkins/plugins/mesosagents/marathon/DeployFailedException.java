package io.jenkins.plugins.mesosagents.marathon;

/**
 * The deploy did not reach a healthy rollout. The message says what happened (deadline, task
 * failures, a superseding deployment, the app staying locked), the last task failure and
 * health-check results, and whether and how it was rolled back. {@link #rollbackDeploymentId()} is
 * null when nothing was rolled back.
 */
public final class DeployFailedException extends RuntimeException {
    /** Why the deploy failed. */
    public enum Reason {
        DEADLINE,
        TASK_FAILURES,
        SUPERSEDED,
        LOCKED,
        ABORTED,
        /** Marathon kept refusing new deployments (--max_running_deployments reached). */
        TOO_MANY_DEPLOYMENTS
    }

    private final Reason reason;
    private final String deploymentId;
    private final String rollbackDeploymentId;

    public DeployFailedException(
            Reason reason, String message, String deploymentId, String rollbackDeploymentId) {
        super(message);
        this.reason = reason;
        this.deploymentId = deploymentId;
        this.rollbackDeploymentId = rollbackDeploymentId;
    }

    public Reason reason() {
        return reason;
    }

    /** The deployment that failed (null when it never started, e.g. the app stayed locked). */
    public String deploymentId() {
        return deploymentId;
    }

    public String rollbackDeploymentId() {
        return rollbackDeploymentId;
    }
}
