package io.jenkins.plugins.mesosagents.marathon;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the polls of one rollout have shown: the latest {@link RolloutStatus}, the progress line
 * (printed when it changes, with the launch queue's reason while instances wait), the distinct task
 * failures of the new version, and the deadline, which a derived {@link RolloutTiming} moves on
 * whenever another instance becomes healthy (ready).
 */
final class RolloutProgress {
    private final Clock clock;
    private final DeployListener listener;
    private final String appId;
    private final String version;
    private final RolloutTiming derived;
    private final Map<String, String> failures = new LinkedHashMap<>();
    private Instant deadline;
    private int mostReady;
    private RolloutStatus status;
    private String lastLine;

    /** {@code derived} is null for a fixed deadline. */
    RolloutProgress(
            Clock clock,
            DeployListener listener,
            String appId,
            String version,
            RolloutTiming derived,
            Instant deadline) {
        this.clock = clock;
        this.listener = listener;
        this.appId = appId;
        this.version = version;
        this.derived = derived;
        this.deadline = deadline;
    }

    RolloutStatus status() {
        return status;
    }

    /** Task failures of the new version by task id (live view, most recent last). */
    Map<String, String> failures() {
        return failures;
    }

    Instant deadline() {
        return deadline;
    }

    void observe(ObjectNode app, LaunchQueueStatus queue) {
        status = RolloutStatus.of(app);
        String line =
                status.line() + (queue != null && queue.waiting() ? "; " + queue.reason() : "");
        if (!line.equals(lastLine)) {
            lastLine = line;
            listener.info(appId + ": " + line);
        }
        if (status.lastTaskFailureId() != null
                && version != null
                && status.lastTaskFailureVersion() != null
                && status.lastTaskFailureVersion().compareTo(version) >= 0) {
            // one entry per task: a health-check kill seen before is replaced by Marathon's record
            String id = status.lastTaskFailureId();
            failures.put(id.substring(0, id.lastIndexOf('@')), status.lastTaskFailure());
        }
        status.healthKills()
                .forEach(
                        (task, problem) ->
                                failures.putIfAbsent(
                                        task,
                                        problem
                                                + " (Marathon kills it at"
                                                + " maxConsecutiveFailures)"));
        int ready =
                status.healthChecked() ? status.healthy() : status.running() - status.notReady();
        if (ready > mostReady) {
            mostReady = ready;
            extendDeadline(ready);
        }
    }

    private void extendDeadline(int ready) {
        if (derived == null) {
            return;
        }
        int left = Math.max(1, status.wanted() - ready);
        long batches =
                Math.max(1, (long) Math.ceil(derived.batches() * (double) left / status.wanted()));
        Instant extended = clock.instant().plus(derived.perBatch().multipliedBy(batches));
        if (extended.isAfter(deadline)) {
            deadline = extended;
        }
    }
}
