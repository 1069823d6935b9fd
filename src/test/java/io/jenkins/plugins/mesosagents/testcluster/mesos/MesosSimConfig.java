package io.jenkins.plugins.mesosagents.testcluster.mesos;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of the simulated Mesos cluster. The defaults are the real master's (15 s heartbeats, 1 s
 * allocation interval, 3 s kill grace period, 10 s status-update retry); tests shorten them through
 * {@link Builder}.
 */
public record MesosSimConfig(
        int masters,
        int firstPort,
        String zookeeper,
        String zkPath,
        Duration heartbeatInterval,
        Duration allocationInterval,
        Duration statusUpdateRetryInterval,
        Duration killGracePeriod,
        AmnesiaWindow amnesia,
        int maxCompletedFrameworks,
        String region,
        Map<String, String> credentials,
        Map<String, java.security.PublicKey> serviceAccounts,
        Duration authTokenLifetime,
        boolean tls,
        boolean jsonOnly,
        boolean adminRouter,
        List<AgentConfig> agents,
        Path workDir) {

    public MesosSimConfig {
        if (maxCompletedFrameworks < 0) {
            throw new IllegalArgumentException(
                    "maxCompletedFrameworks must be >= 0, got " + maxCompletedFrameworks);
        }
        if (masters < 1) {
            throw new IllegalArgumentException("masters must be >= 1, got " + masters);
        }
        Objects.requireNonNull(workDir, "workDir");
        credentials = Map.copyOf(credentials);
        serviceAccounts = Map.copyOf(serviceAccounts);
        agents = List.copyOf(agents);
        for (Map.Entry<String, String> c : credentials.entrySet()) {
            if (c.getKey().contains(":")) {
                throw new IllegalArgumentException(
                        "credential principal '" + c.getKey() + "' contains ':'");
            }
        }
    }

    public static Builder builder(Path workDir) {
        return new Builder(workDir);
    }

    public Builder toBuilder() {
        Builder b = new Builder(workDir);
        b.masters = masters;
        b.firstPort = firstPort;
        b.zookeeper = zookeeper;
        b.zkPath = zkPath;
        b.heartbeatInterval = heartbeatInterval;
        b.allocationInterval = allocationInterval;
        b.statusUpdateRetryInterval = statusUpdateRetryInterval;
        b.killGracePeriod = killGracePeriod;
        b.amnesia = amnesia;
        b.maxCompletedFrameworks = maxCompletedFrameworks;
        b.region = region;
        b.credentials.putAll(credentials);
        b.serviceAccounts.putAll(serviceAccounts);
        b.authTokenLifetime = authTokenLifetime;
        b.tls = tls;
        b.jsonOnly = jsonOnly;
        b.adminRouter = adminRouter;
        b.agents.addAll(agents);
        return b;
    }

    /**
     * Reads the {@code "mesos"} section of test-cluster/cluster.json. Durations are given in
     * milliseconds ({@code heartbeatIntervalMillis}, ...); unknown keys are rejected so typos do
     * not go unnoticed.
     */
    public static MesosSimConfig fromJson(JsonNode n, Path workDir) {
        SimConfigJson.requireOnly(
                n,
                "mesos",
                Set.of(
                        "masters",
                        "port",
                        "zookeeper",
                        "zkPath",
                        "heartbeatIntervalMillis",
                        "allocationIntervalMillis",
                        "statusUpdateRetryMillis",
                        "killGracePeriodMillis",
                        "failoverAmnesia",
                        "maxCompletedFrameworks",
                        "region",
                        "credentials",
                        "serviceAccounts",
                        "authTokenLifetimeSeconds",
                        "tls",
                        "adminRouter",
                        "agents"));
        Builder b = builder(workDir);
        b.masters(n.path("masters").asInt(1));
        b.firstPort(n.path("port").asInt(0));
        if (n.hasNonNull("zookeeper")) {
            b.zookeeper(n.get("zookeeper").asText());
        }
        b.zkPath(n.path("zkPath").asText("/mesos"));
        if (n.has("heartbeatIntervalMillis")) {
            b.heartbeatInterval(Duration.ofMillis(n.get("heartbeatIntervalMillis").asLong()));
        }
        if (n.has("allocationIntervalMillis")) {
            b.allocationInterval(Duration.ofMillis(n.get("allocationIntervalMillis").asLong()));
        }
        if (n.has("statusUpdateRetryMillis")) {
            b.statusUpdateRetryInterval(
                    Duration.ofMillis(n.get("statusUpdateRetryMillis").asLong()));
        }
        if (n.has("killGracePeriodMillis")) {
            b.killGracePeriod(Duration.ofMillis(n.get("killGracePeriodMillis").asLong()));
        }
        if (n.hasNonNull("failoverAmnesia")) {
            JsonNode a = n.get("failoverAmnesia");
            SimConfigJson.requireOnly(
                    a, "mesos.failoverAmnesia", Set.of("firstMillis", "lastMillis"));
            if (!a.has("firstMillis") || !a.has("lastMillis")) {
                throw new IllegalArgumentException(
                        "mesos.failoverAmnesia: both \"firstMillis\" and \"lastMillis\" are"
                                + " required (when the first and the last agent reregister after"
                                + " a failover)");
            }
            b.amnesia(
                    new AmnesiaWindow(
                            Duration.ofMillis(a.get("firstMillis").asLong()),
                            Duration.ofMillis(a.get("lastMillis").asLong())));
        }
        b.maxCompletedFrameworks(n.path("maxCompletedFrameworks").asInt(50));
        if (n.hasNonNull("region")) {
            b.region(n.get("region").asText());
        }
        if (n.has("credentials")) {
            int i = 0;
            for (JsonNode c : n.get("credentials")) {
                String where = "mesos.credentials[" + i++ + "]";
                SimConfigJson.requireOnly(c, where, Set.of("principal", "secret"));
                if (!c.hasNonNull("principal") || !c.hasNonNull("secret")) {
                    throw new IllegalArgumentException(
                            where + ": both \"principal\" and \"secret\" are required");
                }
                b.credential(c.get("principal").asText(), c.get("secret").asText());
            }
        }
        if (n.has("serviceAccounts")) {
            int i = 0;
            for (JsonNode c : n.get("serviceAccounts")) {
                String where = "mesos.serviceAccounts[" + i++ + "]";
                SimConfigJson.requireOnly(c, where, Set.of("uid", "publicKey"));
                if (!c.hasNonNull("uid") || !c.hasNonNull("publicKey")) {
                    throw new IllegalArgumentException(
                            where + ": both \"uid\" and \"publicKey\" (PEM) are required");
                }
                try {
                    b.serviceAccount(
                            c.get("uid").asText(),
                            DcosAuth.parsePublicKey(c.get("publicKey").asText()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + ".publicKey: " + e.getMessage(), e);
                }
            }
        }
        b.tls(n.path("tls").asBoolean(false));
        b.adminRouter(n.path("adminRouter").asBoolean(false));
        if (n.has("authTokenLifetimeSeconds")) {
            b.authTokenLifetime(Duration.ofSeconds(n.get("authTokenLifetimeSeconds").asLong()));
        }
        if (n.has("agents")) {
            int i = 0;
            for (JsonNode a : n.get("agents")) {
                b.agent(AgentConfig.fromJson(a, "mesos.agents[" + i++ + "]"));
            }
        }
        return b.build();
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private final Path workDir;
        private int masters = 1;
        private int firstPort = 0;
        private String zookeeper;
        private String zkPath = "/mesos";
        private Duration heartbeatInterval = Duration.ofSeconds(15);
        private Duration allocationInterval = Duration.ofSeconds(1);
        private Duration statusUpdateRetryInterval = Duration.ofSeconds(10);
        private Duration killGracePeriod = Duration.ofSeconds(3);
        private AmnesiaWindow amnesia;
        private int maxCompletedFrameworks = 50;
        private String region;
        private final Map<String, String> credentials = new LinkedHashMap<>();
        private final Map<String, java.security.PublicKey> serviceAccounts = new LinkedHashMap<>();
        private Duration authTokenLifetime = Duration.ofDays(5);
        private boolean tls;
        private boolean jsonOnly;
        private boolean adminRouter;
        private final List<AgentConfig> agents = new ArrayList<>();

        Builder(Path workDir) {
            this.workDir = workDir;
        }

        public Builder masters(int n) {
            masters = n;
            return this;
        }

        /**
         * Port of the first master; 0 (the default) picks a free port. Further masters always use
         * free ports.
         */
        public Builder firstPort(int port) {
            firstPort = port;
            return this;
        }

        /**
         * ZooKeeper connect string ({@code host:port,...}); masters then elect a leader through it.
         */
        public Builder zookeeper(String connectString) {
            zookeeper = connectString;
            return this;
        }

        public Builder zkPath(String path) {
            zkPath = path;
            return this;
        }

        public Builder heartbeatInterval(Duration d) {
            heartbeatInterval = d;
            return this;
        }

        public Builder allocationInterval(Duration d) {
            allocationInterval = d;
            return this;
        }

        /**
         * The agent's first resend interval of an unacknowledged status update; later resends
         * double it, up to 60 times this (Mesos: 10 s, up to 10 min).
         */
        public Builder statusUpdateRetryInterval(Duration d) {
            statusUpdateRetryInterval = d;
            return this;
        }

        public Builder killGracePeriod(Duration d) {
            killGracePeriod = d;
            return this;
        }

        /**
         * Master failovers with amnesia: the new leader knows no task until its agent reregisters,
         * within this window after the failover (see {@link AmnesiaFailover}); {@code null} (the
         * default) keeps a leader that knows every task at once.
         */
        public Builder amnesia(AmnesiaWindow window) {
            amnesia = window;
            return this;
        }

        /**
         * How many removed frameworks the master remembers to refuse their id (the master flag
         * {@code --max_completed_frameworks}, default 50); an id that fell out subscribes again.
         */
        public Builder maxCompletedFrameworks(int n) {
            maxCompletedFrameworks = n;
            return this;
        }

        /**
         * The master's fault-domain region; agents in other regions are offered only to
         * REGION_AWARE frameworks.
         */
        public Builder region(String r) {
            region = r;
            return this;
        }

        /**
         * Turns on HTTP Basic framework authentication (like {@code
         * --authenticate_http_frameworks}).
         */
        public Builder credential(String principal, String secret) {
            credentials.put(principal, secret);
            return this;
        }

        /**
         * Turns on DC/OS service-account login ({@code /acs/api/v1/auth/login}, served only by the
         * Admin Router this starts, see {@link #adminRouter}) and {@code Authorization: token=...}
         * on the scheduler endpoint for this uid, whose service login JWTs must verify with this
         * RSA public key. The account holds {@code dcos:adminrouter:ops:mesos} until {@link
         * MesosSimulator#grantMesosThroughAdminRouter} takes it away.
         */
        public Builder serviceAccount(String uid, java.security.PublicKey publicKey) {
            serviceAccounts.put(uid, publicKey);
            return this;
        }

        /**
         * Lifetime of issued DC/OS auth tokens (DC/OS: 5 days); short values test a client's token
         * refresh.
         */
        public Builder authTokenLifetime(Duration d) {
            authTokenLifetime = d;
            return this;
        }

        /**
         * Serves HTTPS with a certificate from a private CA written to {@code
         * <workDir>/tls/ca.pem}.
         */
        public Builder tls(boolean on) {
            tls = on;
            return this;
        }

        /**
         * Answers 415 to scheduler calls in protobuf, like a master behind a proxy that only passes
         * JSON. A real 1.11 master takes both and answers 415 only to other types
         * (src/master/http.cpp:511-535, Master::Http::scheduler); the doctor's tests need the
         * JSON-only case.
         */
        public Builder jsonOnly(boolean on) {
            jsonOnly = on;
            return this;
        }

        /**
         * Starts a DC/OS Admin Router on a port of its own ({@link MesosSimulator#adminRouterUrl},
         * the "cluster URL"): {@code /mesos/...} proxied to the leading master, and the DC/OS
         * login. Always on with service accounts, as DC/OS has its login nowhere else.
         */
        public Builder adminRouter(boolean on) {
            adminRouter = on;
            return this;
        }

        public Builder agent(AgentConfig agent) {
            agents.add(agent);
            return this;
        }

        public MesosSimConfig build() {
            return new MesosSimConfig(
                    masters,
                    firstPort,
                    zookeeper,
                    zkPath,
                    heartbeatInterval,
                    allocationInterval,
                    statusUpdateRetryInterval,
                    killGracePeriod,
                    amnesia,
                    maxCompletedFrameworks,
                    region,
                    credentials,
                    serviceAccounts,
                    authTokenLifetime,
                    tls,
                    jsonOnly,
                    adminRouter || !serviceAccounts.isEmpty(),
                    agents,
                    workDir);
        }
    }
}
