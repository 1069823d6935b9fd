package io.jenkins.plugins.mesosagents.engine;

import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.scheduler.Protos.Event;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The provisioning engine of one Mesos cloud: Jenkins demand and Mesos events in, scheduler calls
 * and agent outcomes out. All state lives on one serial loop running on the given executor; every
 * public method is thread-safe and only enqueues work (results come back as futures, or through the
 * ports). Time comes only from the injected clock and advances only through {@link #tick()}, so a
 * test with a fixed clock and a direct executor is fully deterministic.
 */
public final class ProvisioningEngine {
    private final EngineCore core;
    private final EngineLoop loop;
    private volatile EngineSnapshot snapshot = EngineSnapshot.EMPTY;

    public ProvisioningEngine(
            EngineConfig config,
            MesosOutbox outbox,
            JenkinsAgents jenkins,
            EngineStore store,
            Clock clock,
            Executor loopExecutor) {
        List<TemplateProblem> problems = config.problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid Mesos cloud settings: " + problems);
        }
        this.core = new EngineCore(config, outbox, jenkins, store, clock);
        this.loop =
                new EngineLoop(
                        loopExecutor,
                        () -> {
                            core.afterStep();
                            snapshot = core.snapshot();
                        });
        // the master's answers to calls come back as loop steps, like events
        this.core.calls.reenter = loop::submit;
    }

    /** Loads the persisted framework id and tasks; call once before the Mesos client subscribes. */
    public CompletableFuture<EngineSnapshot> start() {
        return call(
                () -> {
                    core.load();
                    // published before the caller resumes: the framework id to subscribe with is
                    // read from it, and the loop's own publication comes only after this step
                    snapshot = core.snapshot();
                    return snapshot;
                });
    }

    /**
     * Replaces the cloud's templates; agents waiting for a removed template fail with CANCELLED.
     */
    public void setTemplates(Collection<AgentTemplate> templates) {
        List<AgentTemplate> copy = List.copyOf(templates);
        loop.submit(() -> core.setTemplates(copy));
    }

    /**
     * Asks for {@code count} agents of a template. The answer lists the agents admitted under the
     * caps (possibly fewer, possibly none; the template's diagnosis then says which cap); each
     * one's future completes when its task runs or fails with a reason. Fails with {@link
     * LaunchFailedException} (UNKNOWN_TEMPLATE) for an unknown template.
     */
    public CompletableFuture<List<PlannedAgent>> provision(
            String templateName, int count, AgentNamer namer) {
        return provision(templateName, count, namer, false);
    }

    /**
     * As {@link #provision(String, int, AgentNamer)}; with {@code holdUntilNodeReady} the admitted
     * agents count against the caps at once but are matched against offers only after {@link
     * #nodeReady} names them (a Jenkins node must exist before its inbound agent connects).
     */
    public CompletableFuture<List<PlannedAgent>> provision(
            String templateName, int count, AgentNamer namer, boolean holdUntilNodeReady) {
        return call(() -> core.provision(templateName, count, namer, holdUntilNodeReady));
    }

    /**
     * The agent connected to Jenkins. A task whose agent never connected and then ends is a failed
     * connection (e.g. Jenkins URL unreachable), reported as such and kept out of crash-loop
     * back-off; one that connected and fails soon after is a crash.
     */
    public void agentConnected(String agentName) {
        loop.submit(() -> core.agentConnected(agentName));
    }

    /** The Jenkins node of a held agent exists: launch its task when an offer fits. */
    public void nodeReady(String agentName) {
        loop.submit(() -> core.nodeReady(agentName));
    }

    /**
     * Jenkins is done with this agent (idle, single-use finished, removed, drained): kill its task
     * or cancel it.
     */
    public void release(String agentName) {
        loop.submit(() -> core.release(agentName));
    }

    /**
     * Ends every agent of a template (e.g. one a Jenkinsfile declared, whose block ended): its
     * pending agents are cancelled and its tasks killed, as {@link #release} does for each.
     */
    public void releaseTemplate(String templateName) {
        loop.submit(() -> core.releaseTemplate(templateName));
    }

    /** Feeds one event from the Mesos subscription stream. */
    public void onEvent(Event event) {
        loop.submit(() -> core.onEvent(event));
    }

    /**
     * An accepted UPDATE_FRAMEWORK set the roles whose offers the master holds back from its own
     * list: the engine sends the SUPPRESS (no demand) or REVIVE (demand) that brings them back in
     * line with its agents.
     */
    public void offerSuppressionChanged() {
        loop.submit(core::offerSuppressionChanged);
    }

    /**
     * The subscription stream broke: outstanding offers are void; the next SUBSCRIBED starts over.
     */
    public void onDisconnected() {
        loop.submit(core::disconnected);
    }

    /**
     * As {@link #onDisconnected()}, with the connection's reason (e.g. the master's refusal of
     * SUBSCRIBE), which waiting agents show until the next SUBSCRIBED.
     */
    public void onDisconnected(String reason) {
        loop.submit(() -> core.disconnected(reason == null ? "" : reason));
    }

    /**
     * Mesos removed the framework for good: forgets its id and tasks (their Jenkins agents are
     * lost) and persists that; completes once written, so a new SUBSCRIBE carries no id.
     */
    public CompletableFuture<EngineSnapshot> forgetFramework(String why) {
        return call(() -> {
                    core.forgetFramework(why);
                    return null;
                })
                .thenCompose(x -> settled());
    }

    /**
     * Advances timers (offer hold, revive debounce, launch timeouts, reconciliation, orphans,
     * back-off).
     */
    public void tick() {
        loop.submit(core::tick);
    }

    /** Schedules {@link #tick()} at a fixed rate; cancel the returned future to stop. */
    public ScheduledFuture<?> scheduleTicks(ScheduledExecutorService scheduler, Duration period) {
        return scheduler.scheduleAtFixedRate(
                this::tick, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The Mesos task of an agent, if the engine tracks one (e.g. after a restart: a node whose task
     * is still known needs no new launch; its agent reconnects by itself).
     */
    public CompletableFuture<Optional<AgentTask>> task(String agentName) {
        return call(() -> core.task(agentName));
    }

    /**
     * Completes, with the snapshot, once everything submitted before this call has been applied.
     */
    public CompletableFuture<EngineSnapshot> settled() {
        return call(() -> null).thenApply(x -> snapshot);
    }

    /** The latest consistent state, published after every loop step. */
    public EngineSnapshot snapshot() {
        return snapshot;
    }

    /** The framework id to SUBSCRIBE with, once known (persisted or from SUBSCRIBED). */
    public Optional<String> frameworkId() {
        String id = snapshot.frameworkId();
        return id.isEmpty() ? Optional.empty() : Optional.of(id);
    }

    /**
     * The FrameworkInfo capabilities the engine relies on: MULTI_ROLE (allocation info),
     * TASK_KILLING_STATE, plus GPU_RESOURCES when a template needs GPUs (else GPU hosts send no
     * offers) and REGION_AWARE when a template may run outside the home region. PARTITION_AWARE is
     * always declared by {@code FrameworkIdentity}, so Mesos reports TASK_UNREACHABLE, TASK_GONE,
     * TASK_GONE_BY_OPERATOR and TASK_UNKNOWN instead of TASK_LOST; the engine still handles
     * TASK_LOST.
     */
    public static List<FrameworkInfo.Capability.Type> requiredCapabilities(
            Collection<AgentTemplate> templates) {
        List<FrameworkInfo.Capability.Type> caps =
                new ArrayList<>(
                        List.of(
                                FrameworkInfo.Capability.Type.MULTI_ROLE,
                                FrameworkInfo.Capability.Type.TASK_KILLING_STATE));
        if (templates.stream().anyMatch(t -> t.gpus() > 0)) {
            caps.add(FrameworkInfo.Capability.Type.GPU_RESOURCES);
        }
        if (templates.stream()
                .anyMatch(t -> t.faultDomain().mode() != FaultDomainPlacement.Mode.HOME_REGION)) {
            caps.add(FrameworkInfo.Capability.Type.REGION_AWARE);
        }
        return caps;
    }

    /** The roles to subscribe with (FrameworkInfo.roles): every template's role, sorted. */
    public static List<String> roles(Collection<AgentTemplate> templates) {
        TreeSet<String> roles = new TreeSet<>();
        for (AgentTemplate t : templates) {
            roles.add(t.role());
        }
        return new ArrayList<>(roles);
    }

    private <T> CompletableFuture<T> call(Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.submit(
                () -> {
                    try {
                        result.complete(work.get());
                    } catch (RuntimeException e) {
                        result.completeExceptionally(e);
                    }
                });
        return result;
    }
}
