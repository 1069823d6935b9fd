package io.jenkins.plugins.mesosagents;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Watches for secret values where they must never appear: every JUL record of every logger at every
 * level (formatted, with its exception's stack trace and causes), and whatever texts a test adds
 * (exception traces, status texts, JSON pages). Secrets are canary strings that occur nowhere else,
 * so any occurrence is a leak. Close it to restore the loggers.
 */
public final class SecretCanary implements AutoCloseable {
    private final List<String> secrets = new CopyOnWriteArrayList<>();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final Logger root = LogManager.getLogManager().getLogger("");
    private final Level rootLevel = root.getLevel();
    private final Handler capture =
            new Handler() {
                private final SimpleFormatter formatter = new SimpleFormatter();

                @Override
                public void publish(LogRecord record) {
                    seen.add("log " + record.getLoggerName() + ": " + formatter.format(record));
                }

                @Override
                public void flush() {}

                @Override
                public void close() {}
            };

    private SecretCanary(List<String> secrets) {
        this.secrets.addAll(secrets);
        capture.setLevel(Level.ALL);
        root.setLevel(Level.ALL);
        root.addHandler(capture);
    }

    /** Starts capturing every log record; {@code secrets} are the canary values to look for. */
    public static SecretCanary watch(String... secrets) {
        return new SecretCanary(List.of(secrets));
    }

    /** Adds a secret learnt while the test runs (a token a server issued). */
    public void secret(String value) {
        if (value != null && value.length() >= 8) {
            secrets.add(value);
        }
    }

    /** Adds a text that users or operators can see (a message, a page, a JSON document). */
    public void shown(String where, Object text) {
        seen.add(where + ": " + text);
    }

    /** Adds an exception with its whole chain, as a log or a build's console would print it. */
    public void thrown(String where, Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        seen.add(where + ": " + e + "\n" + trace);
    }

    /** How many log records were captured: a check that the capture saw the code run. */
    public int logRecords() {
        return (int) seen.stream().filter(s -> s.startsWith("log ")).count();
    }

    /** Fails naming each place a secret appeared. */
    public void assertNoLeak() {
        List<String> leaks = new ArrayList<>();
        for (String text : seen) {
            for (String secret : secrets) {
                int at = text.indexOf(secret);
                if (at >= 0) {
                    int colon = text.indexOf(':');
                    leaks.add(
                            "secret '"
                                    + secret
                                    + "' in "
                                    + text.substring(0, Math.max(colon, 0))
                                    + ": …"
                                    + text.substring(
                                            Math.max(0, at - 150),
                                            Math.min(text.length(), at + secret.length() + 50))
                                    + "…");
                }
            }
        }
        assertThat(leaks).as("places a secret appeared").isEmpty();
    }

    @Override
    public void close() {
        root.removeHandler(capture);
        root.setLevel(rootLevel);
    }
}
