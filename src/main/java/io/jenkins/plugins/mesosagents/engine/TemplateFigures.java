package io.jenkins.plugins.mesosagents.engine;

import java.util.Map;

/**
 * What a template has done since the engine started: agents whose task reached TASK_RUNNING, launch
 * failures counted by reason (the Mesos state and reason, {@code LAUNCH_TIMEOUT} or {@code
 * NO_MATCHING_OFFER}), and the time from Jenkins asking for an agent until it connected (p50/p95 in
 * milliseconds over the last {@code samples} agents, -1 when none connected yet).
 */
public record TemplateFigures(
        long launched,
        Map<String, Long> failedByReason,
        long p50Millis,
        long p95Millis,
        int samples) {
    public TemplateFigures {
        failedByReason = Map.copyOf(failedByReason);
    }

    static final TemplateFigures NONE = new TemplateFigures(0, Map.of(), -1, -1, 0);

    public long failed() {
        return failedByReason.values().stream().mapToLong(Long::longValue).sum();
    }
}
