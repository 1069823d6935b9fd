package io.jenkins.plugins.mesosagents.marathon;

import java.util.List;

/**
 * Marathon answered with an error status (or could not be reached: status 0). The message says
 * which request failed and Marathon's own explanation, including its validation details; it never
 * contains credentials.
 */
public class MarathonException extends RuntimeException {
    private final int status;
    private final List<String> details;

    public MarathonException(int status, String message, List<String> details) {
        super(message);
        this.status = status;
        this.details = List.copyOf(details);
    }

    public MarathonException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
        this.details = List.of();
    }

    /** The HTTP status, or 0 when no response arrived. */
    public int status() {
        return status;
    }

    /** Marathon's validation details as "path: error" lines (400/422), otherwise empty. */
    public List<String> details() {
        return details;
    }
}
