package io.jenkins.plugins.mesosagents.testcluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jenkins.plugins.mesosagents.testcluster.mesos.MesosSimConfig;
import io.jenkins.plugins.mesosagents.testcluster.mesos.MesosSimulator;

import org.apache.curator.test.TestingServer;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * The local test cluster: a simulated Mesos master (+ agents) and, plugged in through {@link
 * ComponentFactory}, further pieces such as a Marathon simulator or a docker registry. Each piece
 * reports endpoint lines ({@code MESOS_MASTER=http://127.0.0.1:5050}, later {@code MARATHON=...},
 * {@code REGISTRY=...}).
 *
 * <p>In-process: {@code try (TestCluster c = TestCluster.builder(dir).mesos(cfg).start()) { ... }}.
 * Standalone: {@code test-cluster/run [--config FILE] [--port N]} calls {@link #main}, prints one
 * line per endpoint once ready and serves until SIGTERM/SIGINT; closing stops every process the
 * cluster started.
 */
public final class TestCluster implements AutoCloseable {

    /** One started piece of the cluster. */
    public interface Component extends AutoCloseable {
        /** Endpoint lines in print order, e.g. {@code MARATHON -> http://127.0.0.1:8080}. */
        Map<String, String> endpoints();

        /** Stops the piece and every process it started. */
        @Override
        void close();
    }

    /**
     * Starts one piece from its section of cluster.json; it sees the endpoints of the pieces
     * started before it.
     */
    @FunctionalInterface
    public interface ComponentFactory {
        Component start(Context context) throws Exception;
    }

    /**
     * What a {@link ComponentFactory} gets: a work dir of its own, its config section, earlier
     * endpoints.
     */
    public record Context(Path workDir, JsonNode section, Map<String, String> endpoints) {}

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final List<Component> components = new ArrayList<>();
    private final Map<String, Component> byName = new LinkedHashMap<>();
    private final Map<String, String> endpoints = new LinkedHashMap<>();
    private TestingServer zookeeper;
    private MesosSimulator mesos;

    private TestCluster() {}

    public static Builder builder(Path workDir) {
        return new Builder(workDir);
    }

    /** Starts a cluster with only the Mesos simulator, configured in code. */
    public static TestCluster start(MesosSimConfig mesos) throws IOException {
        return builder(mesos.workDir()).mesos(mesos).start();
    }

    /** All endpoint lines, in print order. */
    public Map<String, String> endpoints() {
        return Collections.unmodifiableMap(endpoints);
    }

    /** The leading master's URL. */
    public URI mesosMaster() {
        return mesos.leaderUrl();
    }

    /** The Mesos simulator, for fault injection and inspection. */
    public MesosSimulator mesos() {
        return mesos;
    }

    /**
     * The embedded ZooKeeper's connect string, when cluster.json asked for {@code "zookeeper":
     * "embedded"}.
     */
    public Optional<String> zookeeper() {
        return zookeeper == null ? Optional.empty() : Optional.of(zookeeper.getConnectString());
    }

    /** A plugged-in component by the name it was registered with. */
    public <T extends Component> T component(String name, Class<T> type) {
        Component c = byName.get(name);
        if (c == null) {
            throw new IllegalArgumentException(
                    "no component '" + name + "'; started: " + byName.keySet());
        }
        return type.cast(c);
    }

    /** Stops components in reverse start order, then ZooKeeper. */
    @Override
    public void close() {
        List<Component> reverse = new ArrayList<>(components);
        Collections.reverse(reverse);
        for (Component c : reverse) {
            try {
                c.close();
            } catch (RuntimeException e) {
                System.err.println("test-cluster: failed to stop a component: " + e);
            }
        }
        if (zookeeper != null) {
            try {
                zookeeper.close();
            } catch (IOException e) {
                System.err.println("test-cluster: failed to stop ZooKeeper: " + e);
            }
        }
    }

    /** Assembles the cluster. Components start in registration order, Mesos first. */
    public static final class Builder {
        private final Path workDir;
        private JsonNode document = MAPPER.createObjectNode();
        private MesosSimConfig mesos;
        private Integer mesosPort;
        private final Map<String, ComponentFactory> factories = new LinkedHashMap<>();

        Builder(Path workDir) {
            this.workDir = workDir.toAbsolutePath();
        }

        /**
         * Reads cluster.json: {@code "mesos"} (see MesosSimConfig.fromJson) and one section per
         * plugged component.
         */
        public Builder configFile(Path file) throws IOException {
            try {
                document = MAPPER.readTree(file.toFile());
            } catch (IOException e) {
                throw new IOException(
                        "cannot read cluster config " + file + ": " + e.getMessage(), e);
            }
            if (document == null || !document.isObject()) {
                throw new IOException("cluster config " + file + " must hold a JSON object");
            }
            return this;
        }

        public Builder configJson(JsonNode doc) {
            document = doc;
            return this;
        }

        /** Uses this Mesos configuration instead of the config file's {@code "mesos"} section. */
        public Builder mesos(MesosSimConfig config) {
            mesos = config;
            return this;
        }

        /** Port of the first master (overrides the config file); 0 picks a free one. */
        public Builder mesosPort(int port) {
            mesosPort = port;
            return this;
        }

        /**
         * Plugs in a component (e.g. "marathon", "registry"); it receives the config file's section
         * of that name.
         */
        public Builder component(String name, ComponentFactory factory) {
            factories.put(name, factory);
            return this;
        }

        public TestCluster start() throws IOException {
            TestCluster cluster = new TestCluster();
            try {
                Files.createDirectories(workDir);
                MesosSimConfig cfg = mesos;
                if (cfg == null) {
                    JsonNode section = document.path("mesos");
                    ObjectNode copy =
                            section.isObject()
                                    ? ((ObjectNode) section).deepCopy()
                                    : MAPPER.createObjectNode();
                    if (copy.path("zookeeper").asText("").equals("embedded")) {
                        cluster.zookeeper = new TestingServer(true);
                        copy.put("zookeeper", cluster.zookeeper.getConnectString());
                    }
                    cfg = MesosSimConfig.fromJson(copy, workDir.resolve("mesos"));
                }
                if (mesosPort != null) {
                    cfg = cfg.toBuilder().firstPort(mesosPort).build();
                }
                if (cluster.zookeeper != null) {
                    cluster.endpoints.put("ZOOKEEPER", cluster.zookeeper.getConnectString());
                }
                cluster.mesos = MesosSimulator.start(cfg);
                MesosSimulator sim = cluster.mesos;
                Map<String, String> mesosLines = new LinkedHashMap<>();
                mesosLines.put("MESOS_MASTER", sim.leaderUrl().toString());
                if (sim.masterUrls().size() > 1) {
                    mesosLines.put(
                            "MESOS_MASTERS",
                            String.join(
                                    ",", sim.masterUrls().stream().map(URI::toString).toList()));
                }
                sim.zkUrl().ifPresent(zk -> mesosLines.put("MESOS_MASTER_ZK", zk));
                sim.caCertificate().ifPresent(ca -> mesosLines.put("MESOS_CA", ca.toString()));
                sim.adminRouterUrl().ifPresent(u -> mesosLines.put("DCOS_URL", u.toString()));
                sim.gatewayUrl().ifPresent(u -> mesosLines.put("MESOS_GATEWAY", u.toString()));
                cluster.add(
                        "mesos",
                        new Component() {
                            @Override
                            public Map<String, String> endpoints() {
                                return mesosLines;
                            }

                            @Override
                            public void close() {
                                sim.close();
                            }
                        });
                for (Map.Entry<String, ComponentFactory> f : factories.entrySet()) {
                    Path dir = workDir.resolve(f.getKey());
                    Files.createDirectories(dir);
                    Component c =
                            f.getValue()
                                    .start(
                                            new Context(
                                                    dir,
                                                    document.path(f.getKey()),
                                                    Collections.unmodifiableMap(
                                                            new LinkedHashMap<>(
                                                                    cluster.endpoints))));
                    cluster.add(f.getKey(), c);
                }
                return cluster;
            } catch (IOException | RuntimeException e) {
                cluster.close();
                throw e;
            } catch (Exception e) {
                cluster.close();
                throw new IOException("test-cluster failed to start: " + e.getMessage(), e);
            }
        }
    }

    private void add(String name, Component c) {
        components.add(c);
        byName.put(name, c);
        endpoints.putAll(c.endpoints());
    }

    /** {@code test-cluster/run [--config FILE] [--port N] [--work-dir DIR]}. */
    public static void main(String[] args) throws Exception {
        Path config = null;
        Integer port = null;
        Path workDir = Path.of("test-cluster", "work");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if ((a.equals("--config") || a.equals("--port") || a.equals("--work-dir"))
                    && i + 1 >= args.length) {
                usage("missing value after " + a);
            }
            switch (a) {
                case "--config" -> config = Path.of(args[++i]);
                case "--port" -> {
                    try {
                        port = Integer.parseInt(args[++i]);
                    } catch (NumberFormatException e) {
                        usage("--port needs a number, got '" + args[i] + "'");
                    }
                }
                case "--work-dir" -> workDir = Path.of(args[++i]);
                case "-h", "--help" -> {
                    System.out.println(
                            "usage: test-cluster/run [--config FILE] [--port N] [--work-dir DIR]");
                    return;
                }
                default -> usage("unknown argument '" + a + "'");
            }
        }
        Builder b =
                builder(workDir)
                        .component("marathon", Components::marathon)
                        .component("registry", Components::registry);
        if (config != null) {
            if (!Files.isRegularFile(config)) {
                usage("config file " + config + " does not exist");
            }
            b.configFile(config);
        }
        if (port == null && !b.document.path("mesos").has("port")) {
            port = 5050;
        }
        if (port != null) {
            b.mesosPort(port);
        }
        TestCluster cluster;
        try {
            cluster = b.start();
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("test-cluster: " + e.getMessage());
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    cluster.close();
                                    stopped.countDown();
                                },
                                "test-cluster-shutdown"));
        cluster.endpoints().forEach((k, v) -> System.out.println(k + "=" + v));
        System.out.flush();
        stopped.await();
    }

    private static void usage(String problem) {
        System.err.println("test-cluster: " + problem);
        System.err.println("usage: test-cluster/run [--config FILE] [--port N] [--work-dir DIR]");
        System.exit(64);
    }
}
