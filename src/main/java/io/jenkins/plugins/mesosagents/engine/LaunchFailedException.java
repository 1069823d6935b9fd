package io.jenkins.plugins.mesosagents.engine;

/**
 * Why a planned agent did not reach RUNNING: a machine-readable cause and a sentence for the user.
 */
public final class LaunchFailedException extends RuntimeException {

    /** The kind of failure. */
    public enum Cause {
        /**
         * No fitting offer before the launch timeout; the message carries the last wait diagnosis.
         */
        NO_MATCHING_OFFER,
        /**
         * The task was launched but did not reach RUNNING before the launch timeout (it was
         * killed).
         */
        LAUNCH_TIMEOUT,
        /** The task ended before RUNNING (FAILED, ERROR, LOST, DROPPED, ...). */
        TASK_FAILED,
        /** Released by Jenkins, or its template was removed, before it launched. */
        CANCELLED,
        /** The template is not (or no longer) configured. */
        UNKNOWN_TEMPLATE
    }

    private final Cause cause;

    public LaunchFailedException(Cause cause, String message) {
        super(message, null, false, false);
        this.cause = cause;
    }

    public Cause failure() {
        return cause;
    }
}
