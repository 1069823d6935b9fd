package io.jenkins.plugins.mesosagents.soak;

import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.engine.EngineConfig;
import io.jenkins.plugins.mesosagents.session.MesosSchedulerSession;
import io.jenkins.plugins.mesosagents.session.SchedulerSession;
import io.jenkins.plugins.mesosagents.session.SessionCluster;
import io.jenkins.plugins.mesosagents.testcluster.mesos.AgentConfig;
import io.jenkins.plugins.mesosagents.testcluster.mesos.MesosSimConfig;
import io.jenkins.plugins.mesosagents.testcluster.mesos.TaskView;

import okhttp3.OkHttpClient;

import org.apache.curator.test.TestingServer;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A seeded chaos soak of the real session, engine and Mesos client against the simulated cluster
 * (three masters electing through a real ZooKeeper, {@code hosts} agents whose tasks are local
 * processes): {@link SoakJenkins} keeps agents coming and going as Jenkins would, {@link
 * ChaosMonkey} injects faults, Jenkins restarts once from the persisted state (before it the
 * session finds the leader through the masters' 307 redirects, after it through ZooKeeper), and at
 * every checkpoint and at the end the figures are taken:
 *
 * <ul>
 *   <li><b>orphans</b>: tasks live in the simulator (staging to killing) whose agent Jenkins
 *       released more than 30 s ago or never had; tasks on a partitioned agent are counted apart
 *       (nothing can reach them until it heals). At the end, after healing and releasing
 *       everything, every live task is an orphan;
 *   <li><b>unresolved</b> requests: neither online nor failed with a reason (overdue at a
 *       checkpoint: older than the launch timeout + 30 s);
 *   <li><b>duplicates</b>: more than one Mesos task for one request (task id = agent name);
 *   <li><b>unacknowledged updates</b>: agent updates the master still retries (tasks on removed
 *       agents excluded: the master forgot them);
 *   <li><b>heap after GC</b> of this JVM (engine, client, simulator and the soak's own records) and
 *       the engine loop's latency (a probe step every 20 ms, enqueue to completion).
 * </ul>
 */
public final class ChaosSoak {
    private static final Set<String> LIVE =
            Set.of("TASK_STAGING", "TASK_STARTING", "TASK_RUNNING", "TASK_KILLING");
    private static final long ORPHAN_GRACE_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** The figures at one checkpoint. */
    public record Checkpoint(
            String label,
            long seconds,
            int tasksLaunched,
            int online,
            int failed,
            int live,
            int orphans,
            int onPartitionedAgents,
            int unresolved,
            int failedWithoutReason,
            int duplicates,
            int unacknowledged,
            long heapAfterGcMb,
            long ourObjects,
            long ourKb,
            long trackedTasks,
            double loopP99Ms,
            double loopMaxMs,
            int loopSamples) {}

    /** What the restart in the middle of the soak showed. */
    public record Restart(
            int onlineAtRestart,
            int keptRunning,
            int lostWithReason,
            int killedWithoutReason,
            long subscribedMillis,
            long reconciledMillis,
            int reconcileCallsUntilConverged,
            List<String> reconcileCalls) {}

    /** The whole run. */
    public record Result(
            long seed,
            SoakSettings settings,
            long seconds,
            List<Checkpoint> checkpoints,
            Checkpoint end,
            Restart restart,
            Map<String, Integer> faults,
            Map<String, Integer> calls,
            Map<String, Integer> failureReasons,
            double heapSlopeMbPerMin,
            double ourSlopeKbPerMin,
            boolean demandReachedTarget) {}

    private final SoakSettings settings;
    private final Consumer<String> out;

    public ChaosSoak(SoakSettings settings, Consumer<String> out) {
        this.settings = settings;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        SoakSettings s = SoakSettings.longRun(SoakSettings.seedFromEnvironment());
        Result r = new ChaosSoak(s, System.out::println).run(Files.createTempDirectory("soak"));
        System.exit(zeros(r) ? 0 : 1);
    }

    /** True when the end figures meet the zeros. */
    public static boolean zeros(Result r) {
        Checkpoint e = r.end();
        return e.orphans() == 0
                && e.onPartitionedAgents() == 0
                && e.unresolved() == 0
                && e.failedWithoutReason() == 0
                && e.duplicates() == 0
                && e.unacknowledged() == 0
                && r.restart() != null
                && r.restart().killedWithoutReason() == 0;
    }

    public Result run(Path dir) throws Exception {
        long seed = settings.seed();
        out.accept(
                "chaos soak: seed "
                        + seed
                        + " (replay with -Dsoak.seed="
                        + seed
                        + " or SOAK_SEED="
                        + seed
                        + "), "
                        + settings.hosts()
                        + " hosts, "
                        + settings.launches()
                        + " launches, "
                        + settings.concurrency()
                        + " live requests");
        Random seeds = new Random(seed);
        Random demandRandom = new Random(seeds.nextLong());
        Random chaosRandom = new Random(seeds.nextLong());
        List<String> hosts = new ArrayList<>();
        try (TestingServer zk = new TestingServer(true)) {
            MesosSimConfig.Builder sim =
                    SessionCluster.fastSimulator(dir).masters(3).zookeeper(zk.getConnectString());
            for (int i = 1; i <= settings.hosts(); i++) {
                String h = String.format("h%03d.soak", i);
                hosts.add(h);
                sim.agent(AgentConfig.of(h, 2, 2048));
            }
            try (SessionCluster cluster = SessionCluster.start(dir, sim)) {
                return run(cluster, hosts, demandRandom, chaosRandom, dir);
            }
        }
    }

    private Result run(
            SessionCluster cluster,
            List<String> hosts,
            Random demandRandom,
            Random chaosRandom,
            Path dir)
            throws Exception {
        long start = System.nanoTime();
        List<AgentTemplate> templates =
                List.of(
                        template(cluster, "tiny", 0.1, 64),
                        template(cluster, "small", 0.25, 128),
                        template(cluster, "medium", 0.5, 256),
                        template(cluster, "large", 1.0, 512));
        EngineConfig config = cluster.engine(cluster.jenkinsUrl()).build();
        Path store = dir.resolve("state.json");
        CallRecorder calls = new CallRecorder();
        OkHttpClient http = new OkHttpClient.Builder().addInterceptor(calls).build();
        String masterList =
                cluster.mesos.masterUrls().stream()
                        .map(URI::toString)
                        .collect(Collectors.joining(","));
        String zkUrl = cluster.mesos.zkUrl().orElseThrow();
        SoakJenkins jenkins =
                new SoakJenkins(
                        cluster.nodes,
                        cluster.namer(),
                        templates.stream().map(AgentTemplate::name).toList(),
                        demandRandom,
                        settings.concurrency(),
                        Integer.MAX_VALUE,
                        settings.launchTimeout().plusSeconds(30).toNanos());
        jenkins.start(cluster.session(config, store, templates, masterList, http));
        LoopProbe probe = new LoopProbe(jenkins::session);
        probe.start();
        ChaosMonkey monkey = new ChaosMonkey(cluster.mesos, settings, chaosRandom, hosts);
        monkey.start();

        List<Checkpoint> checkpoints = new ArrayList<>();
        Restart restart = null;
        long deadline = start + settings.maxDuration().toNanos();
        long nextCheckpoint = start + settings.checkpointEvery().toNanos();
        boolean reached;
        try {
            while (true) {
                Thread.sleep(250);
                int online = jenkins.online();
                reached =
                        online >= settings.launches()
                                && System.nanoTime() - start >= settings.minDuration().toNanos();
                if (restart == null && online >= settings.restartAfter()) {
                    restart =
                            restart(
                                    cluster,
                                    jenkins,
                                    monkey,
                                    calls,
                                    () -> cluster.session(config, store, templates, zkUrl, http));
                    out.accept("restart: " + restart);
                }
                long now = System.nanoTime();
                if (now - nextCheckpoint >= 0) {
                    nextCheckpoint = now + settings.checkpointEvery().toNanos();
                    Checkpoint c =
                            checkpoint(
                                    "t+" + (now - start) / 1_000_000_000 + "s",
                                    start,
                                    cluster,
                                    jenkins,
                                    probe,
                                    false);
                    checkpoints.add(c);
                    out.accept(
                            line(c)
                                    + "   waiting "
                                    + waiting(jenkins)
                                    + "   faults "
                                    + monkey.counts());
                }
                if (reached || now - deadline >= 0) {
                    break;
                }
            }
            out.accept("demand stops: " + jenkins.online() + " agents came online; settling");
            jenkins.stopDemand();
            monkey.stopAndHeal();
            // every request gets its answer (launch timeout at most), then Jenkins lets all go
            awaitUntil(
                    settings.launchTimeout().plus(settings.settle()),
                    () -> jenkins.view().unresolved() == 0);
            jenkins.releaseAll();
            awaitUntil(
                    settings.settle(),
                    () -> {
                        List<TaskView> tasks = cluster.mesos.tasks();
                        return tasks.stream().noneMatch(t -> live(t) || unreachable(t))
                                && unacknowledged(tasks) == 0;
                    });
            Checkpoint end = checkpoint("end", start, cluster, jenkins, probe, true);
            checkpoints.add(end);
            var engine = jenkins.session().snapshot();
            out.accept(
                    line(end)
                            + "   engine tracks "
                            + engine.trackedTasks()
                            + " tasks, "
                            + engine.pendingAgents()
                            + " pending agents"
                            + (engine.unkillable().isEmpty()
                                    ? ""
                                    : ", still killing " + engine.unkillable()));
            // Mesos has no live task left: whatever the engine still tracks must go too, once the
            // last terminal updates and kill answers have reached it; how long that takes tells a
            // measurement taken mid-flight from tasks that stay tracked for good
            long settling = System.nanoTime();
            awaitUntil(settings.settle(), () -> jenkins.session().snapshot().trackedTasks() == 0);
            var settled = jenkins.session().snapshot();
            out.accept(
                    "engine tracks "
                            + settled.trackedTasks()
                            + " tasks "
                            + (System.nanoTime() - settling) / 1_000_000
                            + " ms later"
                            + (settled.unkillable().isEmpty()
                                    ? ""
                                    : ", still killing " + settled.unkillable()));
            Map<String, Integer> callCounts = new java.util.TreeMap<>();
            calls.counts().forEach((k, v) -> callCounts.put(k.name(), v));
            Result r =
                    new Result(
                            settings.seed(),
                            settings,
                            (System.nanoTime() - start) / 1_000_000_000,
                            checkpoints,
                            end,
                            restart,
                            monkey.counts(),
                            callCounts,
                            jenkins.view().failureReasons(),
                            slope(checkpoints, Checkpoint::heapAfterGcMb),
                            slope(checkpoints, Checkpoint::ourKb),
                            reached);
            report(r, callCounts, cluster);
            return r;
        } finally {
            probe.stop();
            jenkins.close();
        }
    }

    private AgentTemplate template(SessionCluster cluster, String name, double cpus, int mem) {
        return cluster.template(name)
                .cpus(cpus)
                .memMb(mem)
                .launchTimeout(settings.launchTimeout())
                .build();
    }

    /**
     * Jenkins restarts mid-run. Faults and the end of builds are held for the measurement (so that
     * "kept" means kept by the restart, not lost to a partition in that minute): the agents online
     * at the restart must all run on with the same process, the new session must reconcile within
     * one round.
     */
    private Restart restart(
            SessionCluster cluster,
            SoakJenkins jenkins,
            ChaosMonkey monkey,
            CallRecorder calls,
            java.util.function.Supplier<MesosSchedulerSession> next)
            throws Exception {
        monkey.pause();
        jenkins.holdReleases(true);
        try {
            List<String> online = jenkins.view().onlineWanted();
            Map<String, Long> pids = new HashMap<>();
            for (TaskView t : cluster.mesos.tasks()) {
                if (online.contains(t.taskId()) && t.state().equals("TASK_RUNNING")) {
                    pids.put(t.taskId(), t.pid());
                }
            }
            out.accept(
                    "restarting Jenkins: "
                            + online.size()
                            + " agents online ("
                            + pids.size()
                            + " RUNNING in Mesos)");
            long t0 = System.nanoTime();
            SchedulerSession old = jenkins.session();
            jenkins.restart(next::get);
            cluster.forget((MesosSchedulerSession) old); // closed: let its engine be collected
            SchedulerSession session = jenkins.session();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!session.snapshot().subscribed() && System.nanoTime() - deadline < 0) {
                Thread.sleep(5);
            }
            long subscribed = (System.nanoTime() - t0) / 1_000_000;
            while (!(session.snapshot().subscribed() && !session.snapshot().reconciling())
                    && System.nanoTime() - deadline < 0) {
                Thread.sleep(5);
            }
            long convergedNanos = System.nanoTime();
            long reconciled = (convergedNanos - t0) / 1_000_000;
            List<String> reconcileCalls =
                    calls.since(t0).stream()
                            .filter(
                                    s ->
                                            s.type()
                                                            == org.apache.mesos.v1.scheduler.Protos
                                                                    .Call.Type.RECONCILE
                                                    && s.nanos() - convergedNanos <= 0)
                            .map(
                                    s ->
                                            s.taskIds().isEmpty()
                                                    ? "implicit"
                                                    : "explicit(" + s.taskIds().size() + ")")
                            .toList();
            Thread.sleep(3000); // an orphan check and a reconciliation interval on the new session
            SoakJenkins.View after = jenkins.view();
            Map<String, TaskView> now = new HashMap<>();
            cluster.mesos.tasks().forEach(t -> now.put(t.taskId(), t));
            int kept = 0;
            int lost = 0;
            int killed = 0;
            for (Map.Entry<String, Long> e : pids.entrySet()) {
                TaskView t = now.get(e.getKey());
                boolean running =
                        t != null && t.state().equals("TASK_RUNNING") && t.pid() == e.getValue();
                if (running && after.onlineWanted().contains(e.getKey())) {
                    kept++;
                } else if (after.reasons().containsKey(e.getKey())) {
                    lost++;
                } else {
                    killed++;
                }
            }
            return new Restart(
                    pids.size(),
                    kept,
                    lost,
                    killed,
                    subscribed,
                    reconciled,
                    reconcileCalls.size(),
                    reconcileCalls);
        } finally {
            jenkins.holdReleases(false);
            monkey.resume();
        }
    }

    private Checkpoint checkpoint(
            String label,
            long start,
            SessionCluster cluster,
            SoakJenkins jenkins,
            LoopProbe probe,
            boolean end) {
        SoakJenkins.View v = jenkins.view();
        List<TaskView> tasks = cluster.mesos.tasks();
        long now = System.nanoTime();
        Set<String> wanted = Set.copyOf(v.wanted());
        int orphans = 0;
        int partitioned = 0;
        Map<String, Integer> perRequest = new HashMap<>();
        for (TaskView t : tasks) {
            perRequest.merge(t.taskId(), 1, Integer::sum);
            boolean unwanted =
                    !wanted.contains(t.taskId())
                            && (end
                                    || now
                                                    - v.releasedAtNanos()
                                                            .getOrDefault(
                                                                    t.taskId(), Long.MIN_VALUE / 2)
                                            > ORPHAN_GRACE_NANOS);
            if (unwanted && live(t)) {
                orphans++;
            } else if (unwanted && unreachable(t)) {
                partitioned++;
            }
        }
        int duplicates = perRequest.values().stream().mapToInt(n -> n - 1).sum();
        EngineHeap.Figures ours = EngineHeap.measure(); // collects first
        long heap = heapAfterGc();
        double[] loop = probe.drain();
        return new Checkpoint(
                label,
                (now - start) / 1_000_000_000,
                perRequest.size(),
                v.online(),
                v.failed(),
                v.live(),
                orphans,
                partitioned,
                end ? v.unresolved() : v.overdue(),
                v.failedWithoutReason(),
                duplicates,
                unacknowledged(tasks),
                heap / (1024 * 1024),
                ours.instances(),
                ours.bytes() / 1024,
                ours.trackedTasks(),
                loop[0],
                loop[1],
                (int) loop[2]);
    }

    /** Per template with agents waiting: waiting/launching/running and the engine's reason. */
    private static String waiting(SoakJenkins jenkins) {
        try {
            return jenkins.session().snapshot().templates().values().stream()
                    .filter(t -> t.pending() > 0)
                    .map(
                            t ->
                                    t.template()
                                            + " "
                                            + t.pending()
                                            + "/"
                                            + t.launching()
                                            + "/"
                                            + t.running()
                                            + (t.waiting() == null
                                                    ? ""
                                                    : " " + t.waiting().reason()))
                    .toList()
                    .toString();
        } catch (RuntimeException e) {
            return "?";
        }
    }

    private static boolean live(TaskView t) {
        return LIVE.contains(t.state());
    }

    private static boolean unreachable(TaskView t) {
        return t.state().equals("TASK_UNREACHABLE");
    }

    static int unacknowledged(List<TaskView> tasks) {
        return tasks.stream()
                .filter(t -> !t.state().equals("TASK_GONE_BY_OPERATOR"))
                .mapToInt(TaskView::unacknowledgedUpdates)
                .sum();
    }

    static long heapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Least-squares slope of a figure over time, from the second checkpoint on (per minute). */
    static double slope(List<Checkpoint> cs, java.util.function.ToLongFunction<Checkpoint> y) {
        List<Checkpoint> xs = cs.size() > 2 ? cs.subList(1, cs.size()) : cs;
        int n = xs.size();
        if (n < 2) {
            return 0;
        }
        double mx = xs.stream().mapToDouble(Checkpoint::seconds).average().orElse(0);
        double my = xs.stream().mapToDouble(c -> y.applyAsLong(c)).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        for (Checkpoint c : xs) {
            sxy += (c.seconds() - mx) * (y.applyAsLong(c) - my);
            sxx += (c.seconds() - mx) * (c.seconds() - mx);
        }
        return sxx == 0 ? 0 : sxy / sxx * 60;
    }

    static String header() {
        return "| checkpoint | s | tasks launched | online | failed | live requests | orphans |"
                + " on partitioned agents | unresolved (overdue) | failed w/o reason | duplicates |"
                + " unacked updates | heap after GC MB | plugin objects | plugin KB (shallow) |"
                + " TrackedTask objects | loop p99 ms | loop max ms |";
    }

    static String line(Checkpoint c) {
        return String.format(
                "| %s | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d |"
                        + " %.1f | %.1f |",
                c.label(),
                c.seconds(),
                c.tasksLaunched(),
                c.online(),
                c.failed(),
                c.live(),
                c.orphans(),
                c.onPartitionedAgents(),
                c.unresolved(),
                c.failedWithoutReason(),
                c.duplicates(),
                c.unacknowledged(),
                c.heapAfterGcMb(),
                c.ourObjects(),
                c.ourKb(),
                c.trackedTasks(),
                c.loopP99Ms(),
                c.loopMaxMs());
    }

    private void report(Result r, Map<String, Integer> calls, SessionCluster cluster) {
        out.accept("");
        out.accept("=== chaos soak report, seed " + r.seed() + " ===");
        out.accept(header());
        out.accept("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        r.checkpoints().forEach(c -> out.accept(line(c)));
        out.accept(
                String.format(
                        "heap after GC slope: %.2f MB/min, plugin objects slope: %.1f KB/min, over"
                                + " %d checkpoints; wall time %d s; target of %d online agents %s",
                        r.heapSlopeMbPerMin(),
                        r.ourSlopeKbPerMin(),
                        r.checkpoints().size(),
                        r.seconds(),
                        settings.launches(),
                        r.demandReachedTarget() ? "reached" : "NOT reached"));
        out.accept("restart: " + r.restart());
        out.accept("faults injected: " + r.faults());
        out.accept("calls sent by the session: " + calls);
        out.accept(
                "call faults applied by the simulator: "
                        + ChaosMonkey.CALL_TYPES.stream()
                                .map(t -> t + "=" + cluster.mesos.callFaults().applied(t))
                                .toList()
                        + "; updates duplicated "
                        + cluster.mesos.updateFaults().duplicated()
                        + ", delayed "
                        + cluster.mesos.updateFaults().delayed());
        out.accept("failed requests by reason: " + r.failureReasons());
        out.accept("zeros met: " + zeros(r));
    }

    private static void awaitUntil(Duration max, java.util.function.BooleanSupplier done)
            throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() - deadline < 0) {
            try {
                if (done.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                // a session being replaced or a simulator call timing out: look again
            }
            Thread.sleep(250);
        }
    }

    /** Measures the engine loop's latency: one step every 20 ms, from enqueue to completion. */
    static final class LoopProbe {
        private final java.util.function.Supplier<SchedulerSession> session;
        private final List<Long> samples = new ArrayList<>();
        private volatile boolean stopped;
        private Thread thread;

        LoopProbe(java.util.function.Supplier<SchedulerSession> session) {
            this.session = session;
        }

        void start() {
            thread =
                    new Thread(
                            () -> {
                                while (!stopped) {
                                    try {
                                        if (session.get() instanceof MesosSchedulerSession s) {
                                            long t0 = System.nanoTime();
                                            s.task("soak-latency-probe").get(60, TimeUnit.SECONDS);
                                            long micros = (System.nanoTime() - t0) / 1000;
                                            synchronized (samples) {
                                                samples.add(micros);
                                            }
                                        }
                                        Thread.sleep(20);
                                    } catch (InterruptedException e) {
                                        return;
                                    } catch (Exception e) {
                                        // the session is being replaced (restart)
                                    }
                                }
                            },
                            "soak-loop-probe");
            thread.setDaemon(true);
            thread.start();
        }

        /** {p99 ms, max ms, samples} since the last drain. */
        double[] drain() {
            long[] xs;
            synchronized (samples) {
                xs = samples.stream().mapToLong(Long::longValue).toArray();
                samples.clear();
            }
            if (xs.length == 0) {
                return new double[] {-1, -1, 0};
            }
            Arrays.sort(xs);
            int rank = (int) Math.ceil(0.99 * xs.length);
            return new double[] {
                xs[Math.max(1, rank) - 1] / 1000.0, xs[xs.length - 1] / 1000.0, xs.length
            };
        }

        void stop() {
            stopped = true;
            if (thread != null) {
                thread.interrupt();
            }
        }
    }
}
