package io.jenkins.plugins.mesosagents.pool;

import java.time.Duration;
import java.time.Instant;

/**
 * The recent arrival rate of builds for one template: the times of the last {@code capacity}
 * arrivals in a ring of longs (memory fixed), and the rate over a window as arrivals in it divided
 * by its length. A window longer than what has been observed is shortened to the observation time,
 * but never below {@link #MIN_OBSERVATION}, so one early arrival does not read as a storm.
 */
final class ArrivalRate {
    static final Duration MIN_OBSERVATION = Duration.ofSeconds(30);

    private final long[] ring;
    private final Instant observedSince;
    private int size;
    private int next;

    ArrivalRate(int capacity, Instant observedSince) {
        this.ring = new long[Math.max(1, capacity)];
        this.observedSince = observedSince;
    }

    void arrived(Instant at) {
        ring[next] = at.toEpochMilli();
        next = (next + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
    }

    /**
     * The most arrivals seen within any {@code span} during the {@code window} before {@code now}:
     * builds triggered together (a push starting several jobs) need that many agents at once, which
     * a rate alone does not show.
     */
    int largestBurst(Instant now, Duration window, Duration span) {
        long nowMs = now.toEpochMilli();
        long since = nowMs - window.toMillis();
        long[] times = new long[size];
        int n = 0;
        for (int i = 0; i < size; i++) {
            // oldest first: the ring's next slot holds the oldest once it has wrapped
            long t = ring[(size == ring.length ? next + i : i) % ring.length];
            if (t > since && t <= nowMs) {
                times[n++] = t;
            }
        }
        int best = 0;
        int first = 0;
        for (int last = 0; last < n; last++) {
            while (times[last] - times[first] >= span.toMillis()) {
                first++;
            }
            best = Math.max(best, last - first + 1);
        }
        return best;
    }

    /**
     * The part of the {@code window} before {@code now} that has been observed, at least {@link
     * #MIN_OBSERVATION}.
     */
    Duration observed(Instant now, Duration window) {
        long observed = Math.max(now.toEpochMilli() - observedSince.toEpochMilli(), 0);
        return Duration.ofMillis(
                Math.max(Math.min(window.toMillis(), observed), MIN_OBSERVATION.toMillis()));
    }

    /** Arrivals per second over the {@code window} before {@code now}. */
    double perSecond(Instant now, Duration window) {
        long nowMs = now.toEpochMilli();
        long spanMs = observed(now, window).toMillis();
        long since = nowMs - spanMs;
        int count = 0;
        long oldestHeld = Long.MAX_VALUE;
        for (int i = 0; i < size; i++) {
            long t = ring[i];
            oldestHeld = Math.min(oldestHeld, t);
            if (t > since && t <= nowMs) {
                count++;
            }
        }
        if (size == ring.length && oldestHeld > since) {
            // the ring overflowed inside the window: the rate is at least what it holds
            spanMs = Math.max(nowMs - oldestHeld, 1);
        }
        return count * 1000.0 / spanMs;
    }
}
