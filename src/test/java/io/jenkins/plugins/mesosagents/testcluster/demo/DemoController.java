package io.jenkins.plugins.mesosagents.testcluster.demo;

import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.engine.JenkinsAgents;
import io.jenkins.plugins.mesosagents.engine.LaunchFailedException;
import io.jenkins.plugins.mesosagents.engine.LaunchedAgent;
import io.jenkins.plugins.mesosagents.engine.PlannedAgent;
import io.jenkins.plugins.mesosagents.engine.WaitDiagnosis;
import io.jenkins.plugins.mesosagents.pool.PoolState;
import io.jenkins.plugins.mesosagents.pool.WarmPool;
import io.jenkins.plugins.mesosagents.pool.WarmPools;
import io.jenkins.plugins.mesosagents.session.SchedulerSession;

import okhttp3.WebSocket;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for the Jenkins controller: it is the engine's {@link JenkinsAgents} port, keeps the
 * "nodes" (agents planned by the real {@link SchedulerSession}), and plays Jenkins' queue and
 * provisioner in miniature: builds wait for a label, the template serving that label is asked for
 * the agents that are missing, an agent that connects gets a waiting build, a single-use agent is
 * released after its build, a reusable one takes the next. One thread owns this state, as Jenkins'
 * queue lock does; callbacks from the engine and the agents' sockets are handed to it.
 */
final class DemoController implements JenkinsAgents, AgentEndpoint.Agents, AutoCloseable {

    private final Progress progress;
    private final Clock clock;
    private final ExecutorService queue =
            Executors.newSingleThreadExecutor(
                    r -> {
                        Thread t = new Thread(r, "demo-controller-queue");
                        t.setDaemon(true);
                        return t;
                    });
    private final NodeIdentities identities = new NodeIdentities();
    private final Map<String, DemoNode> nodes = new ConcurrentHashMap<>();
    private final List<DemoNode> allNodes = new ArrayList<>();
    private final Map<String, Integer> inFlight = new LinkedHashMap<>();

    /** Templates whose caps admitted fewer agents than asked: asked again once one is released. */
    private final Set<String> capped = new TreeSet<>();

    private final List<BuildRun> builds = new ArrayList<>();
    private final CompletableFuture<Void> allDone = new CompletableFuture<>();
    private List<AgentTemplate> templates = List.of();
    private SchedulerSession session;

    /** Warm pools as the cloud keeps them (the benchmark's); none in the demo. */
    private WarmPools warm;

    private Map<String, WarmPool> pools = Map.of();

    /** Reusable agents idle this long are released (the template's idle termination); null: never. */
    private Duration idleRelease;

    private ScheduledExecutorService ticks;

    DemoController(Progress progress, Clock clock) throws Exception {
        this.progress = progress;
        this.clock = clock;
    }

    /** Starts serving the agents' session: templates and the scheduler session they run on. */
    void attach(SchedulerSession session, List<AgentTemplate> templates) {
        on(
                () -> {
                    this.session = session;
                    this.templates = List.copyOf(templates);
                });
    }

    /**
     * Keeps warm pools and releases idle reusable agents as the cloud does (checked every {@code
     * every}): pools by template name, idle agents kept when their pool wants them.
     */
    void keepWarm(WarmPools warm, Map<String, WarmPool> pools, Duration idleRelease, Duration every) {
        on(
                () -> {
                    this.warm = warm;
                    this.pools = Map.copyOf(pools);
                    this.idleRelease = idleRelease;
                });
        ticks =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "demo-controller-pools");
                            t.setDaemon(true);
                            return t;
                        });
        ticks.scheduleWithFixedDelay(
                () -> on(this::poolCheck), 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops keeping pools (before releasing everything at the end). */
    void stopKeepingWarm() {
        if (ticks != null) {
            ticks.shutdownNow();
        }
        call(
                () -> {
                    warm = null;
                    return null;
                });
    }

    /** Puts builds in the queue at once, as a burst of triggered jobs would. */
    void submit(List<DemoBuild> plan) {
        Instant now = clock.instant();
        on(
                () -> {
                    for (DemoBuild b : plan) {
                        BuildRun run = new BuildRun(b, templateFor(b.label()), now);
                        builds.add(run);
                        if (run.template == null) {
                            run.fail("no template serves label '" + b.label() + "'", now);
                        } else if (warm != null) {
                            warm.arrived(run.template.name());
                        }
                    }
                    progress.line(
                            plan.size() + (plan.size() == 1 ? " build" : " builds") + " queued");
                    schedule();
                });
    }

    /** Completes once every build is done or failed. */
    CompletableFuture<Void> allDone() {
        return allDone;
    }

    /** The master accepted the agent's LAUNCH (seen in its task list). */
    void launchSeen(String agentName, Instant at) {
        on(
                () -> {
                    DemoNode node = nodes.get(agentName);
                    if (node != null && node.launch == null) {
                        node.launch = at;
                    }
                });
    }

    /** Releases every agent still alive (the end of the demo, or Ctrl-C). */
    void releaseAll() {
        on(() -> List.copyOf(nodes.values()).forEach(n -> release(n, "demo finished")));
    }

    List<BuildReport> reports() {
        return call(() -> builds.stream().map(BuildRun::report).toList());
    }

    /** Process ids the agents reported, for the leftover-process check. */
    List<Long> agentPids() {
        return call(() -> allNodes.stream().filter(n -> n.pid > 0).map(n -> n.pid).toList());
    }

    // ------------------------------------------------------------------ JenkinsAgents (engine
    // loop)

    @Override
    public Set<String> agentNames() {
        return new TreeSet<>(nodes.keySet());
    }

    @Override
    public void agentLost(String agentName, String reason) {
        on(
                () -> {
                    DemoNode node = nodes.get(agentName);
                    if (node != null) {
                        progress.line(agentName + " lost: " + reason);
                        if (node.current != null) {
                            node.current.fail("agent lost: " + reason, clock.instant());
                            node.current = null;
                        }
                        release(node, "lost");
                        schedule();
                    }
                });
    }

    @Override
    public void agentDraining(String agentName, Instant start) {
        on(
                () -> {
                    DemoNode node = nodes.get(agentName);
                    if (node != null) {
                        node.draining = true;
                        progress.line(agentName + "'s host enters maintenance at " + start);
                    }
                });
    }

    // ------------------------------------------------------------------ agents' sockets

    @Override
    public Optional<String> secretOf(String agentName) {
        DemoNode node = nodes.get(agentName);
        return node == null ? Optional.empty() : Optional.of(node.secret.reveal());
    }

    @Override
    public void connected(String agentName, WebSocket socket) {
        on(
                () -> {
                    DemoNode node = nodes.get(agentName);
                    if (node != null) {
                        node.socket = socket;
                    }
                });
    }

    @Override
    public void message(String agentName, String text) {
        Instant now = clock.instant();
        on(
                () -> {
                    DemoNode node = nodes.get(agentName);
                    if (node == null) {
                        return;
                    }
                    String[] parts = text.split(" ", 3);
                    switch (parts[0]) {
                        case "HELLO" -> {
                            node.pid = Long.parseLong(parts[1]);
                            node.online = now;
                            node.idleSince = now;
                            session.agentConnected(agentName);
                            progress.line(agentName + " online (agent pid " + node.pid + ")");
                            schedule();
                        }
                        case "OUT" -> {
                            BuildRun run = node.current;
                            if (run != null && run.build.id().equals(parts[1])) {
                                run.output.add(parts.length > 2 ? parts[2] : "");
                            }
                        }
                        case "EXIT" -> buildEnded(node, parts[1], Integer.parseInt(parts[2]), now);
                        default -> progress.line(agentName + " sent an unknown message");
                    }
                });
    }

    @Override
    public void disconnected(String agentName, String reason) {
        on(
                () -> {
                    DemoNode node = nodes.get(agentName);
                    if (node == null) {
                        return; // released: the agent closed as asked
                    }
                    if (node.current != null) {
                        node.current.fail("agent disconnected: " + reason, clock.instant());
                        node.current = null;
                    }
                    // an agent that went away takes no more builds: end its node (and task)
                    node.socket = null;
                    release(node, "disconnected: " + reason);
                    schedule();
                });
    }

    // ------------------------------------------------------------------ the queue (queue thread)

    private void schedule() {
        if (session == null) {
            return;
        }
        for (DemoNode node : List.copyOf(nodes.values())) {
            if (node.online != null && node.current == null && !node.draining && !node.done) {
                builds.stream()
                        .filter(b -> b.waiting() && b.template == node.template)
                        .findFirst()
                        .ifPresent(b -> start(b, node));
            }
        }
        for (AgentTemplate t : templates) {
            long waiting = builds.stream().filter(b -> b.waiting() && b.template == t).count();
            long capacity =
                    nodes.values().stream()
                            .filter(n -> n.template == t && n.current == null && !n.done)
                            .count();
            int asked = inFlight.getOrDefault(t.name(), 0);
            int missing = (int) (waiting - capacity - asked);
            if (missing > 0 && !capped.contains(t.name())) {
                provision(t, missing);
            }
        }
        if (!builds.isEmpty() && builds.stream().allMatch(b -> b.finished != null)) {
            allDone.complete(null);
        }
    }

    private void provision(AgentTemplate t, int count) {
        inFlight.merge(t.name(), count, Integer::sum);
        progress.line("asking the cloud for " + count + " agent(s) of template " + t.name());
        session.provision(t.name(), count, identities)
                .whenCompleteAsync(
                        (planned, failure) -> {
                            inFlight.merge(t.name(), -count, Integer::sum);
                            if (failure != null) {
                                progress.line("provisioning " + t.name() + " failed: " + failure);
                                return;
                            }
                            if (planned.size() < count) {
                                capped.add(t.name());
                                progress.line(
                                        "the cloud admitted "
                                                + planned.size()
                                                + " of "
                                                + count
                                                + " (template "
                                                + t.name()
                                                + " is at its cap); the rest wait for a free"
                                                + " agent");
                            }
                            planned.forEach(p -> addNode(p, t));
                            schedule();
                        },
                        queue);
    }

    /** The node now exists, as Jenkins adds a planned node on its next provisioner pass. */
    private void addNode(PlannedAgent planned, AgentTemplate t) {
        DemoNode node = new DemoNode(planned.name(), t, identities.take(planned.name()));
        node.added = clock.instant();
        nodes.put(node.name, node);
        allNodes.add(node);
        progress.line("node " + node.name + " added (template " + t.name() + ")");
        // as the cloud's launcher does: the engine launches the task only once the node exists,
        // so the agent's first WebSocket connection is never refused
        session.nodeReady(node.name);
        session.running(node.name)
                .whenCompleteAsync((task, failure) -> launched(node, task, failure), queue);
    }

    private void launched(DemoNode node, LaunchedAgent task, Throwable failure) {
        Instant now = clock.instant();
        if (failure == null) {
            node.running = now;
            node.host = task.hostname();
            progress.line(node.name + " task RUNNING on " + task.hostname());
            return;
        }
        Throwable cause =
                failure instanceof CompletionException c && c.getCause() != null
                        ? c.getCause()
                        : failure;
        String reason = cause.getMessage();
        progress.line(node.name + " will not launch: " + reason);
        // Jenkins would keep the build queued and ask again; the demo ends one waiting build of
        // this template with the engine's reason, so that a build nothing can host does not hang
        builds.stream()
                .filter(b -> b.waiting() && b.template == node.template)
                .findFirst()
                .ifPresent(
                        b -> {
                            b.failure =
                                    cause instanceof LaunchFailedException l ? l.failure() : null;
                            var status = session.snapshot().templates().get(node.template.name());
                            if (status != null) {
                                b.recentWaits =
                                        status.recent().stream()
                                                .map(WaitDiagnosis::reason)
                                                .distinct()
                                                .toList();
                            }
                            b.fail(reason, now);
                        });
        release(node, "launch failed");
        schedule();
    }

    private void start(BuildRun run, DemoNode node) {
        run.node = node;
        run.reused = node.buildsRun > 0;
        run.started = clock.instant();
        node.current = run;
        progress.line(run.build.id() + " starts on " + node.name + (run.reused ? " (reused)" : ""));
        String command =
                Base64.getEncoder()
                        .encodeToString(run.build.command().getBytes(StandardCharsets.UTF_8));
        node.socket.send("RUN " + run.build.id() + " " + command);
    }

    private void buildEnded(DemoNode node, String buildId, int exitCode, Instant now) {
        BuildRun run = node.current;
        if (run == null || !run.build.id().equals(buildId)) {
            return;
        }
        node.current = null;
        node.buildsRun++;
        node.idleSince = now;
        node.busyMillis += Duration.between(run.started, now).toMillis();
        run.finish(exitCode, now);
        progress.line(buildId + " done on " + node.name + ": exit " + exitCode);
        if (node.template.singleUse()) {
            release(node, "single use");
        }
        schedule();
    }

    /** What terminating a Jenkins node does: tell the agent, and release its task. */
    private void release(DemoNode node, String why) {
        if (node.done) {
            return;
        }
        node.done = true;
        node.released = clock.instant();
        nodes.remove(node.name);
        capped.remove(node.template.name());
        if (node.socket != null) {
            node.socket.send("RELEASE");
        }
        session.release(node.name);
        progress.line(node.name + " released (" + why + ")");
    }

    /** One pass of the cloud's pool keeper and idle retention, on the queue thread. */
    private void poolCheck() {
        if (session == null || warm == null) {
            return;
        }
        Instant now = clock.instant();
        for (AgentTemplate t : templates) {
            WarmPool pool = pools.getOrDefault(t.name(), WarmPool.OFF);
            var figures = session.snapshot().templates().get(t.name());
            Optional<Duration> toOnline =
                    figures == null || figures.figures().samples() == 0
                            ? Optional.empty()
                            : Optional.of(Duration.ofMillis(figures.figures().p50Millis()));
            List<DemoNode> idle =
                    nodes.values().stream()
                            .filter(n -> n.template == t && idle(n))
                            .sorted((a, b) -> a.idleSince.compareTo(b.idleSince))
                            .toList();
            if (idleRelease != null && !t.singleUse()) {
                int idleCount = idle.size();
                for (DemoNode n : idle) {
                    if (Duration.between(n.idleSince, now).compareTo(idleRelease) >= 0
                            && !warm.keepsIdle(t.name(), pool, idleCount, toOnline)) {
                        release(n, "idle");
                        idleCount--;
                    }
                }
                idle = idle.stream().filter(n -> !n.done).toList();
            }
            int launching =
                    (int)
                                    nodes.values().stream()
                                            .filter(n -> n.template == t && n.online == null)
                                            .count()
                            + inFlight.getOrDefault(t.name(), 0);
            PoolState state = warm.check(t.name(), pool, idle.size(), launching, toOnline);
            if (state.toLaunch() > 0 && !capped.contains(t.name())) {
                provision(t, state.toLaunch());
            }
        }
        schedule();
    }

    private static boolean idle(DemoNode n) {
        return n.online != null && n.current == null && !n.draining && !n.done;
    }

    /** Every node the controller had, released or not, for the cost figures. */
    List<NodeReport> nodeReports() {
        return call(
                () ->
                        allNodes.stream()
                                .map(
                                        n ->
                                                new NodeReport(
                                                        n.name,
                                                        n.template.name(),
                                                        n.added,
                                                        n.online,
                                                        n.released,
                                                        n.busyMillis))
                                .toList());
    }

    /** A node's life for the warm-pool benchmark's cost: added, online, released, busy time. */
    record NodeReport(
            String name,
            String template,
            Instant added,
            Instant online,
            Instant released,
            long busyMillis) {}

    private AgentTemplate templateFor(String label) {
        return templates.stream()
                .filter(t -> List.of(t.labelExpression().trim().split("\\s+")).contains(label))
                .findFirst()
                .orElse(null);
    }

    private void on(Runnable r) {
        queue.execute(
                () -> {
                    try {
                        r.run();
                    } catch (RuntimeException e) {
                        progress.line("demo controller error: " + e);
                        allDone.completeExceptionally(e);
                    }
                });
    }

    private <T> T call(java.util.concurrent.Callable<T> c) {
        try {
            return queue.submit(c).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("demo controller did not answer: " + e, e);
        }
    }

    @Override
    public void close() {
        if (ticks != null) {
            ticks.shutdownNow();
        }
        queue.shutdown();
        try {
            queue.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
