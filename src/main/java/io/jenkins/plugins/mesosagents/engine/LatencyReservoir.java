package io.jenkins.plugins.mesosagents.engine;

import java.util.Arrays;

/**
 * The most recent {@code capacity} durations (a ring of longs, so memory is fixed), with exact
 * nearest-rank percentiles over what it holds: the p-th percentile of n sorted samples is the one
 * at rank ⌈p·n⌉. Loop-confined.
 */
final class LatencyReservoir {
    private final long[] ring;
    private int size;
    private int next;

    LatencyReservoir(int capacity) {
        this.ring = new long[Math.max(1, capacity)];
    }

    void add(long millis) {
        ring[next] = millis;
        next = (next + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
    }

    int size() {
        return size;
    }

    /** The nearest-rank percentile (0 < p ≤ 100) of the held samples, or -1 when there are none. */
    long percentile(int p) {
        if (size == 0) {
            return -1;
        }
        long[] sorted = Arrays.copyOf(ring, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * size);
        return sorted[Math.max(1, rank) - 1];
    }
}
