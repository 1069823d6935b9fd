package io.jenkins.plugins.mesosagents.testcluster.demo;

import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.engine.EngineConfig;
import io.jenkins.plugins.mesosagents.mesos.FrameworkIdentity;
import io.jenkins.plugins.mesosagents.pool.WarmPool;
import io.jenkins.plugins.mesosagents.pool.WarmPools;
import io.jenkins.plugins.mesosagents.session.JsonFileEngineStore;
import io.jenkins.plugins.mesosagents.session.MesosSchedulerSession;
import io.jenkins.plugins.mesosagents.testcluster.TestCluster;
import io.jenkins.plugins.mesosagents.testcluster.casc.CascCloud;
import io.jenkins.plugins.mesosagents.testcluster.casc.CascReader;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The warm-pool benchmark's run: a seeded, bursty day of builds (compressed into {@code day} of
 * real time) replayed on the test-cluster through the demo controller, the plugin's real scheduler
 * session and real demo agents (one JVM per agent), with warm pools off, static (minimums and
 * office-hours windows) or adaptive. Three labels: {@code steady} (reusable agents, the same
 * demand day and night; builds of 30-60 s), {@code bursty} (single-use agents, bursts of
 * four builds of 20-40 s) and {@code rare} (reusable, a build of 10-20 s now and then). Reusable agents are released after {@link
 * #IDLE_RELEASE} idle unless their pool keeps them. Measured: queue → build start per label
 * (p50/p95/p99) and agent-minutes (node added → released), of which idle (online, no build).
 */
public final class WarmPoolReplay {
    /** What a run measured. */
    public record Result(
            String mode,
            long seed,
            int builds,
            int failed,
            Map<String, double[]> waitPercentilesMs,
            double agentMinutes,
            double idleAgentMinutes,
            int agents,
            Map<String, double[]> agentMinutesByLabel) {
        /** p50, p95, p99 in ms for the label, or NaNs when it had no build. */
        /** Agent-minutes and idle agent-minutes of the label's template. */
        public double[] cost(String label) {
            return agentMinutesByLabel.getOrDefault(label, new double[] {0, 0});
        }

        public double[] waits(String label) {
            return waitPercentilesMs.getOrDefault(label, new double[] {Double.NaN, Double.NaN, Double.NaN});
        }
    }

    /** One build of the trace: when it is queued (from the start), its label, how long it runs. */
    record TraceBuild(String id, Duration at, String label, Duration runs) {}

    static final Duration IDLE_RELEASE = Duration.ofSeconds(20);

    /** Builds per second of the steady label, day and night. */
    static final double STEADY_RATE = 0.12;
    static final Instant DAY_START = Instant.parse("2026-12-07T00:00:00Z"); // a Monday
    private static final List<String> LABELS = List.of("steady", "bursty", "rare");

    private WarmPoolReplay() {}

    /** The seeded trace: a day of {@code day} real time; office hours 08:00-18:00 are busier. */
    static List<TraceBuild> trace(long seed, Duration day) {
        Random random = new Random(seed);
        double scale = day.toMillis() / 86_400_000.0; // real ms per simulated ms
        double officeFrom = 8 * 3600_000 * scale;
        double officeTo = 18 * 3600_000 * scale;
        List<TraceBuild> builds = new ArrayList<>();
        // Poisson arrivals per label (rates per real second)
        double t = 0;
        while (true) {
            t += exp(random, STEADY_RATE);
            if (t >= day.toMillis() / 1000.0) {
                break;
            }
            builds.add(build("steady", t, 30 + 30 * random.nextDouble()));
        }
        // bursts of four builds: four at random times in office hours and one at night, whatever
        // the seed, so that every trace has the label
        for (int burst = 0; burst < 5; burst++) {
            double at =
                    burst < 4
                            ? (officeFrom + random.nextDouble() * (officeTo - officeFrom)) / 1000
                            : (officeTo + random.nextDouble() * (day.toMillis() - officeTo)) / 1000;
            for (int i = 0; i < 4; i++) {
                builds.add(build("bursty", at + i * 0.25, 20 + 20 * random.nextDouble()));
            }
        }
        t = 0;
        while (true) {
            t += exp(random, 0.01);
            if (t >= day.toMillis() / 1000.0) {
                break;
            }
            builds.add(build("rare", t, 10 + 10 * random.nextDouble()));
        }
        builds.sort(Comparator.comparing(TraceBuild::at));
        List<TraceBuild> named = new ArrayList<>();
        for (int i = 0; i < builds.size(); i++) {
            TraceBuild b = builds.get(i);
            named.add(new TraceBuild(b.label() + "-" + (i + 1), b.at(), b.label(), b.runs()));
        }
        return named;
    }

    private static TraceBuild build(String label, double atSeconds, double runsSeconds) {
        return new TraceBuild(
                "",
                Duration.ofMillis((long) (atSeconds * 1000)),
                label,
                Duration.ofMillis((long) (runsSeconds * 1000)));
    }

    private static double exp(Random random, double rate) {
        return -Math.log(1 - random.nextDouble()) / rate;
    }

    /** The pools of a mode, by template (= label) name. */
    static Map<String, WarmPool> pools(String mode) {
        return switch (mode) {
            case "off" -> Map.of();
            case "static" ->
                    Map.of(
                            "steady", WarmPool.of(1, "Mon-Fri 08:00-18:00 3", false, 0),
                            "bursty", WarmPool.of(1, "Mon-Fri 08:00-18:00 4", false, 0),
                            "rare", WarmPool.of(1, "", false, 0));
            case "adaptive" ->
                    Map.of(
                            "steady", WarmPool.of(0, "", true, 6),
                            "bursty", WarmPool.of(0, "", true, 6),
                            "rare", WarmPool.of(0, "", true, 2));
            default -> throw new IllegalArgumentException("mode is off, static or adaptive: " + mode);
        };
    }

    /** Runs one mode on a fresh cluster in {@code workDir}. */
    public static Result run(String mode, long seed, Duration day, Path workDir, PrintStream out)
            throws Exception {
        Clock clock = Clock.systemUTC();
        Instant start = clock.instant();
        double factor = 86_400_000.0 / day.toMillis();
        Clock windowClock = new CompressedClock(clock, start, DAY_START, factor);
        List<TraceBuild> trace = trace(seed, day);
        Progress progress = new Progress(out, clock);
        progress.line(
                "warm pools "
                        + mode
                        + ": seed "
                        + seed
                        + ", "
                        + trace.size()
                        + " builds over a day compressed into "
                        + day.toSeconds()
                        + " s");
        try (TestCluster cluster =
                        TestCluster.builder(workDir.resolve("cluster"))
                                .configFile(Path.of("test-cluster/cluster.json"))
                                .mesosPort(0)
                                .start();
                DemoController controller = new DemoController(progress, clock);
                AgentEndpoint endpoint = new AgentEndpoint(AgentJar.build(), controller)) {
            endpoint.start();
            String master = cluster.mesosMaster().toString();
            String url = endpoint.url();
            Path config = Path.of("test-cluster/demo.yaml");
            CascCloud cloud =
                    CascReader.parse(
                                    Files.readString(config),
                                    config.toString(),
                                    config.toAbsolutePath().getParent(),
                                    name ->
                                            switch (name) {
                                                case "MESOS_MASTER" -> master;
                                                case "DEMO_CONTROLLER_URL" -> url;
                                                default -> System.getenv(name);
                                            })
                            .cloud();
            AgentTemplate base =
                    cloud.agentTemplates().stream()
                            .filter(t -> t.name().equals("single"))
                            .findFirst()
                            .orElseThrow();
            List<AgentTemplate> templates =
                    LABELS.stream()
                            .map(
                                    l ->
                                            AgentTemplate.builder(l)
                                                    .labelExpression(l)
                                                    .cpus(0.25)
                                                    .memMb(base.memMb())
                                                    .jvmOptions(base.jvmOptions())
                                                    .singleUse(l.equals("bursty"))
                                                    .instanceCap(16)
                                                    .build())
                            .toList();
            EngineConfig engineConfig = cloud.engineConfig("").caps(34, 0, 0).build();
            FrameworkIdentity identity = cloud.framework(templates).build();
            Path state = workDir.resolve("state.json");
            Files.deleteIfExists(state);
            try (MesosSchedulerSession session =
                    MesosSchedulerSession.start(
                            engineConfig,
                            controller,
                            new JsonFileEngineStore(state),
                            ids -> cloud.schedulerConfig(identity).frameworkIdStore(ids).build(),
                            Duration.ofSeconds(1),
                            clock)) {
                session.updateTemplates(templates);
                controller.attach(session, templates);
                controller.keepWarm(
                        new WarmPools(clock, windowClock),
                        pools(mode),
                        IDLE_RELEASE,
                        Duration.ofMillis(500));
                ScheduledExecutorService submitter = Executors.newSingleThreadScheduledExecutor();
                Instant t0 = clock.instant();
                for (TraceBuild b : trace) {
                    submitter.schedule(
                            () ->
                                    controller.submit(
                                            List.of(
                                                    new DemoBuild(
                                                            b.id(),
                                                            b.label(),
                                                            "sleep "
                                                                    + b.runs().toMillis() / 1000.0
                                                                    + "; echo ok",
                                                            Set.of()))),
                            b.at().toMillis(),
                            TimeUnit.MILLISECONDS);
                }
                Thread.sleep(Math.max(0, day.toMillis() - Duration.between(t0, clock.instant()).toMillis()));
                submitter.shutdown();
                submitter.awaitTermination(10, TimeUnit.SECONDS);
                Instant deadline = clock.instant().plusSeconds(90);
                List<BuildReport> reports = controller.reports();
                while (reports.stream().anyMatch(r -> r.done() == null)
                        && clock.instant().isBefore(deadline)) {
                    Thread.sleep(500);
                    reports = controller.reports();
                }
                Instant end = clock.instant();
                List<DemoController.NodeReport> nodes = controller.nodeReports();
                controller.stopKeepingWarm();
                controller.releaseAll();
                Result result = result(mode, seed, reports, nodes, end);
                progress.line(describe(result));
                Thread.sleep(2000); // let the released agents exit before the cluster stops
                return result;
            }
        }
    }

    static Result result(
            String mode,
            long seed,
            List<BuildReport> reports,
            List<DemoController.NodeReport> nodes,
            Instant end) {
        Map<String, double[]> waits = new LinkedHashMap<>();
        for (String label : LABELS) {
            long[] ms =
                    reports.stream()
                            .filter(r -> r.label().equals(label) && r.started() != null)
                            .mapToLong(r -> Duration.between(r.queued(), r.started()).toMillis())
                            .sorted()
                            .toArray();
            if (ms.length > 0) {
                waits.put(label, new double[] {rank(ms, 50), rank(ms, 95), rank(ms, 99)});
            }
        }
        double agentMs = 0;
        double idleMs = 0;
        Map<String, double[]> byLabel = new LinkedHashMap<>();
        for (DemoController.NodeReport n : nodes) {
            Instant gone = n.released() == null || n.released().isAfter(end) ? end : n.released();
            double life = Math.max(0, Duration.between(n.added(), gone).toMillis());
            double idle =
                    n.online() == null
                            ? 0
                            : Math.max(
                                    0,
                                    Duration.between(n.online(), gone).toMillis()
                                            - n.busyMillis());
            agentMs += life;
            idleMs += idle;
            double[] c = byLabel.computeIfAbsent(n.template(), k -> new double[2]);
            c[0] += life / 60_000;
            c[1] += idle / 60_000;
        }
        int failed =
                (int) reports.stream().filter(r -> !r.result().equals("SUCCESS")).count();
        return new Result(
                mode,
                seed,
                reports.size(),
                failed,
                waits,
                agentMs / 60_000,
                idleMs / 60_000,
                nodes.size(),
                byLabel);
    }

    /** Nearest-rank percentile of sorted values. */
    static double rank(long[] sorted, int p) {
        int r = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(1, r) - 1];
    }

    static String describe(Result r) {
        StringBuilder s =
                new StringBuilder(
                        String.format(
                                java.util.Locale.ROOT,
                                "%s: %d builds (%d failed), %d agents, %.1f agent-minutes (%.1f idle);"
                                        + " queue -> start p50/p95/p99 ms:",
                                r.mode(),
                                r.builds(),
                                r.failed(),
                                r.agents(),
                                r.agentMinutes(),
                                r.idleAgentMinutes()));
        r.waitPercentilesMs()
                .forEach(
                        (label, w) ->
                                s.append(" ")
                                        .append(label)
                                        .append(" ")
                                        .append(Arrays.toString(w))
                                        .append(
                                                String.format(
                                                        java.util.Locale.ROOT,
                                                        " (%.1f agent-min, %.1f idle)",
                                                        r.cost(label)[0],
                                                        r.cost(label)[1])));
        return s.toString();
    }

    /** {@code mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=...}. */
    public static void main(String[] args) throws Exception {
        long seed = Long.getLong("warmpool.seed", 7);
        Duration day = Duration.ofSeconds(Long.getLong("warmpool.daySeconds", 300));
        List<Result> results = new ArrayList<>();
        for (String mode : args.length == 0 ? new String[] {"off", "static", "adaptive"} : args) {
            results.add(
                    run(mode, seed, day, Files.createTempDirectory("warm-pool-" + mode), System.out));
        }
        results.forEach(r -> System.out.println(describe(r)));
        System.exit(0);
    }

    /** A clock that runs {@code factor} times faster than {@code real} from {@code from}. */
    private static final class CompressedClock extends Clock {
        private final Clock real;
        private final Instant realStart;
        private final Instant from;
        private final double factor;

        CompressedClock(Clock real, Instant realStart, Instant from, double factor) {
            this.real = real;
            this.realStart = realStart;
            this.from = from;
            this.factor = factor;
        }

        @Override
        public Instant instant() {
            long elapsed = Duration.between(realStart, real.instant()).toMillis();
            return from.plusMillis((long) (elapsed * factor));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
