package io.jenkins.plugins.mesosagents.soak;

import io.jenkins.plugins.mesosagents.testcluster.mesos.CallFaults;
import io.jenkins.plugins.mesosagents.testcluster.mesos.MesosSimulator;

import org.apache.mesos.v1.scheduler.Protos.Call;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Injects the soak's faults on the simulator from one seeded {@link Random}, on one thread: a
 * leader failover about every {@code failoverEvery}, and about every {@code faultEvery} one of:
 * dropped streams, stalled streams, a partitioned agent (healed 3–15 s later), a removed agent (at
 * most a tenth of the hosts), rescinded offers, a 503 burst, a refused, dropped, hung or swallowed
 * call of a random type, duplicated or delayed status updates. Counts what it did per kind.
 */
final class ChaosMonkey {
    /** The scheduler calls the engine makes (SUBSCRIBE through the client's own retry). */
    static final List<Call.Type> CALL_TYPES =
            List.of(
                    Call.Type.SUBSCRIBE,
                    Call.Type.ACCEPT,
                    Call.Type.DECLINE,
                    Call.Type.KILL,
                    Call.Type.ACKNOWLEDGE,
                    Call.Type.RECONCILE,
                    Call.Type.REVIVE,
                    Call.Type.SUPPRESS);

    private final MesosSimulator sim;
    private final SoakSettings settings;
    private final Random random;
    private final List<String> hosts;
    private final ScheduledExecutorService thread =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "soak-chaos");
                        t.setDaemon(true);
                        return t;
                    });
    private final Map<String, Integer> counts = new TreeMap<>();
    private final Set<String> partitioned = new LinkedHashSet<>();
    private final Set<String> removed = new LinkedHashSet<>();
    private final List<String> log = new ArrayList<>();
    private volatile boolean paused;
    private long nextFailoverNanos;
    private long nextFaultNanos;

    ChaosMonkey(MesosSimulator sim, SoakSettings settings, Random random, List<String> hosts) {
        this.sim = sim;
        this.settings = settings;
        this.random = random;
        this.hosts = List.copyOf(hosts);
    }

    void start() {
        long now = System.nanoTime();
        nextFailoverNanos = now + jitter(settings.failoverEvery(), 0.25);
        nextFaultNanos = now + jitter(settings.faultEvery(), 0.5);
        thread.scheduleWithFixedDelay(this::step, 100, 100, TimeUnit.MILLISECONDS);
    }

    /**
     * No new faults until {@link #resume()}, and queued call and update faults are dropped (heals
     * and the faults in progress still complete).
     */
    void pause() {
        paused = true;
        sim.callFaults().clear();
        sim.updateFaults().clear();
    }

    void resume() {
        paused = false;
    }

    /**
     * Stops injecting, clears the call and update faults and heals every partitioned agent; returns
     * when done.
     */
    void stopAndHeal() throws Exception {
        thread.submit(
                        () -> {
                            paused = true;
                            sim.callFaults().clear();
                            sim.updateFaults().clear();
                            for (String h : List.copyOf(partitioned)) {
                                heal(h);
                            }
                        })
                .get(60, TimeUnit.SECONDS);
        thread.shutdownNow();
    }

    /** Faults injected so far, per kind. */
    synchronized Map<String, Integer> counts() {
        return new TreeMap<>(counts);
    }

    synchronized List<String> log() {
        return new ArrayList<>(log);
    }

    private void step() {
        long now = System.nanoTime();
        try {
            if (paused) {
                return;
            }
            if (now - nextFailoverNanos > 0) {
                nextFailoverNanos = now + jitter(settings.failoverEvery(), 0.25);
                FailoverKind kind =
                        settings.failoverKinds()
                                .get(random.nextInt(settings.failoverKinds().size()));
                kind.failover(sim);
                count("failover " + kind.name(), "");
            }
            if (now - nextFaultNanos > 0) {
                nextFaultNanos = now + jitter(settings.faultEvery(), 0.5);
                fault();
            }
        } catch (Exception e) {
            count("injection failed", e.toString());
        }
    }

    private void fault() {
        switch (random.nextInt(10)) {
            case 0 -> {
                sim.dropStreams();
                count("dropped streams", "");
            }
            case 1 -> {
                Duration d = Duration.ofMillis(1500 + random.nextInt(4000));
                sim.silenceStreams(d);
                count("stalled streams", d.toMillis() + " ms");
            }
            case 2 -> partition();
            case 3 -> {
                if (removed.size() < hosts.size() / 10 && random.nextBoolean()) {
                    String h = pickActive();
                    if (h != null) {
                        sim.removeAgent(h);
                        removed.add(h);
                        count("agent removed", h);
                    }
                } else {
                    partition();
                }
            }
            case 4 -> {
                sim.rescindOffers();
                count("offers rescinded", "");
            }
            case 5 -> {
                if (random.nextBoolean()) {
                    Duration d = Duration.ofMillis(500 + random.nextInt(2500));
                    sim.unavailableFor(d);
                    count("503 burst (leader recovering)", d.toMillis() + " ms");
                } else {
                    int n = 2 + random.nextInt(8);
                    sim.callFaults()
                            .inject(
                                    CallFaults.ANY,
                                    new CallFaults.Answer(503, "Master has not finished recovery"),
                                    n);
                    count("503 burst (any call)", n + " calls");
                }
            }
            case 6, 7 -> callFault();
            case 8 -> {
                int n = 1 + random.nextInt(5);
                sim.updateFaults().duplicateNext(n);
                count("updates duplicated", n + "");
            }
            default -> {
                int n = 1 + random.nextInt(5);
                sim.updateFaults().delayNext(n);
                count("updates delayed", n + "");
            }
        }
    }

    private void partition() {
        String h = pickActive();
        if (h == null) {
            return;
        }
        sim.partitionAgent(h);
        partitioned.add(h);
        long ms = 3000 + random.nextInt(12_000);
        count("agent partitioned", h + " for " + ms + " ms");
        thread.schedule(
                () -> {
                    if (partitioned.contains(h)) {
                        heal(h);
                    }
                },
                ms,
                TimeUnit.MILLISECONDS);
    }

    private void heal(String h) {
        sim.healAgent(h);
        partitioned.remove(h);
        count("agent healed", h);
    }

    private void callFault() {
        Call.Type type = CALL_TYPES.get(random.nextInt(CALL_TYPES.size()));
        int times = 1 + random.nextInt(3);
        CallFaults.Fault fault =
                switch (random.nextInt(5)) {
                    case 0 -> new CallFaults.Answer(500, "Internal Server Error");
                    case 1 -> new CallFaults.Drop();
                    case 2 -> new CallFaults.Hang(Duration.ofMillis(500 + random.nextInt(2500)));
                    // longer than the client's 10 s call timeout: the client gives up, then the
                    // master acts on the call anyway
                    case 3 -> new CallFaults.Hang(Duration.ofMillis(10_500 + random.nextInt(2000)));
                    default -> new CallFaults.Swallow();
                };
        sim.callFaults().inject(type, fault, times);
        String what;
        if (fault instanceof CallFaults.Answer a) {
            what = "refused " + a.status();
        } else if (fault instanceof CallFaults.Drop) {
            what = "dropped";
        } else if (fault instanceof CallFaults.Hang h) {
            what = h.duration().toMillis() > 10_000 ? "hung past the timeout" : "hung";
        } else {
            what = "swallowed (202, not acted on)";
        }
        count("call " + what, type + " x" + times);
        count("call fault on " + type, "");
    }

    private String pickActive() {
        List<String> candidates = new ArrayList<>(hosts);
        candidates.removeAll(partitioned);
        candidates.removeAll(removed);
        return candidates.isEmpty() ? null : candidates.get(random.nextInt(candidates.size()));
    }

    private synchronized void count(String kind, String detail) {
        counts.merge(kind, 1, Integer::sum);
        if (!kind.startsWith("call fault on")) {
            log.add(kind + (detail.isEmpty() ? "" : " (" + detail + ")"));
        }
    }

    private long jitter(Duration mean, double spread) {
        double f = 1 - spread + 2 * spread * random.nextDouble();
        return (long) (mean.toNanos() * f);
    }
}
