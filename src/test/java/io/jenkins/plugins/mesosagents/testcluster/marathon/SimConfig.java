package io.jenkins.plugins.mesosagents.testcluster.marathon;

import java.time.Duration;

/**
 * How the simulated Marathon behaves beyond the REST contract. {@code marathonSecond} is how long
 * one Marathon second lasts in real time: when set, health-check grace periods and intervals and
 * launch backoff follow the app's values, scaled; when null, every step runs one health check and
 * there is no grace period and no backoff. {@code forceWindowSteps} is how many steps a deployment
 * cancelled by {@code force=true} takes to stop (0: at once). {@code maxRunningDeployments} is
 * Marathon's {@code --max_running_deployments}.
 */
record SimConfig(
        Duration marathonSecond,
        int forceWindowSteps,
        int maxRunningDeployments,
        SimOffers offers) {

    static final SimConfig DEFAULT = new SimConfig(null, 0, 100, SimOffers.unlimited());

    /** {@code seconds} Marathon seconds in real time. */
    Duration seconds(double seconds) {
        return Duration.ofNanos((long) (marathonSecond.toNanos() * seconds));
    }
}
