package io.jenkins.plugins.mesosagents.mesos.internal;

/** Shortens response bodies for exception text. */
public final class Bodies {
    private static final int MAX = 500;

    private Bodies() {}

    public static String excerpt(String body) {
        if (body == null || body.isBlank()) {
            return "(empty body)";
        }
        String oneLine = body.strip();
        return oneLine.length() <= MAX
                ? "\"" + oneLine + "\""
                : "\"" + oneLine.substring(0, MAX) + "…\" (truncated)";
    }
}
