package io.jenkins.plugins.mesosagents.mesos;

import io.jenkins.plugins.mesosagents.mesos.internal.Bodies;

import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * A scheduler call the master did not accept, or that never reached it. Carries the call type, the
 * HTTP status (0 when there was no response) and the response body as the master wrote it.
 */
public final class MesosCallException extends Exception {
    private final Call.Type callType;
    private final int status;
    private final String body;

    public MesosCallException(
            Call.Type callType, String endpoint, int status, String body, Throwable cause) {
        super(
                callType
                        + " call to "
                        + endpoint
                        + " failed: "
                        + (status == 0
                                ? "no response ("
                                        + (cause == null ? "unknown" : cause.getMessage())
                                        + ")"
                                : "HTTP " + status + " " + Bodies.excerpt(body))
                        + hint(status),
                cause);
        this.callType = callType;
        this.status = status;
        this.body = body == null ? "" : body;
    }

    public Call.Type callType() {
        return callType;
    }

    /** The HTTP status, or 0 if no response arrived (connection refused, timeout, cancelled). */
    public int status() {
        return status;
    }

    public String body() {
        return body;
    }

    private static String hint(int status) {
        return switch (status) {
            case 401 -> " (authentication failed: check the principal/secret or service account)";
            case 403 ->
                    " (the framework is not subscribed right now, or its principal may not use"
                            + " these roles)";
            case 307 ->
                    " (that master is no longer the leader; the connection re-subscribes to the new"
                            + " one)";
            case 503 -> " (no leader elected or the master is still recovering; retry later)";
            case 0 -> " (the call may or may not have taken effect)";
            default -> "";
        };
    }
}
