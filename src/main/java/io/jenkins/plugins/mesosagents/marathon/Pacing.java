package io.jenkins.plugins.mesosagents.marathon;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;

/**
 * Waiting between polls and turning an abort (interrupt) into the deploy's failure: the interrupt
 * is cleared so that the rollback call can still run, then set again.
 */
final class Pacing {
    /** Builds the failure (and runs its rollback) when the build is aborted. */
    interface Failure {
        DeployFailedException get() throws IOException;
    }

    private final Sleeper sleeper;

    Pacing(Sleeper sleeper) {
        this.sleeper = sleeper;
    }

    void sleep(Duration interval, Failure onAbort) throws IOException {
        try {
            sleeper.sleep(interval);
        } catch (InterruptedException e) {
            throw aborted(onAbort);
        }
    }

    /** Sleeps; false when interrupted (the interrupt flag is set again). */
    boolean sleepUnlessInterrupted(Duration interval) {
        try {
            sleeper.sleep(interval);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static DeployFailedException aborted(Failure onAbort) throws IOException {
        Thread.interrupted();
        try {
            return onAbort.get();
        } finally {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * OkHttp reports an interrupt during a call as InterruptedIOException("interrupted"); timeouts
     * are not aborts.
     */
    static boolean isInterrupt(InterruptedIOException e) {
        return !(e instanceof java.net.SocketTimeoutException)
                && (Thread.currentThread().isInterrupted() || "interrupted".equals(e.getMessage()));
    }
}
