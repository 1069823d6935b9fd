package io.jenkins.plugins.mesosagents.session;

import com.sun.net.httpserver.HttpServer;

import io.jenkins.plugins.mesosagents.engine.AgentIdentity;
import io.jenkins.plugins.mesosagents.engine.AgentNamer;
import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.engine.EngineConfig;
import io.jenkins.plugins.mesosagents.engine.EngineStore;
import io.jenkins.plugins.mesosagents.engine.JenkinsAgents;
import io.jenkins.plugins.mesosagents.engine.SecretValue;
import io.jenkins.plugins.mesosagents.mesos.Backoff;
import io.jenkins.plugins.mesosagents.mesos.FrameworkIdentity;
import io.jenkins.plugins.mesosagents.mesos.MasterDetector;
import io.jenkins.plugins.mesosagents.mesos.MesosCredentials;
import io.jenkins.plugins.mesosagents.mesos.SchedulerConfig;
import io.jenkins.plugins.mesosagents.testcluster.mesos.MesosSimConfig;
import io.jenkins.plugins.mesosagents.testcluster.mesos.MesosSimulator;
import io.jenkins.plugins.mesosagents.testcluster.mesos.TaskView;

import okhttp3.OkHttpClient;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * The real binding under test — {@link MesosSchedulerSession} with a {@link JsonFileEngineStore} —
 * against the simulated Mesos master, plus the two peers an agent task needs: a tiny Jenkins
 * stand-in serving {@code /jnlpJars/agent.jar} over loopback HTTP, and a fake {@code java} first on
 * the task's PATH (set through the template environment) that checks it was given the agent jar and
 * the inbound arguments, then sleeps until killed ({@code FAKE_AGENT=crash}: exits 3 at once;
 * {@code crash-soon}: after a second). That
 * keeps hundreds of agents cheap on a 2-core box: one {@code sleep} process each instead of a JVM.
 *
 * <p>Jenkins URL variants: {@link #jenkinsUrl()} serves the jar; {@link #stalledJenkinsUrl()} holds
 * the download until {@link #releaseStalledDownloads()} (a task that never gets to run), {@link
 * #brokenJenkinsUrl()} answers 404.
 */
public final class SessionCluster implements AutoCloseable {
    public static final String FAKE_JAVA =
            """
#!/bin/sh
# stands in for the agent JVM: checks what the engine's command line gives it, then behaves like an agent
printf '%s\\n' "$@" > "$MESOS_SANDBOX/java-args"
pwd > "$MESOS_SANDBOX/java-cwd"
jar=; secret=
while [ $# -gt 0 ]; do
  case "$1" in -jar) jar=$2; shift ;; -secret) secret=$2; shift ;; esac
  shift
done
[ -s "$jar" ] || { echo "agent.jar was not fetched: '$jar' in $(pwd)" >&2; exit 9; }
case "$secret" in @*) value=$(cat "${secret#@}") ;; *) value=$secret ;; esac
[ -n "$value" ] || { echo "no agent secret in '$secret'" >&2; exit 8; }
echo read > "$MESOS_SANDBOX/java-secret"
[ "$FAKE_AGENT" = crash ] && { echo "agent crashed on purpose" >&2; exit 3; }
[ "$FAKE_AGENT" = crash-soon ] && { sleep 1; echo "agent crashed on purpose" >&2; exit 3; }
exec sleep 3600
""";

    private final Path dir;
    private final Path fakeBin;
    private final HttpServer jenkins;
    private final CountDownLatch stalled = new CountDownLatch(1);
    private final byte[] agentJar;
    public final MesosSimulator mesos;
    public final FakeJenkins nodes = new FakeJenkins();
    private final List<MesosSchedulerSession> sessions = new CopyOnWriteArrayList<>();
    private final AtomicInteger names = new AtomicInteger();

    private SessionCluster(Path dir, MesosSimConfig.Builder sim) throws IOException {
        this.dir = dir;
        this.fakeBin = Files.createDirectories(dir.resolve("fake-bin"));
        Path java = fakeBin.resolve("java");
        Files.writeString(java, FAKE_JAVA);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        this.agentJar = agentJar();
        this.jenkins =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        jenkins.setExecutor(
                Executors.newCachedThreadPool(
                        r -> {
                            Thread t = new Thread(r, "fake-jenkins-http");
                            t.setDaemon(true);
                            return t;
                        }));
        jenkins.createContext(
                "/",
                exchange -> {
                    String path = exchange.getRequestURI().getPath();
                    try (exchange) {
                        if (path.equals("/stalled/jnlpJars/agent.jar")) {
                            try {
                                stalled.await(25, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                        if (path.equals("/jnlpJars/agent.jar")
                                || path.equals("/stalled/jnlpJars/agent.jar")) {
                            exchange.sendResponseHeaders(200, agentJar.length);
                            exchange.getResponseBody().write(agentJar);
                        } else {
                            exchange.sendResponseHeaders(404, -1);
                        }
                    }
                });
        jenkins.start();
        try {
            this.mesos = MesosSimulator.start(sim.build());
        } catch (IOException | RuntimeException e) {
            jenkins.stop(0);
            throw e;
        }
    }

    /**
     * Simulator settings with short intervals; add agents and start with {@link #start(Path,
     * MesosSimConfig.Builder)}.
     */
    public static MesosSimConfig.Builder fastSimulator(Path dir) {
        return MesosSimConfig.builder(dir.resolve("mesos"))
                .heartbeatInterval(Duration.ofMillis(200))
                .allocationInterval(Duration.ofMillis(100))
                .statusUpdateRetryInterval(Duration.ofMillis(300))
                .killGracePeriod(Duration.ofMillis(500));
    }

    public static SessionCluster start(Path dir, MesosSimConfig.Builder sim) throws IOException {
        return new SessionCluster(dir, sim);
    }

    public String jenkinsUrl() {
        return "http://127.0.0.1:" + jenkins.getAddress().getPort() + "/";
    }

    public String stalledJenkinsUrl() {
        return jenkinsUrl() + "stalled/";
    }

    public String brokenJenkinsUrl() {
        return jenkinsUrl() + "missing/";
    }

    public void releaseStalledDownloads() {
        stalled.countDown();
    }

    /** A small agent template whose tasks run the fake {@code java}. */
    public AgentTemplate.Builder template(String name) {
        return AgentTemplate.builder(name)
                .cpus(0.5)
                .memMb(256)
                .env("PATH", fakeBin + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    }

    /** Engine settings with intervals short enough for tests. */
    public EngineConfig.Builder engine(String jenkinsUrl) {
        return EngineConfig.builder("it-cloud", jenkinsUrl)
                .offerHold(Duration.ofMillis(300))
                .declineShort(Duration.ofMillis(200))
                .declineLong(Duration.ofSeconds(30))
                .reviveDebounce(Duration.ofMillis(100))
                .reconcileInterval(Duration.ofSeconds(2))
                .reconcileRetry(Duration.ofMillis(200), Duration.ofSeconds(1))
                .crashLoop(3, Duration.ofSeconds(3), Duration.ofSeconds(30))
                .orphanGrace(Duration.ofSeconds(2));
    }

    /** Starts the real session against the leading master, state kept in {@code storeFile}. */
    public MesosSchedulerSession session(
            EngineConfig config, Path storeFile, List<AgentTemplate> templates) {
        return session(config, storeFile, templates, mesos.leaderUrl().toString());
    }

    /**
     * Same, with a master setting as a user would type it ({@code http://a,http://b} or {@code
     * zk://...}).
     */
    public MesosSchedulerSession session(
            EngineConfig config, Path storeFile, List<AgentTemplate> templates, String masters) {
        return session(config, storeFile, templates, masters, null);
    }

    /**
     * Same, with the OkHttp client the connection derives its own from (benchmarks add an
     * interceptor).
     */
    public MesosSchedulerSession session(
            EngineConfig config,
            Path storeFile,
            List<AgentTemplate> templates,
            String masters,
            OkHttpClient http) {
        return session(config, new JsonFileEngineStore(storeFile), templates, masters, http);
    }

    /** Same, with any store (benchmarks compare the file store with none). */
    public MesosSchedulerSession session(
            EngineConfig config,
            EngineStore store,
            List<AgentTemplate> templates,
            String masters,
            OkHttpClient http) {
        return session(config, store, templates, masters, http, null);
    }

    /** Same, authenticating with {@code credentials} (null: none). */
    public MesosSchedulerSession session(
            EngineConfig config,
            EngineStore store,
            List<AgentTemplate> templates,
            String masters,
            OkHttpClient http,
            MesosCredentials credentials) {
        FrameworkIdentity identity =
                FrameworkIdentity.builder("jenkins-it", System.getProperty("user.name", "nobody"))
                        .failoverTimeout(Duration.ofMinutes(10))
                        .role("*")
                        .build();
        MesosSchedulerSession session =
                MesosSchedulerSession.start(
                        config,
                        nodes,
                        store,
                        ids ->
                                SchedulerConfig.builder(
                                                MasterDetector.fromString(masters, "http"),
                                                identity)
                                        .frameworkIdStore(ids)
                                        .httpClient(http)
                                        .credentials(credentials)
                                        .backoff(
                                                new Backoff(
                                                        Duration.ofMillis(50),
                                                        Duration.ofMillis(500),
                                                        2.0,
                                                        0.2))
                                        .build(),
                        Duration.ofMillis(50),
                        Clock.systemUTC());
        sessions.add(session);
        session.updateTemplates(templates);
        return session;
    }

    /**
     * Stops holding a closed session (the cluster closes the sessions it holds at the end), so a
     * long run that restarts does not keep the old engines reachable.
     */
    public void forget(MesosSchedulerSession closed) {
        sessions.remove(closed);
    }

    /** Unique agent names, each with its own secret, as Jenkins' namer would give. */
    public AgentNamer namer() {
        return template -> {
            int n = names.incrementAndGet();
            return new AgentIdentity(template.name() + "-" + n, SecretValue.of("secret-" + n));
        };
    }

    /** Tasks of a state in the simulator (by master state name, e.g. {@code TASK_RUNNING}). */
    public List<TaskView> tasksIn(String state) {
        return mesos.tasks().stream().filter(t -> t.state().equals(state)).toList();
    }

    public List<TaskView> liveTasks() {
        return mesos.tasks().stream()
                .filter(
                        t ->
                                Set.of(
                                                "TASK_STAGING",
                                                "TASK_STARTING",
                                                "TASK_RUNNING",
                                                "TASK_KILLING",
                                                "TASK_UNREACHABLE")
                                        .contains(t.state()))
                .toList();
    }

    public String javaArgs(TaskView task) throws IOException {
        return Files.readString(task.sandbox().resolve("java-args"));
    }

    @Override
    public void close() {
        releaseStalledDownloads();
        for (MesosSchedulerSession s : sessions) {
            s.close();
        }
        try {
            mesos.close();
        } finally {
            jenkins.stop(0);
            ((java.util.concurrent.ExecutorService) jenkins.getExecutor()).shutdownNow();
        }
    }

    /**
     * A jar with a manifest and one class file's worth of bytes: what the fetcher downloads as
     * agent.jar.
     */
    private static byte[] agentJar() throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "hudson.remoting.jnlp.Main");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            jar.putNextEntry(new JarEntry("README"));
            jar.write(
                    "stand-in for Jenkins' agent.jar in integration tests"
                            .getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        return bytes.toByteArray();
    }

    /** The Jenkins side: the agent names it says it owns, and what the engine reported to it. */
    public static final class FakeJenkins implements JenkinsAgents {
        public final Set<String> owned = ConcurrentHashMap.newKeySet();
        public final Map<String, String> lost = new ConcurrentHashMap<>();
        public final Map<String, Instant> draining = new ConcurrentHashMap<>();
        public final Map<String, Instant> taskEnded = new ConcurrentHashMap<>();
        public final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public Set<String> agentNames() {
            return Set.copyOf(owned);
        }

        @Override
        public void agentLost(String agentName, String reason) {
            lost.put(agentName, reason);
            events.add("lost " + agentName + ": " + reason);
        }

        @Override
        public void agentDraining(String agentName, Instant start) {
            draining.put(agentName, start);
            events.add("draining " + agentName);
        }

        @Override
        public void taskEnded(String agentName, Instant at) {
            taskEnded.put(agentName, at);
        }

        public List<String> events() {
            return new ArrayList<>(events);
        }
    }
}
