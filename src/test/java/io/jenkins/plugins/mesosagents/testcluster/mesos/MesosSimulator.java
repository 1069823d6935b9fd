package io.jenkins.plugins.mesosagents.testcluster.mesos;

import org.apache.mesos.v1.Protos.MasterInfo;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A simulated Mesos cluster: one or more masters (HTTP on 127.0.0.1) sharing one set of agents
 * whose tasks run as local processes. Without ZooKeeper the first master leads; with it they elect
 * a leader through {@code json.info_} znodes. Besides the wire API it offers fault injection for
 * tests (also reachable over HTTP at {@code /sim/...} on every master). {@link #close()} stops
 * every process it started.
 */
public final class MesosSimulator implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MesosSimulator.class.getName());

    final MesosSimConfig config;
    final ScheduledThreadPoolExecutor loop;
    final ExecutorService io;
    final ExecutorService httpThreads;
    final Master master;
    final DcosAuth dcosAuth;
    final CallFaults callFaults = new CallFaults();
    private final List<MasterEndpoint> endpoints = new ArrayList<>();
    private AdminRouter adminRouter;
    private final StateRenderer state;
    private ZkElection zk;
    private TlsMaterial tls;
    private volatile MasterInfo leader;
    private volatile long unavailableUntilNanos;
    private volatile boolean closed;
    private final Thread shutdownHook = new Thread(this::close, "mesos-sim-shutdown");
    private int staticLeader;

    private MesosSimulator(MesosSimConfig config) {
        this.config = config;
        this.loop =
                new ScheduledThreadPoolExecutor(
                        1, threads("mesos-sim-loop"), new ThreadPoolExecutor.DiscardPolicy()) {
                    @Override
                    protected void afterExecute(Runnable r, Throwable t) {
                        if (t == null
                                && r instanceof Future<?> f
                                && f.isDone()
                                && !f.isCancelled()) {
                            try {
                                f.get();
                            } catch (ExecutionException e) {
                                LOG.log(Level.SEVERE, "simulator loop task failed", e.getCause());
                            } catch (InterruptedException | CancellationException e) {
                                // shutting down
                            }
                        }
                    }
                };
        this.io = Executors.newCachedThreadPool(threads("mesos-sim-agent"));
        this.httpThreads = Executors.newCachedThreadPool(threads("mesos-sim-http"));
        this.master = new Master(config, loop, io);
        this.state = new StateRenderer(master);
        this.dcosAuth = new DcosAuth(config.serviceAccounts(), config.authTokenLifetime());
    }

    /**
     * Starts the masters (and joins the ZooKeeper election when configured); returns when they
     * serve.
     */
    public static MesosSimulator start(MesosSimConfig config) throws IOException {
        MesosSimulator sim = new MesosSimulator(config);
        try {
            // a test that forgets close() must still not leave task processes behind when its JVM
            // exits
            Runtime.getRuntime().addShutdownHook(sim.shutdownHook);
            sim.startMasters();
            return sim;
        } catch (IOException | RuntimeException e) {
            sim.close();
            throw e;
        } catch (Exception e) {
            sim.close();
            throw new IOException("cannot start the simulated Mesos masters: " + e.getMessage(), e);
        }
    }

    private void startMasters() throws Exception {
        Files.createDirectories(config.workDir());
        if (config.tls()) {
            tls = TlsMaterial.createIn(config.workDir().resolve("tls"));
        }
        for (int i = 0; i < config.masters(); i++) {
            MasterEndpoint m = new MasterEndpoint(this, i == 0 ? config.firstPort() : 0, tls);
            endpoints.add(m);
        }
        endpoints.forEach(MasterEndpoint::start);
        if (config.adminRouter()) {
            adminRouter = new AdminRouter(this, tls);
            adminRouter.start();
        }
        long tick = Math.max(10, config.allocationInterval().toMillis());
        loop.scheduleWithFixedDelay(master.allocator::allocate, tick, tick, TimeUnit.MILLISECONDS);
        if (config.zookeeper() == null) {
            setLeader(endpoints.get(0).info);
        } else {
            zk =
                    new ZkElection(
                            config.zookeeper(),
                            config.zkPath(),
                            endpoints.stream().map(e -> e.info).toList(),
                            (znode, info) -> setLeader(info));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (leader == null && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            if (leader == null) {
                throw new IOException(
                        "no leader elected through ZooKeeper at "
                                + config.zookeeper()
                                + " within 15 s");
            }
        }
    }

    private void setLeader(MasterInfo info) {
        onLoop(
                () -> {
                    leader = info;
                    master.leaderChanged(info);
                    return null;
                });
    }

    // ------------------------------------------------------------------ endpoints

    /** URL of the current leader, e.g. {@code http://127.0.0.1:5050}. */
    public URI leaderUrl() {
        MasterInfo l = leader;
        if (l == null) {
            throw new IllegalStateException("no leader elected");
        }
        return URI.create(
                (tls == null ? "http" : "https")
                        + "://"
                        + l.getAddress().getHostname()
                        + ":"
                        + l.getAddress().getPort());
    }

    /**
     * The Admin Router's URL (DC/OS' "cluster URL", e.g. {@code http://127.0.0.1:41234}) when it
     * runs: the DC/OS login is at {@code /acs/api/v1/auth/login} there and Mesos under {@code
     * /mesos}.
     */
    public Optional<URI> adminRouterUrl() {
        return Optional.ofNullable(adminRouter).map(AdminRouter::uri);
    }

    /** The scheduler API's gateway URL through Admin Router, {@code <cluster URL>/mesos}. */
    public Optional<URI> gatewayUrl() {
        return adminRouterUrl().map(u -> URI.create(u + AdminRouter.MESOS_PREFIX));
    }

    /**
     * Grants (or, with {@code false}, takes away) the service account's {@code
     * dcos:adminrouter:ops:mesos} permission; without it Admin Router answers 403 under {@code
     * /mesos}.
     */
    public void grantMesosThroughAdminRouter(String uid, boolean granted) {
        dcosAuth.grantMesos(uid, granted);
    }

    /**
     * With {@code true}, Admin Router keeps proxying to the master leading now, even after a
     * failover, as while Mesos-DNS still resolves {@code leader.mesos} to the old leader (that
     * master then answers 307 through the gateway); {@code false} follows the leader again.
     */
    public void staleAdminRouterUpstream(boolean stale) {
        if (adminRouter == null) {
            throw new IllegalStateException("no Admin Router runs (adminRouter(true))");
        }
        adminRouter.staleUpstream(stale ? leaderEndpoint() : null);
    }

    /** The PEM CA bundle clients must trust, when the masters serve HTTPS. */
    public Optional<java.nio.file.Path> caCertificate() {
        return tls == null ? Optional.empty() : Optional.of(tls.caPem());
    }

    /** Every master's URL, in start order. */
    public List<URI> masterUrls() {
        return endpoints.stream().map(MasterEndpoint::uri).toList();
    }

    /** {@code zk://host:port/path} when masters elect through ZooKeeper. */
    public Optional<String> zkUrl() {
        return config.zookeeper() == null
                ? Optional.empty()
                : Optional.of("zk://" + config.zookeeper() + config.zkPath());
    }

    public MesosSimConfig config() {
        return config;
    }

    // ------------------------------------------------------------------ fault injection

    /**
     * Per-call-type faults of the scheduler API (and of {@code /master/state}); see {@link
     * CallFaults}.
     */
    public CallFaults callFaults() {
        return callFaults;
    }

    /** Duplicated and delayed status updates; see {@link UpdateFaults}. */
    public UpdateFaults updateFaults() {
        return master.updateFaults;
    }

    /** The master closes every subscription connection (schedulers must resubscribe). */
    public void dropStreams() {
        onLoop(
                () -> {
                    for (Entities.Framework fw : List.copyOf(master.frameworks.values())) {
                        if (fw.subscription != null) {
                            master.disconnected(fw.subscription);
                        }
                    }
                    return null;
                });
    }

    /**
     * An operator tears the framework down (http.cpp:2823-2832 {@code __teardown} calls {@code
     * removeFramework}): its tasks are killed, its stream closed, and a later SUBSCRIBE with its id
     * is refused with "Framework has been removed" (master.cpp:2605-2612).
     */
    public void removeFramework(String frameworkId) {
        onLoop(
                () -> {
                    Entities.Framework fw = master.frameworks.get(frameworkId);
                    if (fw != null) {
                        master.removeFramework(fw);
                    }
                    return null;
                });
    }

    /**
     * The authorizer refuses (or, with {@code false}, allows again) frameworks registering with
     * {@code role}, as a {@code register_frameworks} ACL does.
     */
    public void authorizeRole(String role, boolean allowed) {
        onLoop(
                () -> {
                    if (allowed) {
                        master.unauthorizedRoles.remove(role);
                    } else {
                        master.unauthorizedRoles.add(role);
                    }
                    return null;
                });
    }

    /** The master closes this framework's subscription connection. */
    public void dropStream(String frameworkId) {
        onLoop(
                () -> {
                    Entities.Framework fw = master.frameworks.get(frameworkId);
                    if (fw != null && fw.subscription != null) {
                        master.disconnected(fw.subscription);
                    }
                    return null;
                });
    }

    /**
     * The leading master dies: connections drop, offers vanish, failover timers are lost
     * (MESOS-4659), tasks keep running. With ZooKeeper its znode disappears and the next master is
     * elected (the old one rejoins at the back); without, leadership passes to the next master in
     * order (a single master "restarts"). With {@link #amnesia(AmnesiaWindow)} on, the new leader
     * learns each agent's tasks only when that agent reregisters ({@link AmnesiaFailover}).
     */
    public void failoverLeader() {
        MasterInfo before = leader;
        if (zk != null) {
            try {
                zk.failoverLeader();
            } catch (Exception e) {
                throw new IllegalStateException(
                        "leader failover through ZooKeeper failed: " + e.getMessage(), e);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (leader == before && System.nanoTime() < deadline) {
                sleep(10);
            }
            if (leader == before) {
                throw new IllegalStateException("no new leader elected within 15 s");
            }
        } else {
            staticLeader = (staticLeader + 1) % endpoints.size();
            setLeader(endpoints.get(staticLeader).info);
        }
    }

    /**
     * Makes later {@link #failoverLeader()} calls fail over with amnesia (the new leader learns an
     * agent's tasks only when it reregisters, within {@code window}); {@code null} turns it off.
     * Agents still waiting to reregister after an earlier failover keep their schedule.
     */
    public void amnesia(AmnesiaWindow window) {
        onLoop(
                () -> {
                    master.amnesia.window(window);
                    return null;
                });
    }

    /** True while some agent has not yet reregistered with the leader after an amnesia failover. */
    public boolean agentsReregistering() {
        return onLoop(master.amnesia::anyRecovered);
    }

    /**
     * The agent becomes unreachable (network partition): its tasks keep running but the master
     * loses them.
     */
    public void partitionAgent(String idOrHostname) {
        onLoop(
                () -> {
                    master.agentFaults.partitionAgent(master.agent(idOrHostname));
                    return null;
                });
    }

    /** A partitioned agent reregisters. */
    public void healAgent(String idOrHostname) {
        onLoop(
                () -> {
                    master.agentFaults.healAgent(master.agent(idOrHostname));
                    return null;
                });
    }

    /**
     * The agent is marked gone by an operator: its processes are killed and its tasks are
     * TASK_GONE_BY_OPERATOR.
     */
    public void removeAgent(String idOrHostname) {
        onLoop(
                () -> {
                    master.agentFaults.removeAgent(master.agent(idOrHostname));
                    return null;
                });
    }

    /**
     * Every open subscription goes silent for this long (no events, no heartbeats) while its
     * connection stays open, as during a network partition between scheduler and master; dropped
     * events are not replayed.
     */
    public void silenceStreams(Duration d) {
        onLoop(
                () -> {
                    master.frameworks.values().stream()
                            .filter(f -> f.subscription != null)
                            .forEach(f -> f.subscription.silenceFor(d.toNanos()));
                    return null;
                });
    }

    /**
     * Writes {@code bytes} (e.g. a non-numeric record length) on every open subscription, keeping
     * it open.
     */
    public void injectIntoStreams(byte[] bytes) {
        onLoop(
                () -> {
                    master.frameworks.values().stream()
                            .filter(f -> f.subscription != null)
                            .forEach(f -> f.subscription.sendRaw(bytes));
                    return null;
                });
    }

    /**
     * Every issued DC/OS auth token becomes invalid (clients must log in again after their next
     * 401).
     */
    public void revokeAuthTokens() {
        dcosAuth.revokeAll();
    }

    /** Rescinds every outstanding offer (RESCIND events). */
    public void rescindOffers() {
        onLoop(
                () -> {
                    List.copyOf(master.allocator.offers.values())
                            .forEach(master.allocator::rescind);
                    return null;
                });
    }

    /** Rescinds one offer. */
    public void rescindOffer(String offerId) {
        onLoop(
                () -> {
                    Entities.OfferEntry o = master.allocator.offers.get(offerId);
                    if (o == null) {
                        throw new IllegalArgumentException("no outstanding offer " + offerId);
                    }
                    master.allocator.rescind(o);
                    return null;
                });
    }

    /** The leader answers 503 "Master has not finished recovery" for this long. */
    public void unavailableFor(Duration d) {
        unavailableUntilNanos = System.nanoTime() + d.toNanos();
    }

    // ------------------------------------------------------------------ inspection

    /** Every task ever launched, with its master state, sandbox and process. */
    public List<TaskView> tasks() {
        return onLoop(master::taskViews);
    }

    public Optional<TaskView> task(String taskId) {
        return tasks().stream().filter(t -> t.taskId().equals(taskId)).reduce((a, b) -> b);
    }

    /** The TaskInfo the master accepted for a task, as the scheduler sent it. */
    public Optional<org.apache.mesos.v1.Protos.TaskInfo> launchedTaskInfo(String taskId) {
        return onLoop(() -> master.launchedTask(taskId).map(t -> t.info));
    }

    /**
     * The status updates the task's agent produced, in order, each with the timestamp it carries
     * (the simulator's clock, as a real agent stamps its own).
     */
    public List<org.apache.mesos.v1.Protos.TaskStatus> agentUpdates(String taskId) {
        return onLoop(
                () ->
                        master.launchedTask(taskId)
                                .map(t -> List.copyOf(t.agentUpdates))
                                .orElse(List.of()));
    }

    /** Agent ids in configuration order. */
    public List<String> agentIds() {
        return onLoop(() -> List.copyOf(master.agents.keySet()));
    }

    /** The outstanding offers' ids. */
    public List<String> offerIds() {
        return onLoop(() -> List.copyOf(master.allocator.offers.keySet()));
    }

    /** The {@code /master/state} JSON as the leader would render it. */
    public String stateJson() {
        MasterInfo l = leader;
        return onLoop(() -> state.render(l, l));
    }

    // ------------------------------------------------------------------ internals

    MasterInfo leaderInfo() {
        return leader;
    }

    /**
     * The leading master's endpoint (where Admin Router's {@code leader.mesos} points), or null.
     */
    MasterEndpoint leaderEndpoint() {
        MasterInfo l = leader;
        return l == null
                ? null
                : endpoints.stream()
                        .filter(e -> e.info.getId().equals(l.getId()))
                        .findFirst()
                        .orElse(null);
    }

    boolean unavailable() {
        return System.nanoTime() - unavailableUntilNanos < 0;
    }

    String stateJson(MasterInfo self) {
        MasterInfo l = leader;
        return onLoop(() -> state.render(self, l));
    }

    HttpReply control(String method, String path, String query) {
        return new ControlApi(this).handle(method, path, query);
    }

    <T> T onLoop(Callable<T> c) {
        if (closed) {
            throw new IllegalStateException("the simulator is closed");
        }
        if (Thread.currentThread().getName().startsWith("mesos-sim-loop")) {
            try {
                return c.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        // failures travel back to the caller as values, so the loop's "task failed" log stays for
        // real bugs
        Future<Object[]> f =
                loop.submit(
                        () -> {
                            try {
                                return new Object[] {c.call(), null};
                            } catch (Exception e) {
                                return new Object[] {null, e};
                            }
                        });
        try {
            Object[] result = f.get(20, TimeUnit.SECONDS);
            if (result[1] instanceof RuntimeException r) {
                throw r;
            }
            if (result[1] != null) {
                throw new IllegalStateException((Exception) result[1]);
            }
            @SuppressWarnings("unchecked")
            T value = (T) result[0];
            return value;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (TimeoutException e) {
            f.cancel(false);
            throw new IllegalStateException("simulator loop did not answer within 20 s");
        }
    }

    void runOnLoop(Runnable r) {
        loop.execute(r);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Closes connections, stops the masters and kills every task process (SIGKILL to each process
     * group).
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down
            }
        }
        try {
            onLoop(
                    () -> {
                        master.shutdown();
                        return null;
                    });
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "shutdown", e);
        }
        closed = true;
        endpoints.forEach(MasterEndpoint::stop);
        if (adminRouter != null) {
            adminRouter.stop();
        }
        List<TaskProcess> processes;
        try {
            processes = loop.submit(master::processes).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            processes = List.of();
        }
        processes.forEach(TaskProcess::killNow);
        if (zk != null) {
            zk.close();
        }
        loop.shutdownNow();
        io.shutdownNow();
        httpThreads.shutdownNow();
    }
}
