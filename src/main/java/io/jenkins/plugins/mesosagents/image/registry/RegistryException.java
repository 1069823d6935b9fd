package io.jenkins.plugins.mesosagents.image.registry;

import java.io.IOException;

/**
 * A registry operation that failed, with a {@link Reason} to branch on and a message a user can act
 * on.
 */
public final class RegistryException extends IOException {
    /** What went wrong, coarsely. */
    public enum Reason {
        BAD_CREDENTIALS,
        PERMISSION_DENIED,
        NOT_FOUND,
        DIGEST_MISMATCH,
        INVALID_REQUEST,
        UNAVAILABLE,
        /** 429 beyond what is worth waiting for: repeating at once makes it worse. */
        RATE_LIMITED,
        NOT_A_REGISTRY,
    }

    private final Reason reason;
    private final int status;

    public RegistryException(Reason reason, int status, String message) {
        super(message);
        this.reason = reason;
        this.status = status;
    }

    public RegistryException(Reason reason, int status, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.status = status;
    }

    public Reason reason() {
        return reason;
    }

    /** The HTTP status that caused it, or 0. */
    public int status() {
        return status;
    }
}
