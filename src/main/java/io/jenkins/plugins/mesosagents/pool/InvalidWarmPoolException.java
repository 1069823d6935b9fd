package io.jenkins.plugins.mesosagents.pool;

/** A warm-pool setting that cannot be used; the message names the field, the value and the fix. */
public final class InvalidWarmPoolException extends IllegalArgumentException {
    public InvalidWarmPoolException(String message) {
        super(message);
    }
}
