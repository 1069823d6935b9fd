package io.jenkins.plugins.mesosagents.testcluster.demo;

import java.time.Instant;
import java.util.List;

/**
 * What happened to one build: where it ran and when each phase began (null when it never came):
 * queued, the agent's LAUNCH seen by the master, its task RUNNING, the agent online, the build
 * started on it and done. {@code reused} says the agent had run an earlier build; {@code
 * asExpected} whether the outcome is the one the plan asked for (success, or the expected
 * launch-failure reason).
 */
record BuildReport(
        String id,
        String label,
        String template,
        String agent,
        String host,
        boolean singleUse,
        boolean reused,
        Instant queued,
        Instant launch,
        Instant running,
        Instant online,
        Instant started,
        Instant done,
        String result,
        String reason,
        boolean expectedFailure,
        boolean asExpected,
        List<String> output) {
    BuildReport {
        output = List.copyOf(output);
    }
}
