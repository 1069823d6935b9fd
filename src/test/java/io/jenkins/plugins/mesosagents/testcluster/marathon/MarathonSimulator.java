package io.jenkins.plugins.mesosagents.testcluster.marathon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An in-process Marathon speaking the REST v2 contract of the RAML in mesosphere/marathon
 * (docs/docs/rest-api/public/api): apps with versions, deployments that progress every {@code
 * stepInterval} (staged → running → healthy per task), 409 while a deployment locks an app (and
 * {@code force}), rollback and force-cancel via {@code DELETE /v2/deployments/{id}}, and Basic or
 * DC/OS token auth with the {@code /acs/api/v1/auth/login} endpoint. Binds 127.0.0.1 on an
 * ephemeral port.
 *
 * <p>Fault control, in Java (the methods below) or over HTTP without auth: {@code POST
 * /_sim/health?app=/x&mode=fail}, {@code POST /_sim/health?image=i&mode=flap}, {@code POST
 * /_sim/start-failures?app=/x&enabled=true} (or image=), {@code POST /_sim/pause?paused=true},
 * {@code POST /_sim/expire-tokens}, {@code POST /_sim/outage?requests=3}.
 *
 * <p>Closer to real Marathon when configured (see {@link Builder}): health-check grace periods,
 * intervals and launch backoff on a scaled clock, agents with limited capacity and hostname
 * constraints whose declined offers {@code GET /v2/queue} reports, the window in which a deployment
 * cancelled by {@code force=true} is still stopping, and {@code --max_running_deployments}. Always:
 * a deployment finishes once each new instance was healthy (and ready) once, a rollback is a new
 * version that restarts every instance, Marathon-level health-check kills become the
 * lastTaskFailure while Mesos-level ones do not.
 *
 * <p>Deliberate differences from Marathon: unknown app fields are kept as given (Marathon drops
 * them), roles, ports and disk are not matched against offers, pods, groups and events are not
 * served.
 */
public final class MarathonSimulator implements AutoCloseable {
    private final ObjectMapper mapper = new ObjectMapper();
    private final Duration stepInterval;
    private final MarathonState state;
    private final SimAuth auth;
    private final java.util.concurrent.atomic.AtomicInteger outage =
            new java.util.concurrent.atomic.AtomicInteger();
    private HttpServer server;
    private ExecutorService handlers;
    private ScheduledExecutorService stepper;

    private MarathonSimulator(Builder builder) {
        this.stepInterval = builder.stepInterval;
        this.state =
                new MarathonState(
                        builder.clock,
                        new SimConfig(
                                builder.marathonSecond,
                                builder.forceWindowSteps,
                                builder.maxRunningDeployments,
                                builder.offers));
        this.auth =
                new SimAuth(
                        builder.clock,
                        builder.basicUser,
                        builder.basicPassword,
                        builder.serviceAccounts,
                        builder.tokens);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts serving and stepping; returns the base URL, e.g. {@code http://127.0.0.1:40123}. */
    public synchronized String start() throws IOException {
        if (server != null) {
            throw new IllegalStateException("already started at " + url());
        }
        // the JDK server writes headers and body in separate packets; without TCP_NODELAY each
        // exchange waits ~40 ms
        // for a delayed ACK. The flag is read once, when the first HttpServer class initialises.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        handlers = Executors.newFixedThreadPool(4, daemon("marathon-sim-http"));
        server.setExecutor(handlers);
        server.createContext("/", this::handle);
        server.start();
        stepper = Executors.newSingleThreadScheduledExecutor(daemon("marathon-sim-step"));
        stepper.scheduleAtFixedRate(
                this::step,
                stepInterval.toMillis(),
                stepInterval.toMillis(),
                TimeUnit.MILLISECONDS);
        return url();
    }

    private void step() {
        try {
            state.step();
        } catch (RuntimeException e) {
            // a broken step must not silently stop the simulated cluster: keep stepping, tell the
            // test log
            System.err.println("marathon simulator step failed: " + e);
            e.printStackTrace();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    public synchronized String url() {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            stepper.shutdownNow();
            handlers.shutdownNow();
            server = null;
        }
    }

    /**
     * Runs a simulator until killed, for the test cluster: prints {@code MARATHON=<url>}. Options:
     * {@code --step-ms <n>} (default 1000), {@code --basic <user:password>}, {@code --dcos-token
     * <token>}.
     */
    public static void main(String[] args) throws Exception {
        Builder builder = builder().stepInterval(Duration.ofSeconds(1));
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--step-ms" ->
                        builder.stepInterval(Duration.ofMillis(Long.parseLong(args[i + 1])));
                case "--basic" -> {
                    String[] credentials = args[i + 1].split(":", 2);
                    builder.basicAuth(credentials[0], credentials.length > 1 ? credentials[1] : "");
                }
                case "--dcos-token" -> builder.dcosToken(args[i + 1]);
                default ->
                        throw new IllegalArgumentException(
                                "unknown option "
                                        + args[i]
                                        + " (use --step-ms, --basic, --dcos-token)");
            }
        }
        MarathonSimulator marathon = builder.build();
        System.out.println("MARATHON=" + marathon.start());
        Runtime.getRuntime().addShutdownHook(new Thread(marathon::close));
        Thread.currentThread().join();
    }

    // ---- fault control ----

    public void health(String appId, HealthMode mode) {
        state.faults().healthOfApp(appId, mode);
    }

    public void healthOfImage(String image, HealthMode mode) {
        state.faults().healthOfImage(image, mode);
    }

    public void failTaskStarts(String appId, boolean fail) {
        state.faults().startFailuresOfApp(appId, fail);
    }

    public void failTaskStartsOfImage(String image, boolean fail) {
        state.faults().startFailuresOfImage(image, fail);
    }

    /** Running tasks of this image fail (TASK_FAILED) after {@code steps} steps; -1: never. */
    public void crashAfterRunning(String image, int steps) {
        state.faults().crashAfterRunning(image, steps);
    }

    /** Tasks of this image fail health checks until they ran this many (Marathon) seconds. */
    public void healthyAfter(String image, int seconds) {
        state.faults().healthyAfter(image, seconds);
    }

    /** Whether the readiness checks of tasks of this image pass (default true). */
    public void readiness(String image, boolean ready) {
        state.faults().readiness(image, ready);
    }

    /** The next step turns {@code count} running tasks of the app TASK_UNREACHABLE. */
    public void makeUnreachable(String appId, int count) {
        state.faults().unreachable(appId, count);
    }

    /** The next {@code count} app PUTs take effect but are answered 503 (a Marathon timeout). */
    public void timeOutNextPuts(int count) {
        state.faults().putsTimeOut(count);
    }

    private final java.util.Queue<Duration> slowPuts =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** The next app PUT takes effect at once but is answered only after {@code delay}. */
    public void answerNextPutAfter(Duration delay) {
        slowPuts.add(delay);
    }

    private static void sleepQuietly(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Freezes all deployments (they stay listed and keep their apps locked) until unpaused. */
    public void pause(boolean paused) {
        state.pause(paused);
    }

    /** The next {@code requests} API requests get 503, as while Marathon has no leader. */
    public void failNextRequests(int requests) {
        outage.set(requests);
    }

    /** Invalidates every token the login endpoint issued: the next request with one gets 401. */
    public void expireTokens() {
        auth.expireIssuedTokens();
    }

    /** How many successful DC/OS logins happened. */
    public int logins() {
        return auth.logins();
    }

    /** The AppInfo Marathon would return, or null. */
    public ObjectNode app(String appId) {
        SimResponse response = state.getApp(appId);
        return response.status() == 200 ? (ObjectNode) response.body().path("app") : null;
    }

    public List<String> deploymentIds() {
        return state.deploymentIds();
    }

    // ---- HTTP ----

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            SimResponse response;
            try {
                response = route(exchange);
            } catch (RuntimeException e) {
                response = SimResponse.message(500, "simulator error: " + e);
            }
            for (Map.Entry<String, String> header : response.headers().entrySet()) {
                exchange.getResponseHeaders().set(header.getKey(), header.getValue());
            }
            if (response.body() == null) {
                exchange.sendResponseHeaders(response.status(), -1);
                return;
            }
            byte[] bytes = mapper.writeValueAsBytes(response.body());
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(response.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private SimResponse route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        Map<String, List<String>> query = query(exchange.getRequestURI().getRawQuery());
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (path.startsWith("/_sim/")) {
            return control(path, query);
        }
        if (path.equals("/ping")) {
            return SimResponse.json(200, mapper.getNodeFactory().textNode("pong"));
        }
        if (path.equals("/acs/api/v1/auth/login") && method.equals("POST") && auth.dcos()) {
            JsonNode json = parse(body);
            return json == null
                    ? SimResponse.message(400, "Request body is not JSON")
                    : auth.login(json);
        }
        if (outage.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return SimResponse.message(
                    503, "Could not determine the current leader (simulated outage)");
        }
        SimResponse denied = auth.check(exchange.getRequestHeaders().getFirst("Authorization"));
        if (denied != null) {
            return denied;
        }
        boolean force = flag(query, "force", false);
        if (path.equals("/v2/info") && method.equals("GET")) {
            return SimResponse.json(200, info());
        }
        if (path.equals("/v2/leader") && method.equals("GET")) {
            return SimResponse.json(
                    200,
                    mapper.createObjectNode()
                            .put("leader", "127.0.0.1:" + server.getAddress().getPort()));
        }
        if (path.equals("/v2/queue") && method.equals("GET")) {
            return state.queue();
        }
        if (path.equals("/v2/deployments") && method.equals("GET")) {
            return state.listDeployments();
        }
        if (path.startsWith("/v2/deployments/") && method.equals("DELETE")) {
            return state.deleteDeployment(
                    decode(path.substring("/v2/deployments/".length())), force);
        }
        if (path.equals("/v2/apps") || path.equals("/v2/apps/")) {
            if (method.equals("GET")) {
                return state.listApps();
            }
            if (method.equals("POST")) {
                JsonNode json = parse(body);
                return json instanceof ObjectNode app ? state.create(app) : invalidJson(body);
            }
        }
        if (path.startsWith("/v2/apps/")) {
            return app(method, decode(path.substring("/v2/apps".length())), query, body, force);
        }
        return SimResponse.message(
                404, "No resource " + method + " " + path + " in the simulated Marathon");
    }

    private SimResponse app(
            String method, String id, Map<String, List<String>> query, byte[] body, boolean force) {
        int versions = id.indexOf("/versions");
        if (method.equals("GET") && versions > 0) {
            String rest = id.substring(versions + "/versions".length());
            return rest.isEmpty()
                    ? state.versions(id.substring(0, versions))
                    : state.version(id.substring(0, versions), rest.substring(1));
        }
        if (method.equals("GET") && id.endsWith("/tasks")) {
            return state.tasks(id.substring(0, id.length() - "/tasks".length()));
        }
        if (method.equals("POST") && id.endsWith("/restart")) {
            return state.restart(id.substring(0, id.length() - "/restart".length()), force);
        }
        switch (method) {
            case "GET":
                return state.getApp(id);
            case "PUT":
            case "PATCH":
                {
                    JsonNode json = parse(body);
                    if (!(json instanceof ObjectNode app)) {
                        return invalidJson(body);
                    }
                    boolean partial = method.equals("PATCH") || flag(query, "partialUpdate", true);
                    SimResponse response = state.put(id, app, force, partial);
                    Duration slow = slowPuts.poll();
                    if (slow != null) {
                        // applied, then answered too late for the client's call timeout
                        sleepQuietly(slow);
                    }
                    return response;
                }
            case "DELETE":
                return state.delete(id, flag(query, "force", true));
            default:
                return SimResponse.message(405, "Method " + method + " not allowed");
        }
    }

    private SimResponse control(String path, Map<String, List<String>> query) {
        String app = first(query, "app");
        String image = first(query, "image");
        switch (path) {
            case "/_sim/health" -> {
                HealthMode mode =
                        HealthMode.valueOf(first(query, "mode").toUpperCase(java.util.Locale.ROOT));
                if (image != null) {
                    healthOfImage(image, mode);
                } else {
                    health(app, mode);
                }
            }
            case "/_sim/start-failures" -> {
                boolean enabled = flag(query, "enabled", true);
                if (image != null) {
                    failTaskStartsOfImage(image, enabled);
                } else {
                    failTaskStarts(app, enabled);
                }
            }
            case "/_sim/pause" -> pause(flag(query, "paused", true));
            case "/_sim/expire-tokens" -> expireTokens();
            case "/_sim/outage" -> failNextRequests(Integer.parseInt(first(query, "requests")));
            default -> {
                return SimResponse.message(404, "unknown control " + path);
            }
        }
        return SimResponse.message(200, "ok");
    }

    private ObjectNode info() {
        ObjectNode info =
                mapper.createObjectNode()
                        .put("name", "marathon")
                        .put("version", "1.11.24-simulated")
                        .put("buildref", "simulator")
                        .put("elected", true)
                        .put("leader", "127.0.0.1:" + server.getAddress().getPort())
                        .put("frameworkId", "sim-framework-0000");
        ObjectNode config = info.putObject("marathon_config");
        config.putArray("features");
        config.put("framework_name", "marathon")
                .put("master", "zk://127.0.0.1:2181/mesos")
                .put("mesos_role", "*")
                .put("ha", false)
                .put("hostname", "127.0.0.1");
        info.putObject("zookeeper_config")
                .put("zk", "zk://127.0.0.1:2181/marathon")
                .put("zk_timeout", 10000);
        info.putObject("http_config")
                .put("http_port", server.getAddress().getPort())
                .put("https_port", 8443);
        return info;
    }

    private JsonNode parse(byte[] body) {
        try {
            return body.length == 0 ? null : mapper.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private SimResponse invalidJson(byte[] body) {
        String error;
        try {
            JsonNode json = body.length == 0 ? null : mapper.readTree(body);
            error =
                    json == null
                            ? "error.expected.jsobject (empty body)"
                            : "error.expected.jsobject";
        } catch (JsonProcessingException e) {
            error = e.getOriginalMessage();
        } catch (IOException e) {
            error = e.getMessage();
        }
        ObjectNode response = mapper.createObjectNode().put("message", "Invalid JSON");
        response.putArray("details").addObject().put("path", "/").putArray("errors").add(error);
        return SimResponse.json(400, response);
    }

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> query = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String key = decode(eq < 0 ? pair : pair.substring(0, eq));
                query.computeIfAbsent(key, k -> new ArrayList<>())
                        .add(eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return query;
    }

    private static String first(Map<String, List<String>> query, String key) {
        List<String> values = query.get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static boolean flag(Map<String, List<String>> query, String key, boolean fallback) {
        String value = first(query, key);
        return value == null ? fallback : value.isEmpty() || Boolean.parseBoolean(value);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    /** Configures a simulator; defaults: 100 ms steps, no auth, the system clock. */
    public static final class Builder {
        private Duration stepInterval = Duration.ofMillis(100);
        private Clock clock = Clock.systemUTC();
        private Duration marathonSecond;
        private int forceWindowSteps;
        private int maxRunningDeployments = 100;
        private SimOffers offers = SimOffers.unlimited();

        /**
         * One Marathon second lasts this long: health-check grace periods and intervals and the
         * launch backoff follow the apps' values on this scale (unset: one check per step, no
         * grace, no backoff).
         */
        public Builder marathonSecond(Duration realTime) {
            this.marathonSecond = realTime;
            return this;
        }

        /** A deployment cancelled by force=true takes this many steps to stop (default 0). */
        public Builder forceWindowSteps(int steps) {
            this.forceWindowSteps = steps;
            return this;
        }

        /** Marathon's --max_running_deployments (default 100). */
        public Builder maxRunningDeployments(int max) {
            this.maxRunningDeployments = max;
            return this;
        }

        /** {@code count} agents of this size (default: unlimited capacity). */
        public Builder agents(int count, double cpus, double mem) {
            this.offers = new SimOffers(count, cpus, mem);
            return this;
        }

        private String basicUser;
        private String basicPassword;
        private final Map<String, PublicKey> serviceAccounts = new HashMap<>();
        private final Set<String> tokens = new HashSet<>();

        public Builder stepInterval(Duration stepInterval) {
            this.stepInterval = stepInterval;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Require HTTP Basic with these credentials. */
        public Builder basicAuth(String user, String password) {
            this.basicUser = user;
            this.basicPassword = password;
            return this;
        }

        /**
         * Require DC/OS tokens; this service account may log in with RS256 JWTs signed by the
         * matching private key.
         */
        public Builder dcosServiceAccount(String uid, PublicKey publicKey) {
            serviceAccounts.put(uid, publicKey);
            return this;
        }

        /** Require DC/OS tokens; this fixed token is accepted. */
        public Builder dcosToken(String token) {
            tokens.add(token);
            return this;
        }

        public MarathonSimulator build() {
            return new MarathonSimulator(this);
        }
    }
}
