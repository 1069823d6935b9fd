package io.jenkins.plugins.mesosagents.testcluster.demo;

import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.engine.EngineConfig;
import io.jenkins.plugins.mesosagents.engine.WaitReason;
import io.jenkins.plugins.mesosagents.mesos.FrameworkIdentity;
import io.jenkins.plugins.mesosagents.session.JsonFileEngineStore;
import io.jenkins.plugins.mesosagents.session.MesosSchedulerSession;
import io.jenkins.plugins.mesosagents.testcluster.TestCluster;
import io.jenkins.plugins.mesosagents.testcluster.casc.CascCloud;
import io.jenkins.plugins.mesosagents.testcluster.casc.CascReader;
import io.jenkins.plugins.mesosagents.testcluster.casc.InvalidCascException;
import io.jenkins.plugins.mesosagents.testcluster.mesos.TaskView;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code test-cluster/demo}: starts the embedded test-cluster and a demo controller standing in for
 * Jenkins, runs the plugin's real scheduler session on the cloud of {@code demo.yaml}, queues a
 * burst of builds (two ordinary labels and one nothing can host), runs the ship stage (build, push,
 * promote, deploy, roll back), prints the report tables and writes {@code report.html}. Exit 0 only
 * when everything happened as expected; 1 with the stage and reason otherwise; 64 for bad
 * arguments. Every process it started is stopped on exit, Ctrl-C included.
 */
public final class Demo {
    static final String FIRST_LINE =
            "Demo controller: standing in for the Jenkins controller (Jenkins itself cannot run"
                + " here). The plugin's own provisioning engine, scheduler session, Mesos client"
                + " and persistence run unchanged against the embedded test-cluster.";
    static final Set<WaitReason> TOO_BIG =
            Set.of(
                    WaitReason.INSUFFICIENT_CPUS,
                    WaitReason.INSUFFICIENT_MEM,
                    WaitReason.INSUFFICIENT_DISK);
    private static final Duration BUILDS_DEADLINE = Duration.ofSeconds(45);

    private final DemoOptions options;
    private final PrintStream out;
    private final Clock clock = Clock.systemUTC();
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final List<String> problems = new ArrayList<>();
    private TestCluster cluster;
    private DemoController controller;
    private ClusterWatcher watcher;
    private volatile boolean interrupted;
    private volatile String stage = "cluster";

    Demo(DemoOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) {
        DemoOptions options = DemoOptions.parse(args);
        logTo(options.reportDir().resolve("demo.log"));
        Demo demo = new Demo(options, System.out);
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    demo.interrupted = true;
                                    demo.stop();
                                    try {
                                        done.await(5, TimeUnit.SECONDS);
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    }
                                },
                                "demo-shutdown"));
        DemoResult result = demo.run();
        done.countDown();
        System.exit(result.succeeded() ? 0 : 1);
    }

    /** The plugin's log lines go to a file; the console keeps the progress lines and warnings. */
    private static void logTo(Path file) {
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        for (java.util.logging.Handler h : root.getHandlers()) {
            h.setLevel(java.util.logging.Level.WARNING);
        }
        try {
            Files.createDirectories(file.getParent());
            java.util.logging.FileHandler log = new java.util.logging.FileHandler(file.toString());
            log.setFormatter(new java.util.logging.SimpleFormatter());
            log.setLevel(java.util.logging.Level.INFO);
            root.addHandler(log);
        } catch (java.io.IOException e) {
            System.err.println("demo: no log file " + file + ": " + e.getMessage());
        }
    }

    /** Runs the whole demo; never throws: what went wrong is in the result's problems. */
    DemoResult run() {
        Progress progress = new Progress(out, clock);
        out.println(FIRST_LINE);
        List<BuildReport> builds = List.of();
        List<ShipStep> ship = List.of();
        String shipSkipped = "";
        String url = "";
        try {
            startCluster(progress);
            stage = "controller";
            controller = new DemoController(progress, clock);
            started.push(controller);
            AgentEndpoint endpoint = new AgentEndpoint(AgentJar.build(), controller);
            endpoint.start();
            started.push(endpoint);
            url = endpoint.url();
            progress.line("demo controller serving jnlpJars/agent.jar and wsagents/ at " + url);
            stage = "config";
            String master = cluster.mesosMaster().toString();
            String controllerUrl = url;
            CascCloud cloud =
                    CascReader.parse(
                                    Files.readString(options.config()),
                                    options.config().toString(),
                                    options.config().toAbsolutePath().getParent(),
                                    name ->
                                            switch (name) {
                                                case "MESOS_MASTER" -> master;
                                                case "DEMO_CONTROLLER_URL" -> controllerUrl;
                                                default -> System.getenv(name);
                                            })
                            .cloud();
            stage = "provisioning";
            MesosSchedulerSession session = startSession(cloud, progress);
            ClusterWatcher watcher =
                    new ClusterWatcher(cluster.mesos(), session, controller, progress);
            started.push(watcher);
            this.watcher = watcher;
            List<DemoBuild> plan = DemoBuild.plan(options.builds(), TOO_BIG);
            controller.submit(plan);
            try {
                controller.allDone().get(BUILDS_DEADLINE.toSeconds(), TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                problems.add(
                        "provisioning: not every build was done within "
                                + BUILDS_DEADLINE.toSeconds()
                                + " s");
            }
            builds = controller.reports();
            for (BuildReport b : builds) {
                if (!b.asExpected()) {
                    problems.add(
                            "provisioning: build "
                                    + b.id()
                                    + " (label "
                                    + b.label()
                                    + ") "
                                    + (b.expectedFailure()
                                            ? "should have failed for want of a fitting offer ("
                                                    + TOO_BIG
                                                    + ") but ended "
                                            : "should have succeeded but ended ")
                                    + b.result()
                                    + (b.reason().isEmpty() ? "" : ": " + b.reason()));
                }
            }
            controller.releaseAll();
            if (options.skipShip()) {
                shipSkipped = "--skip-ship";
            } else if (!ShipStage.missing().isEmpty()) {
                shipSkipped = "this machine lacks " + String.join(", ", ShipStage.missing());
                progress.line("ship stage skipped: " + shipSkipped);
            } else {
                stage = "ship";
                ship = ship(progress);
            }
            stage = "cleanup";
            awaitTasksEnded(progress);
            watcher.close();
        } catch (Exception e) {
            if (interrupted) {
                problems.add("interrupted: stopped by a signal (Ctrl-C) before it finished");
            } else {
                problems.add(stage + ": " + e.getMessage());
                if (!(e instanceof IOException
                        || e instanceof InvalidCascException
                        || e instanceof IllegalArgumentException)) {
                    e.printStackTrace(out);
                }
            }
        }
        if (controller != null) {
            try {
                builds = controller.reports();
            } catch (RuntimeException e) {
                // keep what we had
            }
        }
        // --keep: report now, serve on; the shutdown hook stops everything on Ctrl-C
        boolean keep = options.keep() && problems.isEmpty();
        List<Long> leftovers = keep ? List.of() : stop();
        DemoResult result =
                new DemoResult(
                        progress.start(),
                        clock.instant(),
                        url,
                        builds,
                        ship,
                        shipSkipped,
                        problems,
                        leftovers);
        out.println();
        out.print(DemoReport.table(result));
        try {
            DemoReport.write(result, options.reportDir());
            out.println("\nreport: " + options.reportDir().resolve("report.html").toAbsolutePath());
        } catch (Exception e) {
            out.println("demo: could not write the report: " + e.getMessage());
        }
        if (result.succeeded()) {
            out.printf(
                    "demo OK in %.1f s%n",
                    Duration.between(result.started(), result.finished()).toMillis() / 1000.0);
        } else {
            problems.forEach(p -> out.println("demo FAILED: " + p));
            if (!leftovers.isEmpty()) {
                out.println("demo FAILED: cleanup: processes still alive: " + leftovers);
            }
        }
        if (keep) {
            keepServing(progress);
        }
        return result;
    }

    private void startCluster(Progress progress) throws Exception {
        boolean registry =
                ShipStage.missing().stream()
                        .noneMatch(m -> m.contains("registry") || m.contains("htpasswd"));
        TestCluster.Builder b =
                TestCluster.builder(options.workDir().resolve("cluster"))
                        .configFile(options.cluster())
                        .mesosPort(0)
                        .component("marathon", DemoComponents::marathon);
        if (registry && !options.skipShip()) {
            b.component("registry", DemoComponents::registry);
        }
        cluster = b.start();
        started.push(cluster);
        progress.line(
                "test-cluster up: "
                        + cluster.endpoints().entrySet().stream()
                                .filter(e -> !e.getKey().contains("PASSWORD"))
                                .map(e -> e.getKey() + "=" + e.getValue())
                                .reduce((x, y) -> x + " " + y)
                                .orElse(""));
    }

    /** What the cloud does when it starts its session, on the settings JCasC gave. */
    private MesosSchedulerSession startSession(CascCloud cloud, Progress progress)
            throws Exception {
        List<AgentTemplate> templates = cloud.agentTemplates();
        String name = cloud.settings().name();
        EngineConfig engineConfig = cloud.engineConfig("").build();
        FrameworkIdentity identity = cloud.framework(templates).build();
        Path state = options.workDir().resolve("state").resolve(name + ".json");
        Files.deleteIfExists(state); // a fresh framework per run: the cluster is new too
        MesosSchedulerSession session =
                MesosSchedulerSession.start(
                        engineConfig,
                        controller,
                        new JsonFileEngineStore(state),
                        ids -> cloud.schedulerConfig(identity).frameworkIdStore(ids).build(),
                        Duration.ofSeconds(1),
                        clock);
        started.push(session);
        session.updateTemplates(templates);
        controller.attach(session, templates);
        progress.line(
                "cloud "
                        + name
                        + " (from "
                        + options.config()
                        + "): scheduler session started with templates "
                        + templates.stream().map(AgentTemplate::name).toList());
        return session;
    }

    private List<ShipStep> ship(Progress progress) {
        Map<String, String> endpoints = cluster.endpoints();
        ShipStage stage =
                new ShipStage(
                        options.workDir().resolve("ship"),
                        endpoints.get("REGISTRY"),
                        endpoints.get("REGISTRY_USER"),
                        endpoints.get("REGISTRY_PASSWORD"),
                        cluster.component("marathon", DemoComponents.Marathon.class).simulator(),
                        progress);
        try {
            stage.run();
        } catch (Exception e) {
            problems.add("ship: " + e.getMessage());
        }
        for (ShipStep step : stage.steps()) {
            if (!step.ok()) {
                problems.add("ship: " + step.name() + ": " + step.detail());
            }
        }
        return stage.steps();
    }

    /** After release, every task must end (the agents exit, the engine kills what is left). */
    private void awaitTasksEnded(Progress progress) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (cluster.mesos().tasks().stream().noneMatch(TaskView::processAlive)) {
                progress.line("every agent task has ended");
                return;
            }
            Thread.sleep(100);
        }
        problems.add("cleanup: agent tasks still running 15 s after they were released");
    }

    private void keepServing(Progress progress) {
        progress.line(
                "--keep: the test-cluster and the demo controller keep running; Ctrl-C stops");
        cluster.endpoints().forEach((k, v) -> out.println(k + "=" + v));
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops everything it started, newest first, and returns the task and agent processes still
     * alive afterwards. Safe to call twice (the shutdown hook on Ctrl-C).
     */
    List<Long> stop() {
        if (!stopped.compareAndSet(false, true)) {
            return List.of();
        }
        Set<Long> check = new HashSet<>();
        if (cluster != null) {
            try {
                cluster.mesos().tasks().forEach(t -> check.add(t.pid()));
            } catch (RuntimeException e) {
                // the simulator may already be gone
            }
        }
        if (controller != null) {
            try {
                check.addAll(controller.agentPids());
            } catch (RuntimeException e) {
                // the queue may already be stopped
            }
        }
        if (watcher != null) {
            check.addAll(watcher.taskPids());
        }
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                out.println("demo: stopping a component failed: " + e);
            }
        }
        // whatever a component left behind (a buildah push cut short by Ctrl-C, ...) goes too
        List<ProcessHandle> rest = ProcessHandle.current().descendants().toList();
        rest.forEach(ProcessHandle::destroy);
        rest.forEach(p -> check.add(p.pid()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        List<Long> alive;
        do {
            alive =
                    check.stream()
                            .filter(pid -> pid > 0)
                            .filter(
                                    pid ->
                                            ProcessHandle.of(pid)
                                                    .map(ProcessHandle::isAlive)
                                                    .orElse(false))
                            .sorted()
                            .toList();
            if (alive.isEmpty()) {
                break;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        } while (System.nanoTime() < deadline);
        return alive;
    }
}
