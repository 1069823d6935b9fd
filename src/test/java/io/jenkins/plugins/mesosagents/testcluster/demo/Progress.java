package io.jenkins.plugins.mesosagents.testcluster.demo;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Progress lines on the console, each prefixed with the seconds since the demo started. */
final class Progress {
    private final PrintStream out;
    private final Clock clock;
    private final Instant start;

    Progress(PrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
        this.start = clock.instant();
    }

    Instant start() {
        return start;
    }

    synchronized void line(String text) {
        long millis = Duration.between(start, clock.instant()).toMillis();
        out.printf("[%5.1fs] %s%n", millis / 1000.0, text);
        out.flush();
    }
}
