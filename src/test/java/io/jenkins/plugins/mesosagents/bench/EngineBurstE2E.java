package io.jenkins.plugins.mesosagents.bench;

import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.engine.EngineConfig;
import io.jenkins.plugins.mesosagents.engine.EngineStore;
import io.jenkins.plugins.mesosagents.engine.LaunchedAgent;
import io.jenkins.plugins.mesosagents.engine.PlannedAgent;
import io.jenkins.plugins.mesosagents.session.JsonFileEngineStore;
import io.jenkins.plugins.mesosagents.session.MesosSchedulerSession;
import io.jenkins.plugins.mesosagents.session.SessionCluster;
import io.jenkins.plugins.mesosagents.testcluster.mesos.AgentConfig;
import io.jenkins.plugins.mesosagents.testcluster.mesos.MesosSimConfig;

import okhttp3.Dispatcher;
import okhttp3.EventListener;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;

import okio.Buffer;

import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.scheduler.Protos.Call;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * End-to-end burst on the test-cluster: 500 agents over 3 templates demanded at once from a cloud
 * on 100 simulated hosts (8 cpus, 16 GiB each; Mesos' default 1 s allocation interval), through the
 * real session, client and simulator, with each agent a real local process (the fake {@code java}
 * of {@link SessionCluster}). It runs the engine's matcher and then the first-fit,
 * one-agent-per-offer baseline (the incumbent's strategy, engine flag {@code firstFitBaseline}) on
 * fresh clusters in the same run, with production engine settings otherwise.
 *
 * <p>Measured per strategy: allocation rounds (OFFERS events the framework received from the demand
 * until the last ACCEPT, counted from the client's event log), wall time until every agent's future
 * reported RUNNING, demand → LAUNCH latency per agent (from the {@code provision} call to the
 * ACCEPT carrying its task leaving the client, seen by an OkHttp interceptor), and hosts used
 * against the lower bound max(Σcpus/host cpus, Σmem/host mem). Not a unit test: run {@code mvn -B
 * -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.jenkins.plugins.mesosagents.bench.EngineBurstE2E}.
 */
public final class EngineBurstE2E {
    static final int HOSTS = 100;
    static final double HOST_CPUS = 8;
    static final double HOST_MEM = 16384;
    static final Duration ALLOCATION_INTERVAL = Duration.ofSeconds(1);
    private static final boolean TRACE = Boolean.getBoolean("burst.trace");

    /** Template name, cpus, mem, agents. */
    record Demand(String template, double cpus, double mem, int count) {}

    static final List<Demand> BURST =
            List.of(
                    new Demand("small", 0.5, 1024, 250),
                    new Demand("medium", 1, 2048, 150),
                    new Demand("large", 2, 4096, 100));

    record Result(
            String strategy,
            int agents,
            int offerRounds,
            long wallMillis,
            double p50Millis,
            double p99Millis,
            double maxMillis,
            int hostsUsed,
            int hostsLowerBound,
            int acceptCalls,
            double acceptMeanRoundTripMillis,
            double firstOffersMillis,
            double firstAcceptMillis,
            double lastAcceptMillis,
            double wireP50Millis,
            double wireP99Millis) {}

    public static void main(String[] args) throws Exception {
        Path root = Files.createTempDirectory("engine-burst");
        List<Result> results = new ArrayList<>();
        results.add(run(root.resolve("ours"), false, 5));
        results.add(run(root.resolve("baseline"), true, 5));
        System.out.println();
        System.out.println(
                "| strategy | agents | offer rounds | wall time to all RUNNING | demand→LAUNCH p50"
                        + " | p99 | max | hosts used | lower bound |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Result r : results) {
            System.out.printf(
                    "| %s | %d | %d | %.2f s | %.0f ms | %.0f ms | %.0f ms | %d | %d |%n",
                    r.strategy(),
                    r.agents(),
                    r.offerRounds(),
                    r.wallMillis() / 1000.0,
                    r.p50Millis(),
                    r.p99Millis(),
                    r.maxMillis(),
                    r.hostsUsed(),
                    r.hostsLowerBound());
        }
        Result ours = results.get(0);
        Result base = results.get(1);
        System.out.printf(
                "baseline/ours: offer rounds %.1fx, wall time %.1fx%n",
                (double) base.offerRounds() / ours.offerRounds(),
                (double) base.wallMillis() / ours.wallMillis());
        System.exit(0);
    }

    /**
     * One burst on a fresh cluster.
     *
     * @param maxRequestsPerHost concurrency of the base OkHttp client; the Mesos client sends its
     *     calls on a dispatcher of its own, one at a time and in order, so this only affects the
     *     client's other requests
     */
    static Result run(Path dir, boolean baseline, int maxRequestsPerHost) throws Exception {
        Files.createDirectories(dir);
        MesosSimConfig.Builder sim =
                MesosSimConfig.builder(dir.resolve("mesos"))
                        .allocationInterval(ALLOCATION_INTERVAL)
                        .heartbeatInterval(Duration.ofSeconds(15))
                        .statusUpdateRetryInterval(Duration.ofSeconds(10))
                        .killGracePeriod(Duration.ofMillis(200));
        for (int i = 1; i <= HOSTS; i++) {
            sim.agent(AgentConfig.of(String.format("h%03d.local", i), HOST_CPUS, HOST_MEM));
        }
        Map<String, Long> acceptNanos = new ConcurrentHashMap<>();
        List<Long> acceptRoundTrips = new CopyOnWriteArrayList<>();
        List<Long> offerEventNanos = new CopyOnWriteArrayList<>();
        Handler offers =
                new Handler() {
                    @Override
                    public void publish(LogRecord r) {
                        String m = r.getMessage();
                        if (m != null && m.startsWith("OFFERS:")) {
                            offerEventNanos.add(System.nanoTime());
                        }
                        if (TRACE) {
                            System.out.println(System.nanoTime() / 1_000_000 + " event " + m);
                        }
                    }

                    @Override
                    public void flush() {}

                    @Override
                    public void close() {}
                };
        Logger eventLog = Logger.getLogger("io.jenkins.plugins.mesosagents.mesos.EventLog");
        eventLog.setLevel(Level.FINE);
        eventLog.addHandler(offers);
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(Math.max(64, maxRequestsPerHost));
        dispatcher.setMaxRequestsPerHost(maxRequestsPerHost);
        Map<String, Long> handedNanos = new ConcurrentHashMap<>();
        OkHttpClient http =
                new OkHttpClient.Builder()
                        .dispatcher(dispatcher)
                        .eventListener(
                                new EventListener() {
                                    @Override
                                    public void callStart(okhttp3.Call call) {
                                        // OkHttp calls this inside enqueue(), on the caller's
                                        // thread: the engine loop handing over the ACCEPT
                                        long now = System.nanoTime();
                                        List<String> ids = tasksOfAccept(call.request());
                                        ids.forEach(id -> handedNanos.putIfAbsent(id, now));
                                        if (TRACE && !ids.isEmpty()) {
                                            System.out.println(
                                                    now / 1_000_000
                                                            + " handed ACCEPT "
                                                            + ids.size()
                                                            + " tasks, first "
                                                            + ids.get(0));
                                        }
                                    }
                                })
                        .addInterceptor(acceptRecorder(acceptNanos, acceptRoundTrips))
                        .build();
        try (SessionCluster cluster = SessionCluster.start(dir, sim)) {
            EngineConfig config =
                    EngineConfig.builder("bench", cluster.jenkinsUrl())
                            .firstFitBaseline(baseline)
                            .build();
            List<AgentTemplate> templates = new ArrayList<>();
            for (Demand d : BURST) {
                templates.add(cluster.template(d.template()).cpus(d.cpus()).memMb(d.mem()).build());
            }
            EngineStore store = new JsonFileEngineStore(dir.resolve("state.json"));
            if (Boolean.getBoolean("burst.noStore")) {
                store =
                        new EngineStore() {
                            @Override
                            public java.util.Optional<
                                            io.jenkins.plugins.mesosagents.engine.PersistedState>
                                    load() {
                                return java.util.Optional.empty();
                            }

                            @Override
                            public void save(
                                    io.jenkins.plugins.mesosagents.engine.PersistedState state) {}
                        };
            }
            MesosSchedulerSession session =
                    cluster.session(
                            config, store, templates, cluster.mesos.leaderUrl().toString(), http);
            // quiet before the burst: subscribed, suppressed and no offer held (the subscription's
            // first offers are held
            // for the offer-hold time, then declined) for longer than the hold time plus an
            // allocation round
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            long quietSince = System.nanoTime();
            long quietFor = config.offerHold().plus(ALLOCATION_INTERVAL).toNanos();
            while (System.nanoTime() - quietSince < quietFor) {
                var snapshot = session.snapshot();
                if (!(snapshot.subscribed()
                        && snapshot.suppressed()
                        && snapshot.heldOffers() == 0)) {
                    quietSince = System.nanoTime();
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "session did not subscribe, suppress and decline within 60 s");
                }
                Thread.sleep(20);
            }

            Map<String, Long> demandNanos = new ConcurrentHashMap<>();
            Map<String, Long> runningNanos = new ConcurrentHashMap<>();
            List<CompletableFuture<LaunchedAgent>> futures = new ArrayList<>();
            long start = System.nanoTime();
            if (TRACE) {
                System.out.println(start / 1_000_000 + " demand");
            }
            for (Demand d : BURST) {
                long asked = System.nanoTime();
                if (TRACE) {
                    System.out.println(asked / 1_000_000 + " provision " + d.template());
                }
                List<PlannedAgent> planned =
                        session.provision(d.template(), d.count(), cluster.namer())
                                .get(30, TimeUnit.SECONDS);
                if (planned.size() != d.count()) {
                    throw new IllegalStateException(
                            "engine admitted " + planned.size() + " of " + d.count());
                }
                for (PlannedAgent p : planned) {
                    session.nodeReady(p.name()); // as the cloud's launcher does
                    demandNanos.put(p.name(), asked);
                    futures.add(
                            p.running()
                                    .whenComplete(
                                            (ok, e) ->
                                                    runningNanos.put(p.name(), System.nanoTime())));
                }
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                    .get(180, TimeUnit.SECONDS);
            long allRunning =
                    runningNanos.values().stream().mapToLong(Long::longValue).max().orElseThrow();

            Set<String> hosts = new HashSet<>();
            for (CompletableFuture<LaunchedAgent> f : futures) {
                hosts.add(f.join().hostname());
            }
            double[] latency =
                    demandNanos.entrySet().stream()
                            .mapToDouble(e -> (handedNanos.get(e.getKey()) - e.getValue()) / 1e6)
                            .sorted()
                            .toArray();
            double[] wire =
                    demandNanos.entrySet().stream()
                            .mapToDouble(e -> (acceptNanos.get(e.getKey()) - e.getValue()) / 1e6)
                            .sorted()
                            .toArray();
            long lastAccept =
                    acceptNanos.values().stream().mapToLong(Long::longValue).max().orElseThrow();
            int rounds =
                    (int)
                            offerEventNanos.stream()
                                    .filter(t -> t >= start && t <= lastAccept)
                                    .count();
            double cpus = BURST.stream().mapToDouble(d -> d.cpus() * d.count()).sum();
            double mem = BURST.stream().mapToDouble(d -> d.mem() * d.count()).sum();
            int lowerBound = (int) Math.ceil(Math.max(cpus / HOST_CPUS, mem / HOST_MEM));
            int launchedInSim = cluster.mesos.tasks().size();
            if (launchedInSim != futures.size()) {
                throw new IllegalStateException(
                        "simulator saw "
                                + launchedInSim
                                + " tasks for "
                                + futures.size()
                                + " agents");
            }
            return new Result(
                    baseline ? "first-fit baseline" : "engine",
                    futures.size(),
                    rounds,
                    TimeUnit.NANOSECONDS.toMillis(allRunning - start),
                    percentile(latency, 0.50),
                    percentile(latency, 0.99),
                    latency[latency.length - 1],
                    hosts.size(),
                    lowerBound,
                    acceptRoundTrips.size(),
                    acceptRoundTrips.stream().mapToLong(Long::longValue).average().orElse(0) / 1e6,
                    (offerEventNanos.stream().filter(t -> t >= start).findFirst().orElse(start)
                                    - start)
                            / 1e6,
                    (acceptNanos.values().stream().mapToLong(Long::longValue).min().orElseThrow()
                                    - start)
                            / 1e6,
                    (lastAccept - start) / 1e6,
                    percentile(wire, 0.50),
                    percentile(wire, 0.99));
        } finally {
            eventLog.removeHandler(offers);
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    /**
     * Records when each task's ACCEPT reaches the network (after the client's dispatcher queue).
     */
    private static Interceptor acceptRecorder(
            Map<String, Long> acceptNanos, List<Long> roundTrips) {
        return chain -> {
            var request = chain.request();
            List<String> tasks = tasksOfAccept(request);
            if (tasks.isEmpty()) {
                return chain.proceed(request);
            }
            long now = System.nanoTime();
            tasks.forEach(id -> acceptNanos.putIfAbsent(id, now));
            var response = chain.proceed(request);
            roundTrips.add(System.nanoTime() - now);
            return response;
        };
    }

    /**
     * The task ids an ACCEPT call launches (protobuf or JSON encoded); empty for any other request.
     */
    static List<String> tasksOfAccept(okhttp3.Request request) {
        if (request.body() == null || !request.url().encodedPath().endsWith("/api/v1/scheduler")) {
            return List.of();
        }
        try {
            Buffer body = new Buffer();
            request.body().writeTo(body);
            byte[] bytes = body.readByteArray();
            Call call;
            if (String.valueOf(request.body().contentType()).contains("protobuf")) {
                call = Call.parseFrom(bytes);
            } else {
                Call.Builder b = Call.newBuilder();
                com.google.protobuf.util.JsonFormat.parser()
                        .ignoringUnknownFields()
                        .merge(new String(bytes, java.nio.charset.StandardCharsets.UTF_8), b);
                call = b.build();
            }
            if (TRACE
                    && call.getType() != Call.Type.ACKNOWLEDGE
                    && call.getType() != Call.Type.ACCEPT) {
                System.out.println(System.nanoTime() / 1_000_000 + " call " + call.getType());
            }
            if (call.getType() != Call.Type.ACCEPT) {
                return List.of();
            }
            List<String> ids = new ArrayList<>();
            for (Offer.Operation op : call.getAccept().getOperationsList()) {
                for (TaskInfo t : op.getLaunch().getTaskInfosList()) {
                    ids.add(t.getTaskId().getValue());
                }
            }
            return ids;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static double percentile(double[] sorted, double p) {
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private EngineBurstE2E() {}

    static {
        // keep the console readable: only warnings from the cluster and the client
        Logger.getLogger("io.jenkins.plugins.mesosagents").setLevel(Level.WARNING);
        Arrays.stream(Logger.getLogger("").getHandlers()).forEach(h -> h.setLevel(Level.WARNING));
    }
}
