package io.jenkins.plugins.mesosagents.session;

import io.jenkins.plugins.mesosagents.engine.AgentNamer;
import io.jenkins.plugins.mesosagents.engine.AgentTask;
import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.engine.CallFailure;
import io.jenkins.plugins.mesosagents.engine.EngineConfig;
import io.jenkins.plugins.mesosagents.engine.EngineSnapshot;
import io.jenkins.plugins.mesosagents.engine.EngineStore;
import io.jenkins.plugins.mesosagents.engine.JenkinsAgents;
import io.jenkins.plugins.mesosagents.engine.LaunchedAgent;
import io.jenkins.plugins.mesosagents.engine.MesosOutbox;
import io.jenkins.plugins.mesosagents.engine.PlannedAgent;
import io.jenkins.plugins.mesosagents.engine.ProvisioningEngine;
import io.jenkins.plugins.mesosagents.mesos.ConnectionState;
import io.jenkins.plugins.mesosagents.mesos.FrameworkIdStore;
import io.jenkins.plugins.mesosagents.mesos.FrameworkIdentity;
import io.jenkins.plugins.mesosagents.mesos.MesosCallException;
import io.jenkins.plugins.mesosagents.mesos.SchedulerConfig;
import io.jenkins.plugins.mesosagents.mesos.SchedulerConnection;
import io.jenkins.plugins.mesosagents.mesos.SchedulerListener;

import okhttp3.HttpUrl;

import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Binds a {@link SchedulerConnection} to a {@link ProvisioningEngine}: events from the subscription
 * stream go to the engine's loop in order, the engine's calls go out on the connection, and the
 * engine's persisted framework id is the one the connection subscribes with. The engine's timers
 * tick on a small scheduler of their own.
 */
public final class MesosSchedulerSession implements SchedulerSession {
    private static final Logger LOGGER = Logger.getLogger(MesosSchedulerSession.class.getName());

    private final ProvisioningEngine engine;

    /** Replaced once, by a new framework's connection, after Mesos removed the framework. */
    private volatile SchedulerConnection connection;

    private final Function<FrameworkIdStore, SchedulerConfig> connectionConfig;

    /** Shown in the status while the new framework is not yet subscribed; "" when none. */
    private volatile String removalNotice = "";

    private final ExecutorService loop;
    private final ScheduledExecutorService ticker;
    private final ScheduledFuture<?> ticks;
    private final Map<String, CompletableFuture<LaunchedAgent>> launches =
            new ConcurrentHashMap<>();
    private volatile String terminalDetail = "";

    /** The configured templates and the added ones, as the engine has them. */
    private volatile List<AgentTemplate> templates = List.of();

    private List<AgentTemplate> configured = List.of();
    private final Map<String, AgentTemplate> added = new java.util.LinkedHashMap<>();

    /** {@link #connection} for the connection's own threads, which may run before it is set. */
    private volatile SchedulerConnection published;

    /** Why the connection is not subscribed right now (its last failure); "" when it is. */
    private volatile String connectionProblem = "";

    private final AtomicBoolean closed = new AtomicBoolean();

    private MesosSchedulerSession(
            EngineConfig engineConfig,
            JenkinsAgents jenkins,
            EngineStore store,
            Function<FrameworkIdStore, SchedulerConfig> connectionConfig,
            Duration tickPeriod,
            Clock clock) {
        String name = engineConfig.cloudName();
        this.loop = Executors.newSingleThreadExecutor(daemon("mesos-engine-" + name));
        this.ticker =
                Executors.newSingleThreadScheduledExecutor(daemon("mesos-engine-ticks-" + name));
        this.connectionConfig = connectionConfig;
        this.engine =
                new ProvisioningEngine(
                        engineConfig,
                        new MesosOutbox() {
                            @Override
                            public void send(Call call) {
                                submit(call);
                            }

                            @Override
                            public CompletionStage<Void> submit(Call call) {
                                return MesosSchedulerSession.submit(published, call);
                            }
                        },
                        jenkins,
                        store,
                        clock,
                        loop);
        this.engine.start().join();
        this.connection =
                SchedulerConnection.start(
                        connectionConfig.apply(new EngineFrameworkIdStore()), new Listener());
        published = connection;
        this.ticks = engine.scheduleTicks(ticker, tickPeriod);
    }

    /**
     * Starts a session: loads the persisted state, then subscribes (re-subscribing with the
     * persisted framework id, so that tasks of a previous Jenkins run are reconciled, not lost).
     *
     * @param connectionConfig builds the connection settings around the framework id store the
     *     session provides
     */
    public static MesosSchedulerSession start(
            EngineConfig engineConfig,
            JenkinsAgents jenkins,
            EngineStore store,
            Function<FrameworkIdStore, SchedulerConfig> connectionConfig,
            Duration tickPeriod,
            Clock clock) {
        return new MesosSchedulerSession(
                engineConfig, jenkins, store, connectionConfig, tickPeriod, clock);
    }

    /** Sends a call; its outcome goes back to the engine as a {@link CallFailure} or success. */
    private static CompletionStage<Void> submit(SchedulerConnection connection, Call call) {
        if (connection == null) {
            // the engine only calls out after SUBSCRIBED, which needs the connection
            return CompletableFuture.failedFuture(
                    new CallFailure(call.getType(), 0, "no connection to Mesos yet", null));
        }
        return connection
                .send(call)
                .handle(
                        (ok, error) -> {
                            if (error == null) {
                                return null;
                            }
                            Throwable e =
                                    error instanceof CompletionException && error.getCause() != null
                                            ? error.getCause()
                                            : error;
                            LOGGER.warning(() -> call.getType() + " failed: " + e.getMessage());
                            throw e instanceof MesosCallException m
                                    ? new CallFailure(
                                            m.callType(),
                                            m.status(),
                                            m.status() > 0
                                                    ? m.body()
                                                    : m.getCause() == null
                                                            ? m.getMessage()
                                                            : m.getCause().toString(),
                                            m)
                                    : new CallFailure(call.getType(), 0, e.getMessage(), e);
                        });
    }

    @Override
    public void updateTemplates(Collection<AgentTemplate> templates) {
        synchronized (added) {
            configured = List.copyOf(templates);
            pushTemplates();
        }
        alignFramework();
    }

    @Override
    public void addTemplate(AgentTemplate template) {
        synchronized (added) {
            added.put(template.name(), template);
            pushTemplates();
        }
        alignFramework();
    }

    @Override
    public void removeTemplate(String templateName) {
        synchronized (added) {
            if (added.remove(templateName) != null) {
                pushTemplates();
            }
            // also after a restart, when the template was not added again: its tasks are known
            engine.releaseTemplate(templateName);
        }
    }

    /** Hands the engine the configured and added templates; called holding {@code added}. */
    private void pushTemplates() {
        List<AgentTemplate> all = new java.util.ArrayList<>(configured);
        for (AgentTemplate t : added.values()) {
            if (all.stream().noneMatch(c -> c.name().equals(t.name()))) {
                all.add(t);
            }
        }
        engine.setTemplates(all);
        this.templates = List.copyOf(all);
    }

    /**
     * Sends UPDATE_FRAMEWORK when the templates need roles or the GPU_RESOURCES capability the
     * framework does not have: the master only offers a framework its own roles, and GPU agents
     * only to GPU-capable frameworks, so without it a new template would wait for a restart. Also
     * called once subscribed, for templates set before that. The connection adopts the new identity
     * (for later re-subscriptions too) only once the master accepted it.
     */
    private void alignFramework() {
        List<AgentTemplate> wantedBy = templates;
        SchedulerConnection c = published;
        if (wantedBy.isEmpty() || c == null || c.frameworkId().isEmpty()) {
            return;
        }
        FrameworkIdentity current = c.identity();
        List<String> roles = ProvisioningEngine.roles(wantedBy);
        boolean gpus =
                ProvisioningEngine.requiredCapabilities(wantedBy)
                        .contains(FrameworkInfo.Capability.Type.GPU_RESOURCES);
        if (new HashSet<>(current.roles()).equals(new HashSet<>(roles))
                && current.gpuResources() == gpus) {
            return;
        }
        FrameworkIdentity wanted = current.withRoles(roles).withGpuResources(gpus);
        LOGGER.info(
                () ->
                        "Updating framework "
                                + current.name()
                                + " to roles "
                                + roles
                                + (gpus ? " with" : " without")
                                + " GPU_RESOURCES for the changed agent templates");
        c.updateFramework(wanted)
                .whenComplete(
                        (ok, failure) -> {
                            if (failure == null) {
                                engine.offerSuppressionChanged();
                            } else {
                                LOGGER.warning(
                                        () ->
                                                "UPDATE_FRAMEWORK to roles "
                                                        + roles
                                                        + " failed: "
                                                        + failure.getMessage()
                                                        + "; templates needing them get no offers"
                                                        + " until the next template change or"
                                                        + " re-subscription");
                            }
                        });
    }

    @Override
    public CompletableFuture<List<PlannedAgent>> provision(
            String templateName, int count, AgentNamer namer) {
        if (terminalDetail.length() > 0) {
            return CompletableFuture.failedFuture(new IllegalStateException(terminalDetail));
        }
        return engine.provision(templateName, count, namer, true)
                .thenApply(
                        planned -> {
                            planned.forEach(p -> launches.put(p.name(), p.running()));
                            return planned;
                        });
    }

    @Override
    public void nodeReady(String agentName) {
        engine.nodeReady(agentName);
    }

    @Override
    public void agentConnected(String agentName) {
        engine.agentConnected(agentName);
    }

    @Override
    public CompletableFuture<LaunchedAgent> running(String agentName) {
        CompletableFuture<LaunchedAgent> launch = launches.get(agentName);
        if (launch != null) {
            return launch;
        }
        // planned before a restart: the engine recovered its task (if it had one) from the
        // persisted state; a task still starting is followed until it runs or ends
        CompletableFuture<LaunchedAgent> recovered = new CompletableFuture<>();
        followRecovered(agentName, recovered);
        return recovered;
    }

    private void followRecovered(String agentName, CompletableFuture<LaunchedAgent> result) {
        if (result.isDone() || closed.get()) {
            result.completeExceptionally(
                    new IllegalStateException("the Mesos session of this cloud was closed"));
            return;
        }
        engine.task(agentName)
                .whenComplete(
                        (task, failure) -> {
                            if (failure != null) {
                                result.completeExceptionally(failure);
                            } else if (task.isEmpty() || task.get().killRequested()) {
                                result.completeExceptionally(
                                        new IllegalStateException(
                                                "Agent "
                                                        + agentName
                                                        + " has no Mesos task (Jenkins restarted"
                                                        + " before its task was launched, or the"
                                                        + " task ended); it is removed"));
                            } else if (task.get().running()) {
                                AgentTask t = task.get();
                                result.complete(
                                        new LaunchedAgent(
                                                t.agentName(),
                                                t.templateName(),
                                                t.taskId(),
                                                t.mesosAgentId(),
                                                t.hostname()));
                            } else {
                                try {
                                    ticker.schedule(
                                            () -> followRecovered(agentName, result),
                                            1,
                                            TimeUnit.SECONDS);
                                } catch (java.util.concurrent.RejectedExecutionException e) {
                                    result.completeExceptionally(e);
                                }
                            }
                        });
    }

    /** The Mesos task the engine tracks for an agent, as of now. */
    public CompletableFuture<Optional<AgentTask>> task(String agentName) {
        return engine.task(agentName);
    }

    @Override
    public void release(String agentName) {
        launches.remove(agentName);
        engine.release(agentName);
    }

    @Override
    public CompletableFuture<Void> teardown() {
        // closed only once Mesos took it: a failed TEARDOWN leaves the session to try again
        return connection.teardown().thenRun(this::close);
    }

    @Override
    public EngineSnapshot snapshot() {
        return engine.snapshot();
    }

    @Override
    public Status status() {
        SchedulerConnection c = connection;
        ConnectionState state = c.state();
        return new Status(
                state.name(),
                state.isTerminal(),
                !terminalDetail.isEmpty()
                        ? terminalDetail
                        : removalNotice
                                + c.master()
                                        .map(m -> "master " + m)
                                        .orElseGet(
                                                () ->
                                                        connectionProblem.isEmpty()
                                                                ? "looking for the leading master"
                                                                : "not subscribed: "
                                                                        + connectionProblem));
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return; // a second close (cloud reconfigured, then Jenkins stopping) must not fail on
            // the stopped loop
        }
        ticks.cancel(false);
        connection.close();
        engine.onDisconnected();
        ticker.shutdownNow();
        loop.shutdown();
        try {
            loop.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The engine owns the framework id (it persists it with the tasks); the connection reads it
     * from there.
     */
    private final class EngineFrameworkIdStore implements FrameworkIdStore {
        @Override
        public Optional<String> load() {
            return engine.frameworkId();
        }

        @Override
        public void store(String frameworkId) {
            // the engine records it from the SUBSCRIBED event it is given below
        }

        @Override
        public void clear() {
            // the engine forgets the id itself after "Framework has been removed"
        }
    }

    private final class Listener implements SchedulerListener {
        @Override
        public void subscribed(String frameworkId, Event.Subscribed subscribed, HttpUrl master) {
            LOGGER.info(() -> "Subscribed to " + master + " as framework " + frameworkId);
            connectionProblem = "";
            engine.onEvent(
                    Event.newBuilder()
                            .setType(Event.Type.SUBSCRIBED)
                            .setSubscribed(subscribed)
                            .build());
            alignFramework();
        }

        @Override
        public void event(Event event) {
            engine.onEvent(event);
        }

        @Override
        public void disconnected(String reason) {
            connectionProblem = reason;
            engine.onDisconnected(reason);
        }

        @Override
        public void error(String message) {
            // an ERROR event or a SUBSCRIBE the master refuses for good: what the user must fix
            LOGGER.warning(() -> "Mesos: " + message);
            connectionProblem = message;
        }

        @Override
        public void frameworkRemoved(String message) {
            String removedId = engine.frameworkId().orElse("?");
            String notice =
                    "Mesos removed framework "
                            + removedId
                            + " ("
                            + message
                            + "; its failover timeout passed or an operator tore it down) and"
                            + " killed its tasks; this cloud registers as a new framework. ";
            LOGGER.warning(notice);
            removalNotice = notice;
            engine.forgetFramework("Mesos removed framework " + removedId)
                    .whenComplete(
                            (ok, failure) -> {
                                if (failure != null) {
                                    terminalDetail =
                                            notice
                                                    + "Forgetting it failed ("
                                                    + failure
                                                    + "); save the cloud's configuration to retry.";
                                } else if (!closed.get()) {
                                    SchedulerConnection next =
                                            SchedulerConnection.start(
                                                    connectionConfig.apply(
                                                            new EngineFrameworkIdStore()),
                                                    new Listener());
                                    connection = next;
                                    published = next;
                                    if (closed.get()) {
                                        next.close();
                                    }
                                }
                            });
        }

        @Override
        public void failedOver(String message) {
            terminalDetail =
                    "Another scheduler took over this framework ("
                            + message
                            + "); this Jenkins stopped using it. Check that two Jenkins controllers"
                            + " do not share one cloud's state.";
            engine.onDisconnected();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread t = new Thread(runnable, name);
            t.setDaemon(true);
            return t;
        };
    }
}
