package io.jenkins.plugins.mesosagents.engine;

import org.apache.mesos.v1.Protos.FrameworkID;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the reconciliation algorithm of the Mesos docs: after each (re)subscription and
 * periodically, ask for all tasks (implicit) and explicitly for the non-terminal ones, then keep
 * asking, with truncated exponential backoff, for those that sent no update since the round began.
 * A round counts only from calls the master accepted: until the implicit RECONCILE of a round is
 * accepted the round is sent again at each retry, so "not found by reconciliation" is never
 * concluded from a call the master refused. Loop-confined.
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

    /** The round's implicit RECONCILE was accepted: answers for every known task will come. */
    private boolean implicitAccepted;

    private int inFlight;
    private int round;

    Reconciler(Duration interval, Duration retryMin, Duration retryMax) {
        this.interval = interval;
        this.retryMin = retryMin;
        this.retryMax = retryMax;
    }

    void begin(FrameworkID fw, TaskBook book, long now, EngineCore out) {
        active = true;
        round++;
        roundStartMillis = now;
        retryMillis = retryMin.toMillis();
        nextRetryMillis = now + retryMillis;
        nextRoundMillis = now + interval.toMillis();
        implicitAccepted = false;
        inFlight = 0;
        sendRound(fw, book, out);
    }

    private void sendRound(FrameworkID fw, TaskBook book, EngineCore out) {
        List<TrackedTask> explicit = outstanding(book, Long.MAX_VALUE);
        if (!explicit.isEmpty()) {
            sendExplicit(fw, explicit, out);
        }
        int sentIn = round;
        inFlight++;
        out.send(
                MesosCalls.reconcile(fw, List.of()),
                (at, failure) -> {
                    if (sentIn == round) {
                        inFlight--;
                        implicitAccepted |= failure == null;
                    }
                });
    }

    private void sendExplicit(FrameworkID fw, List<TrackedTask> tasks, EngineCore out) {
        List<String[]> named = new ArrayList<>(tasks.size());
        for (TrackedTask t : tasks) {
            named.add(new String[] {t.taskId(), t.agentId});
            if (t.relaunchable != null && !t.acceptAnswered) {
                t.reconciledBeforeAccepted = true;
            }
        }
        int sentIn = round;
        inFlight++;
        out.send(
                MesosCalls.reconcile(fw, named),
                (at, failure) -> {
                    if (sentIn == round) {
                        inFlight--;
                    }
                });
    }

    void tick(FrameworkID fw, TaskBook book, long now, EngineCore out) {
        if (active && now >= nextRetryMillis) {
            if (inFlight > 0) {
                return; // wait for the master's answers before judging the round
            }
            retryMillis = Math.min(retryMax.toMillis(), retryMillis * 2);
            nextRetryMillis = now + retryMillis;
            if (!implicitAccepted) {
                sendRound(fw, book, out);
                return;
            }
            List<TrackedTask> remaining = outstanding(book, roundStartMillis);
            if (remaining.isEmpty()) {
                active = false;
                completedOnce = true;
            } else {
                sendExplicit(fw, remaining, out);
            }
        } else if (!active && now >= nextRoundMillis) {
            begin(fw, book, now, out);
        }
    }

    /** Stops the round (disconnected); the next SUBSCRIBED begins a new one. */
    void stop() {
        active = false;
        round++;
        inFlight = 0;
        nextRoundMillis = Long.MAX_VALUE;
    }

    boolean active() {
        return active;
    }

    /**
     * True once a round the master accepted finished with every task accounted for; orphan and
     * lost-agent checks wait for it.
     */
    boolean completedOnce() {
        return completedOnce;
    }

    private static List<TrackedTask> outstanding(TaskBook book, long updatedBefore) {
        List<TrackedTask> out = new ArrayList<>();
        for (TrackedTask t : book.all()) {
            // an update in the very millisecond the round began may predate it: ask again rather
            // than miss it
            if (t.lastUpdateMillis <= updatedBefore) {
                out.add(t);
            }
        }
        return out;
    }
}
