package io.jenkins.plugins.mesosagents.engine;

import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.scheduler.Protos.Call;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs the reconciliation algorithm of the Mesos docs: after each (re)subscription and
 * periodically, ask for all tasks (implicit) and explicitly for the non-terminal ones, then keep
 * asking, with truncated exponential backoff, for those that sent no update since the round began.
 * Loop-confined.
 */
final class Reconciler {
    private final Duration interval;
    private final Duration retryMin;
    private final Duration retryMax;
    private boolean active;
    private long roundStartMillis;
    private long nextRetryMillis;
    private long retryMillis;
    private long nextRoundMillis = Long.MAX_VALUE;
    private boolean completedOnce;

    Reconciler(Duration interval, Duration retryMin, Duration retryMax) {
        this.interval = interval;
        this.retryMin = retryMin;
        this.retryMax = retryMax;
    }

    void begin(FrameworkID fw, TaskBook book, long now, Consumer<Call> out) {
        active = true;
        roundStartMillis = now;
        retryMillis = retryMin.toMillis();
        nextRetryMillis = now + retryMillis;
        nextRoundMillis = now + interval.toMillis();
        List<String[]> explicit = outstanding(book, Long.MAX_VALUE);
        if (!explicit.isEmpty()) {
            out.accept(MesosCalls.reconcile(fw, explicit));
        }
        out.accept(MesosCalls.reconcile(fw, List.of()));
    }

    void tick(FrameworkID fw, TaskBook book, long now, Consumer<Call> out) {
        if (active && now >= nextRetryMillis) {
            List<String[]> remaining = outstanding(book, roundStartMillis);
            if (remaining.isEmpty()) {
                active = false;
                completedOnce = true;
            } else {
                out.accept(MesosCalls.reconcile(fw, remaining));
                retryMillis = Math.min(retryMax.toMillis(), retryMillis * 2);
                nextRetryMillis = now + retryMillis;
            }
        } else if (!active && now >= nextRoundMillis) {
            begin(fw, book, now, out);
        }
    }

    /** Stops the round (disconnected); the next SUBSCRIBED begins a new one. */
    void stop() {
        active = false;
        nextRoundMillis = Long.MAX_VALUE;
    }

    boolean active() {
        return active;
    }

    /**
     * True once a round finished with every task accounted for; orphan and lost-agent checks wait
     * for it.
     */
    boolean completedOnce() {
        return completedOnce;
    }

    private static List<String[]> outstanding(TaskBook book, long updatedBefore) {
        List<String[]> out = new ArrayList<>();
        for (TrackedTask t : book.all()) {
            // an update in the very millisecond the round began may predate it: ask again rather
            // than miss it
            if (t.lastUpdateMillis <= updatedBefore) {
                out.add(new String[] {t.taskId(), t.agentId});
            }
        }
        return out;
    }
}
