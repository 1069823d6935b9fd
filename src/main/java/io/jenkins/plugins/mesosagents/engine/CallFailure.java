package io.jenkins.plugins.mesosagents.engine;

import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * Why the master did not accept a scheduler call: the HTTP status and the master's answer, or
 * status 0 when no answer came (connection lost, timed out) — then the call may or may not have
 * taken effect.
 */
public final class CallFailure extends RuntimeException {
    private final Call.Type type;
    private final int status;
    private final String answer;

    public CallFailure(Call.Type type, int status, String answer, Throwable cause) {
        super(describe(type, status, answer), cause);
        this.type = type;
        this.status = status;
        this.answer = answer == null ? "" : answer;
    }

    public Call.Type type() {
        return type;
    }

    /** The HTTP status, 0 when the master did not answer. */
    public int status() {
        return status;
    }

    /** The master's answer body, or what went wrong when it did not answer. */
    public String answer() {
        return answer;
    }

    /** True when the master answered (refused); false when the call may still have taken effect. */
    public boolean answered() {
        return status > 0;
    }

    /** "REVIVE refused by the master: HTTP 400 …" or "ACCEPT got no answer from the master (…)". */
    public String summary() {
        return getMessage();
    }

    private static String describe(Call.Type type, int status, String answer) {
        String a = answer == null ? "" : answer.strip();
        if (a.length() > 300) {
            a = a.substring(0, 300) + "…";
        }
        return status > 0
                ? type + " refused by the master: HTTP " + status + (a.isEmpty() ? "" : " " + a)
                : type + " got no answer from the master" + (a.isEmpty() ? "" : " (" + a + ")");
    }
}
