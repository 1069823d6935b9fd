package io.jenkins.plugins.mesosagents.pool;

import java.time.Duration;

/**
 * The most builds queued for a template within {@code span} of each other, seen during the last
 * {@code window} (shorter when the template has been observed for less): what {@link PoolPlanner}
 * weighs against the arrival rate to tell builds triggered together from chance clusters.
 */
public record Burst(int builds, Duration span, Duration window) {
    public static final Burst NONE = new Burst(0, Duration.ofSeconds(1), Duration.ofSeconds(1));

    public Burst {
        if (span.isZero() || span.isNegative() || window.isNegative()) {
            throw new IllegalArgumentException("a burst needs a positive span: " + span);
        }
    }
}
