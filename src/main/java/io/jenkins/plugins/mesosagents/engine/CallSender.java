package io.jenkins.plugins.mesosagents.engine;

import org.apache.mesos.v1.scheduler.Protos.Call;

import java.time.Clock;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Sends the engine's calls through its {@link MesosOutbox} and brings the master's answers back
 * onto the engine loop as steps, dropping answers that belong to an earlier subscription. Also the
 * retry timing for refused calls: the Mesos client's backoff, with jitter from a seeded generator
 * so that a test run is repeatable. Loop-confined.
 */
final class CallSender {
    /** What to do once the master answered a call: {@code failure} is null when it accepted it. */
    @FunctionalInterface
    interface Outcome {
        void done(long now, CallFailure failure);
    }

    private final MesosOutbox outbox;
    private final Clock clock;
    private final SplittableRandom jitter;

    /** Runs a step on the engine loop later; set by {@link ProvisioningEngine}. */
    Consumer<Runnable> reenter = Runnable::run;

    /** Counts subscriptions and disconnections: an answer to a call of an earlier one is stale. */
    private int epoch;

    CallSender(MesosOutbox outbox, Clock clock, long seed) {
        this.outbox = outbox;
        this.clock = clock;
        this.jitter = new SplittableRandom(seed);
    }

    /** The subscription changed: answers to calls sent before are ignored. */
    void newEpoch() {
        epoch++;
    }

    /**
     * Sends a call; {@code outcome} (may be null) runs on the engine loop once the master answered,
     * unless the subscription changed in between.
     */
    void send(Call call, Outcome outcome) {
        CompletionStage<Void> answer;
        try {
            answer = outbox.submit(call);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        if (outcome == null) {
            return;
        }
        CompletableFuture<Void> done = answer.toCompletableFuture();
        if (done.isDone() && !done.isCompletedExceptionally()) {
            // accepted already (an outbox that does not wait for the master): no extra loop step
            outcome.done(clock.millis(), null);
            return;
        }
        int sentIn = epoch;
        answer.whenComplete(
                (ok, error) ->
                        reenter.accept(
                                () -> {
                                    if (sentIn == epoch) {
                                        outcome.done(
                                                clock.millis(),
                                                error == null ? null : failure(call, error));
                                    }
                                }));
    }

    private static CallFailure failure(Call call, Throwable error) {
        Throwable e =
                error instanceof CompletionException && error.getCause() != null
                        ? error.getCause()
                        : error;
        return e instanceof CallFailure f
                ? f
                : new CallFailure(call.getType(), 0, String.valueOf(e.getMessage()), e);
    }

    /**
     * The wait before retry {@code attempt} (0-based) of a failed call: the Mesos client's backoff
     * (0.5 s doubling to 15 s, up to 50 % jitter).
     */
    long retryDelayMillis(int attempt) {
        double ceiling = Math.min(15_000, 500 * Math.pow(2, Math.min(attempt, 10)));
        return (long) (ceiling * (1 - 0.5 * jitter.nextDouble()));
    }

    static String inSeconds(long millis) {
        return millis < 1000
                ? String.format(Locale.ROOT, "%.1f s", millis / 1000.0)
                : Math.round(millis / 1000.0) + " s";
    }
}
