package io.jenkins.plugins.mesosagents.accounting;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The jobs and folders that used the most cpu·seconds over a recent window, in bounded memory: the
 * window is a ring of {@code buckets} time buckets, and each bucket counts at most {@code
 * keysPerBucket} jobs and as many folders with the Space-Saving algorithm (Metwally, Agrawal, El
 * Abbadi 2005): when a bucket is full, a new name takes over the smallest counter and inherits its
 * count as possible over-count. So at most {@code buckets × 2 × keysPerBucket} counters exist
 * whatever the number of jobs; every name whose share of a bucket exceeds 1/keysPerBucket is
 * counted, and a ranking that includes an inherited count says it is approximate. Thread-safe.
 */
public final class UsageWindow {

    /** One ranked job or folder. {@code approximate}: may include up to that much over-count. */
    public record Ranked(String name, double cpuSeconds, double gbSeconds, double overCount) {
        public boolean approximate() {
            return overCount > 0;
        }

        /** cpu·seconds with one decimal, marked ≈ when approximate (for the cloud page). */
        public String cpuSecondsText() {
            return (approximate() ? "≈ " : "") + String.format(Locale.ROOT, "%.1f", cpuSeconds);
        }

        public String gbSecondsText() {
            return (approximate() ? "≈ " : "") + String.format(Locale.ROOT, "%.1f", gbSeconds);
        }
    }

    private final long bucketMillis;
    private final int keysPerBucket;
    private final Bucket[] ring;

    public UsageWindow(Duration bucket, int buckets, int keysPerBucket) {
        if (bucket.toMillis() <= 0 || buckets <= 0 || keysPerBucket <= 0) {
            throw new IllegalArgumentException(
                    "a usage window needs a positive bucket length, bucket count and key count");
        }
        this.bucketMillis = bucket.toMillis();
        this.keysPerBucket = keysPerBucket;
        this.ring = new Bucket[buckets];
    }

    /** The span the ranking covers. */
    public Duration window() {
        return Duration.ofMillis(bucketMillis * ring.length);
    }

    /** The most counters this window ever holds. */
    public int maxCounters() {
        return ring.length * 2 * keysPerBucket;
    }

    /**
     * Counts a build's usage for its job (full name, folders separated by {@code /}) and each
     * folder above it, in the bucket of {@code at}; usage older than the window is dropped.
     */
    public synchronized void record(
            String jobFullName, double cpuSeconds, double gbSeconds, Instant at) {
        long index = Math.floorDiv(at.toEpochMilli(), bucketMillis);
        int slot = (int) Math.floorMod(index, (long) ring.length);
        Bucket b = ring[slot];
        if (b == null || b.index < index) {
            b = new Bucket(index);
            ring[slot] = b;
        } else if (b.index > index) {
            return; // older than what the ring now holds
        }
        b.jobs.add(jobFullName, cpuSeconds, gbSeconds, keysPerBucket);
        for (String folder : folders(jobFullName)) {
            b.folders.add(folder, cpuSeconds, gbSeconds, keysPerBucket);
        }
    }

    /** The top {@code limit} jobs by cpu·seconds in the window ending at {@code now}. */
    public synchronized List<Ranked> topJobs(Instant now, int limit) {
        return top(now, limit, true);
    }

    /** The top {@code limit} folders by cpu·seconds in the window ending at {@code now}. */
    public synchronized List<Ranked> topFolders(Instant now, int limit) {
        return top(now, limit, false);
    }

    /** How many counters exist now (for the memory bound's test). */
    public synchronized int counters() {
        int n = 0;
        for (Bucket b : ring) {
            if (b != null) {
                n += b.jobs.counters.size() + b.folders.counters.size();
            }
        }
        return n;
    }

    /** The folders above a job, outermost first: {@code a/b/job} → {@code a}, {@code a/b}. */
    static List<String> folders(String jobFullName) {
        List<String> out = new ArrayList<>();
        int slash = jobFullName.indexOf('/');
        while (slash > 0) {
            out.add(jobFullName.substring(0, slash));
            slash = jobFullName.indexOf('/', slash + 1);
        }
        return out;
    }

    private List<Ranked> top(Instant now, int limit, boolean jobs) {
        long newest = Math.floorDiv(now.toEpochMilli(), bucketMillis);
        Map<String, Counter> merged = new HashMap<>();
        for (Bucket b : ring) {
            if (b == null || b.index > newest || b.index <= newest - ring.length) {
                continue;
            }
            for (Map.Entry<String, Counter> e : (jobs ? b.jobs : b.folders).counters.entrySet()) {
                Counter sum = merged.computeIfAbsent(e.getKey(), k -> new Counter());
                sum.cpuSeconds += e.getValue().cpuSeconds;
                sum.gbSeconds += e.getValue().gbSeconds;
                sum.overCount += e.getValue().overCount;
            }
        }
        return merged.entrySet().stream()
                .map(
                        e ->
                                new Ranked(
                                        e.getKey(),
                                        e.getValue().cpuSeconds,
                                        e.getValue().gbSeconds,
                                        e.getValue().overCount))
                .sorted(
                        Comparator.comparingDouble(Ranked::cpuSeconds)
                                .reversed()
                                .thenComparing(Ranked::name))
                .limit(limit)
                .toList();
    }

    private static final class Bucket {
        final long index;
        final SpaceSaving jobs = new SpaceSaving();
        final SpaceSaving folders = new SpaceSaving();

        Bucket(long index) {
            this.index = index;
        }
    }

    private static final class Counter {
        double cpuSeconds;
        double gbSeconds;
        double overCount;
    }

    private static final class SpaceSaving {
        final Map<String, Counter> counters = new HashMap<>();

        void add(String name, double cpuSeconds, double gbSeconds, int capacity) {
            Counter c = counters.get(name);
            if (c == null) {
                c = new Counter();
                if (counters.size() >= capacity) {
                    Map.Entry<String, Counter> smallest = null;
                    for (Map.Entry<String, Counter> e : counters.entrySet()) {
                        if (smallest == null
                                || e.getValue().cpuSeconds < smallest.getValue().cpuSeconds) {
                            smallest = e;
                        }
                    }
                    counters.remove(smallest.getKey());
                    c.cpuSeconds = smallest.getValue().cpuSeconds;
                    c.gbSeconds = smallest.getValue().gbSeconds;
                    c.overCount = smallest.getValue().cpuSeconds;
                }
                counters.put(name, c);
            }
            c.cpuSeconds += cpuSeconds;
            c.gbSeconds += gbSeconds;
        }
    }
}
