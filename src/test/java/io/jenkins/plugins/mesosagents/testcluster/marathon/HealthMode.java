package io.jenkins.plugins.mesosagents.testcluster.marathon;

/** What the simulated health checks of an app report for its running tasks. */
public enum HealthMode {
    /** Every check passes. */
    PASS,
    /**
     * Every check fails; a task is killed after the health check's maxConsecutiveFailures (0 =
     * never).
     */
    FAIL,
    /** Each task alternates between passing and failing, one check per step. */
    FLAP
}
