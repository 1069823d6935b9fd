package io.jenkins.plugins.mesosagents.marathon;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;

/**
 * How long a rollout of an app definition may reasonably take, read from its health checks,
 * readiness checks, upgrade strategy and instance count with Marathon's defaults (HealthCheck.scala
 * :402-405 and ReadinessCheck.scala:30-31 at v1.10.26: grace 300 s, interval 60 s, timeout 20 s, 3
 * failures; readiness interval 30 s). Marathon replaces instances in batches
 * (TaskReplaceActor.scala:342-389): ⌊n·(1+maximumOverCapacity)⌋ − ⌈n·minimumHealthCapacity⌉ at a
 * time, at least one. Each batch gets a launch allowance plus the grace period and one interval (a
 * healthy task passes within that) plus a readiness interval. {@link #settle()} is how long a
 * health check needs to kill a task that turned bad: (maxConsecutiveFailures + 1) intervals plus
 * the check's timeout (the kill happens on the check after the count reached the maximum,
 * HealthCheckActor .scala:163-164), at least 30 s.
 */
public record RolloutTiming(int batches, Duration perBatch, Duration settle) {
    static final Duration LAUNCH_ALLOWANCE = Duration.ofSeconds(60);
    static final Duration MINIMUM_SETTLE = Duration.ofSeconds(30);

    public static RolloutTiming of(JsonNode definition) {
        int instances = Math.max(1, definition.path("instances").asInt(1));
        JsonNode strategy = definition.path("upgradeStrategy");
        double minimumHealth = strategy.path("minimumHealthCapacity").asDouble(1.0);
        double maximumOver = strategy.path("maximumOverCapacity").asDouble(1.0);
        int minHealthy = (int) Math.ceil(instances * minimumHealth);
        int maxCapacity = (int) Math.floor(instances * (1 + maximumOver));
        int batch = Math.max(1, maxCapacity - minHealthy);
        int batches = (instances + batch - 1) / batch;
        Duration perBatch = LAUNCH_ALLOWANCE;
        Duration settle = MINIMUM_SETTLE;
        JsonNode check = definition.path("healthChecks").path(0);
        if (check.isObject()) {
            Duration interval = Duration.ofSeconds(check.path("intervalSeconds").asLong(60));
            perBatch =
                    perBatch.plusSeconds(check.path("gracePeriodSeconds").asLong(300))
                            .plus(interval);
            int failures = check.path("maxConsecutiveFailures").asInt(3);
            Duration kill =
                    interval.multipliedBy(failures + 1L)
                            .plusSeconds(check.path("timeoutSeconds").asLong(20));
            if (failures > 0 && kill.compareTo(settle) > 0) {
                settle = kill;
            }
        }
        JsonNode readiness = definition.path("readinessChecks").path(0);
        if (readiness.isObject()) {
            perBatch = perBatch.plusSeconds(readiness.path("intervalSeconds").asLong(30));
        }
        return new RolloutTiming(batches, perBatch, settle);
    }

    /** The whole rollout: every batch. */
    public Duration total() {
        return perBatch.multipliedBy(batches);
    }

    /** "4 batch(es) of up to 6 min 10 s" for messages. */
    public String describe() {
        return batches
                + " batch(es) of up to "
                + MarathonDeployer.human(perBatch)
                + " each, extended while instances keep becoming healthy";
    }
}
