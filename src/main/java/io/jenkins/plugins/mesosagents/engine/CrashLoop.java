package io.jenkins.plugins.mesosagents.engine;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-template launch failure tracking: after {@code threshold} consecutive failures a template is
 * not launched for base·2^(failures−threshold), capped. A task reaching RUNNING clears the count
 * only provisionally: Mesos reports RUNNING as soon as the command starts, so an agent that then
 * fails within {@code base} (bad JVM option, cannot reach Jenkins) is a crash, and its failure adds
 * to the streak the RUNNING suspended. Once a template's latest start has survived {@code base},
 * the streak is gone. Loop-confined.
 */
final class CrashLoop {
    /** A template's failure streak. */
    static final class Streak {
        int failures;
        long backoffUntilMillis;
        String lastReason = "";

        /** Failures before the latest RUNNING, restored if that agent crashes within the window. */
        int suspended;

        long provenAtMillis;
    }

    private final int threshold;
    private final Duration base;
    private final Duration max;
    private final Map<String, Streak> streaks = new HashMap<>();

    CrashLoop(int threshold, Duration base, Duration max) {
        this.threshold = threshold;
        this.base = base;
        this.max = max;
    }

    void failure(String template, String reason, long nowMillis) {
        Streak s = streaks.computeIfAbsent(template, k -> new Streak());
        s.failures++;
        s.lastReason = reason;
        if (s.failures >= threshold) {
            int exp = Math.min(20, s.failures - threshold);
            long delay = Math.min(max.toMillis(), base.toMillis() << exp);
            s.backoffUntilMillis = nowMillis + delay;
        }
    }

    void success(String template) {
        streaks.remove(template);
    }

    /**
     * A task of the template reached RUNNING: the streak is suspended until the agent has run for
     * the window.
     */
    void started(String template, long nowMillis) {
        Streak s = streaks.get(template);
        if (s == null) {
            s = new Streak();
            streaks.put(template, s);
        }
        s.suspended += s.failures;
        s.failures = 0;
        s.backoffUntilMillis = 0;
        s.provenAtMillis = nowMillis + base.toMillis();
    }

    /**
     * Whether a task that reached RUNNING at {@code runningSinceMillis} and failed now counts as a
     * crash.
     */
    boolean isCrash(long runningSinceMillis, long nowMillis) {
        return runningSinceMillis > 0 && nowMillis - runningSinceMillis < base.toMillis();
    }

    /**
     * An agent failed within the window after RUNNING: it counts, on top of the failures its start
     * suspended.
     */
    void crashedAfterStart(String template, String reason, long nowMillis) {
        Streak s = streaks.computeIfAbsent(template, k -> new Streak());
        s.failures += s.suspended;
        s.suspended = 0;
        failure(template, reason, nowMillis);
    }

    /** Forgets streaks whose latest start survived the window. */
    void tick(long nowMillis) {
        streaks.values()
                .removeIf(
                        s ->
                                s.failures == 0
                                        && s.provenAtMillis > 0
                                        && s.provenAtMillis <= nowMillis);
    }

    boolean backingOff(String template, long nowMillis) {
        Streak s = streaks.get(template);
        return s != null && s.backoffUntilMillis > nowMillis;
    }

    Streak streak(String template) {
        return streaks.get(template);
    }

    /** Whether a back-off ended since the last call (so demand must be revived). */
    boolean expiredSince(long lastMillis, long nowMillis) {
        for (Streak s : streaks.values()) {
            if (s.backoffUntilMillis > lastMillis && s.backoffUntilMillis <= nowMillis) {
                return true;
            }
        }
        return false;
    }
}
