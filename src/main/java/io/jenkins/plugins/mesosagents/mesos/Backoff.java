package io.jenkins.plugins.mesosagents.mesos;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Truncated exponential backoff with jitter: attempt {@code n} (0-based) waits {@code min(max,
 * initial × multiplier^n)}, reduced by a random fraction of up to {@code jitter} of itself, so that
 * many frameworks reconnecting after a master failover do not stampede the new leader. Every
 * reconnect path of the scheduler connection uses one of these.
 */
public record Backoff(Duration initial, Duration max, double multiplier, double jitter) {

    /**
     * 0.5 s, 1 s, 2 s … capped at 15 s (the maximum the Mesos scheduler HTTP API docs suggest),
     * jitter 50 %.
     */
    public static final Backoff DEFAULT =
            new Backoff(Duration.ofMillis(500), Duration.ofSeconds(15), 2.0, 0.5);

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException(
                    "Backoff initial delay must be positive, was " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException(
                    "Backoff max delay " + max + " is shorter than the initial delay " + initial);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException(
                    "Backoff multiplier must be a finite number >= 1, was " + multiplier);
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException(
                    "Backoff jitter must be between 0 and 1, was " + jitter);
        }
    }

    /**
     * The delay before retry number {@code attempt} (0 = first retry), drawing jitter from {@code
     * random}.
     */
    public Duration delay(int attempt, RandomGenerator random) {
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must be >= 0, was " + attempt);
        }
        double ceilingNanos = max.toNanos();
        double nanos = initial.toNanos() * Math.pow(multiplier, attempt);
        double capped = Math.min(ceilingNanos, nanos); // pow overflows to +Infinity, min handles it
        double jittered = capped * (1.0 - jitter * random.nextDouble());
        return Duration.ofNanos((long) jittered);
    }

    public Backoff withJitter(double newJitter) {
        return new Backoff(initial, max, multiplier, newJitter);
    }
}
