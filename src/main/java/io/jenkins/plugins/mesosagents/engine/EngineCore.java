package io.jenkins.plugins.mesosagents.engine;

import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The engine's state and its reactions to demand, Mesos events and clock ticks. Confined to the
 * engine loop: {@link ProvisioningEngine} is the only caller. Offers are delegated to {@link
 * OfferDesk}, task updates to {@link TaskUpdates}.
 */
final class EngineCore {
    private static final Logger LOG = Logger.getLogger(EngineCore.class.getName());
    private static final java.util.regex.Pattern VALID_NAME =
            java.util.regex.Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,199}");

    final EngineConfig config;
    final JenkinsAgents jenkins;
    final Clock clock;
    final TaskInfoFactory taskInfos;
    final TaskBook book = new TaskBook();
    final CrashLoop crashLoop;
    final Diagnostics diagnostics;
    final TemplateStats stats = new TemplateStats();
    final Reconciler reconciler;
    final OfferDesk desk;
    final TaskUpdates updates;
    final TaskKills kills;
    final Map<String, AgentTemplate> templates = new LinkedHashMap<>();
    final Map<String, ArrayDeque<PendingAgent>> pending = new LinkedHashMap<>();
    final Map<String, PendingAgent> pendingByName = new HashMap<>();
    final Set<String> reportedLost = new HashSet<>();
    private final EngineStore store;
    FrameworkID frameworkId = FrameworkID.newBuilder().setValue("").build();
    boolean subscribed;

    /** Why the framework is not subscribed (the connection's last failure); "" when unknown. */
    String notSubscribedReason = "";

    final CallSender calls;
    String homeRegion = "";
    boolean dirty;
    private long lastJenkinsCheckMillis = Long.MIN_VALUE / 2;
    private long lastTickMillis;
    private long lastSaveMillis = Long.MIN_VALUE / 2;

    EngineCore(
            EngineConfig config,
            MesosOutbox outbox,
            JenkinsAgents jenkins,
            EngineStore store,
            Clock clock) {
        this.config = config;
        this.jenkins = jenkins;
        this.store = store;
        this.clock = clock;
        this.calls = new CallSender(outbox, clock, config.cloudName().hashCode());
        this.taskInfos = new TaskInfoFactory(config);
        this.crashLoop =
                new CrashLoop(
                        config.crashLoopThreshold(),
                        config.crashBackoffBase(),
                        config.crashBackoffMax());
        this.diagnostics = new Diagnostics(config.diagnosticsHistory());
        this.reconciler =
                new Reconciler(
                        config.reconcileInterval(),
                        config.reconcileRetryMin(),
                        config.reconcileRetryMax());
        this.desk = new OfferDesk(this);
        this.updates = new TaskUpdates(this);
        this.kills = new TaskKills(this);
    }

    long now() {
        return clock.millis();
    }

    void send(Call call) {
        send(call, null);
    }

    /**
     * Sends a call; {@code outcome} runs on the engine loop once the master answered. Callers send
     * only while subscribed; otherwise the call is dropped and no outcome follows (the next
     * SUBSCRIBED starts over).
     */
    void send(Call call, CallSender.Outcome outcome) {
        if (!subscribed) {
            LOG.fine(() -> "not subscribed; dropping " + call.getType());
            return;
        }
        calls.send(call, outcome);
    }

    long retryDelayMillis(int attempt) {
        return calls.retryDelayMillis(attempt);
    }

    /** Records why every template with waiting agents waits (a cause that affects them all). */
    void explainWaiting(WaitReason reason, String detail, long now) {
        for (Map.Entry<String, ArrayDeque<PendingAgent>> e : pending.entrySet()) {
            if (!e.getValue().isEmpty()) {
                diagnostics.record(e.getKey(), reason, detail, Instant.ofEpochMilli(now));
            }
        }
    }

    void load() {
        Optional<PersistedState> state = store.load();
        if (state.isEmpty()) {
            return;
        }
        frameworkId = FrameworkID.newBuilder().setValue(state.get().frameworkId()).build();
        long now = now();
        for (PersistedState.PersistedTask p : state.get().tasks()) {
            if (book.get(p.taskId()) != null) {
                continue;
            }
            TaskState s = TaskState.valueOf(p.state());
            TrackedTask t =
                    new TrackedTask(
                            p.agentName(),
                            p.templateName(),
                            p.cpus(),
                            p.memMb(),
                            p.agentId(),
                            p.hostname(),
                            s,
                            p.launchedAtMillis(),
                            Map.of());
            t.wasRunning = s == TaskState.TASK_RUNNING || s == TaskState.TASK_UNREACHABLE;
            // not persisted: a task that ran before the restart is not called a failed connection
            t.agentConnected = t.wasRunning;
            t.lastUpdateMillis = Long.MIN_VALUE;
            AgentTemplate tpl = templates.get(p.templateName());
            t.launchDeadlineMillis =
                    now
                            + (tpl == null
                                            ? AgentTemplate.DEFAULT_LAUNCH_TIMEOUT
                                            : tpl.launchTimeout())
                                    .toMillis();
            book.add(t);
        }
        LOG.info(
                () ->
                        "Recovered framework "
                                + frameworkId.getValue()
                                + " with "
                                + book.size()
                                + " tasks");
    }

    void setTemplates(Collection<AgentTemplate> next) {
        templates.clear();
        for (AgentTemplate t : next) {
            templates.put(t.name(), t);
        }
        for (Iterator<Map.Entry<String, ArrayDeque<PendingAgent>>> it =
                        pending.entrySet().iterator();
                it.hasNext(); ) {
            Map.Entry<String, ArrayDeque<PendingAgent>> e = it.next();
            if (!templates.containsKey(e.getKey())) {
                for (PendingAgent p : e.getValue()) {
                    pendingByName.remove(p.name);
                    p.running.completeExceptionally(
                            new LaunchFailedException(
                                    LaunchFailedException.Cause.CANCELLED,
                                    "Agent template '"
                                            + e.getKey()
                                            + "' was removed before agent "
                                            + p.name
                                            + " launched"));
                }
                it.remove();
            }
        }
    }

    List<PlannedAgent> provision(
            String templateName, int count, AgentNamer namer, boolean holdUntilNodeReady) {
        AgentTemplate t = templates.get(templateName);
        if (t == null) {
            throw new LaunchFailedException(
                    LaunchFailedException.Cause.UNKNOWN_TEMPLATE,
                    "No agent template named '"
                            + templateName
                            + "' in cloud "
                            + config.cloudName()
                            + "; known: "
                            + templates.keySet());
        }
        long now = now();
        int admitted = Math.min(Math.max(0, count), Caps.admissible(this, t));
        List<PlannedAgent> planned = new ArrayList<>(admitted);
        for (int i = 0; i < admitted; i++) {
            AgentIdentity id = namer.next(t);
            if (!VALID_NAME.matcher(id.name()).matches()) {
                throw new IllegalArgumentException(
                        "Agent name '"
                                + id.name()
                                + "' cannot be a Mesos task id: use 1-200"
                                + " letters, digits, '.', '_' or '-'");
            }
            if (pendingByName.containsKey(id.name()) || book.get(id.name()) != null) {
                throw new IllegalStateException(
                        "Agent name '"
                                + id.name()
                                + "' is already in use in cloud "
                                + config.cloudName()
                                + "; the namer must return unique names");
            }
            PendingAgent p = new PendingAgent(id.name(), t, id.secret(), now, !holdUntilNodeReady);
            pending.computeIfAbsent(t.name(), k -> new ArrayDeque<>()).addLast(p);
            pendingByName.put(p.name, p);
            stats.requested(p.name, t.name(), now);
            planned.add(new PlannedAgent(p.name, t.name(), p.running));
        }
        if (admitted > 0) {
            desk.demandAdded();
            desk.matchAndLaunch(now);
        }
        if (admitted < count) {
            // recorded last so that it is the current reason: Jenkins asked for more than the caps
            // allow
            diagnostics.record(
                    t.name(),
                    WaitReason.CAP_REACHED,
                    Caps.explain(this, t),
                    Instant.ofEpochMilli(now));
        }
        return planned;
    }

    /**
     * The task of {@code t} never started in Mesos (its ACCEPT was refused, or reconciliation after
     * an unanswered ACCEPT does not know it): forget the task and queue its agent again.
     */
    void relaunch(TrackedTask t, String why, long now) {
        PendingAgent p = t.relaunchable;
        book.remove(t);
        kills.forget(t);
        dirty = true;
        t.relaunchable = null;
        if (p == null || t.killRequested || !t.awaitingLaunch()) {
            return; // released meanwhile, or nobody waits for it any more
        }
        LOG.info(() -> "Launching agent " + p.name + " again: " + why);
        pending.computeIfAbsent(p.template.name(), k -> new ArrayDeque<>()).addFirst(p);
        pendingByName.put(p.name, p);
        diagnostics.record(
                p.template.name(), WaitReason.MESOS_CALL_FAILED, why, Instant.ofEpochMilli(now));
        desk.demandAdded();
    }

    int pendingCount() {
        return pendingByName.size();
    }

    /** The agent's Jenkins node exists: its task may now be launched. */
    void nodeReady(String agentName) {
        PendingAgent p = pendingByName.get(agentName);
        if (p != null && !p.nodeReady) {
            p.nodeReady = true;
            desk.demandAdded();
            desk.matchAndLaunch(now());
        }
    }

    /** The agent's inbound connection reached Jenkins: from now on, its task ending is a crash. */
    void agentConnected(String agentName) {
        TrackedTask t = book.get(agentName);
        if (t != null) {
            t.agentConnected = true;
            stats.connected(agentName, now());
        }
    }

    void release(String agentName) {
        stats.forget(agentName);
        PendingAgent p = pendingByName.remove(agentName);
        if (p != null) {
            pending.get(p.template.name()).remove(p);
            p.running.completeExceptionally(
                    new LaunchFailedException(
                            LaunchFailedException.Cause.CANCELLED,
                            "Agent " + agentName + " was released before it launched"));
            return;
        }
        TrackedTask t = book.get(agentName);
        if (t != null && !t.killRequested) {
            t.killRequested = true;
            if (t.awaitingLaunch()) {
                t.running.completeExceptionally(
                        new LaunchFailedException(
                                LaunchFailedException.Cause.CANCELLED,
                                "Agent "
                                        + agentName
                                        + " was released before its task was running"));
            }
            kills.kill(t, now());
        }
    }

    /** Ends every agent of a template: pending ones are cancelled, launched tasks killed. */
    void releaseTemplate(String templateName) {
        ArrayDeque<PendingAgent> queue = pending.get(templateName);
        if (queue != null) {
            for (PendingAgent p : List.copyOf(queue)) {
                release(p.name);
            }
        }
        for (TrackedTask t : List.copyOf(book.all())) {
            if (t.templateName.equals(templateName)) {
                release(t.agentName);
            }
        }
    }

    void onEvent(Event e) {
        long now = now();
        switch (e.getType()) {
            case SUBSCRIBED -> subscribed(e.getSubscribed(), now);
            case OFFERS -> desk.onOffers(e.getOffers().getOffersList(), now);
            case RESCIND -> desk.rescind(e.getRescind().getOfferId().getValue());
            case UPDATE -> updates.onUpdate(e.getUpdate().getStatus(), now);
            case INVERSE_OFFERS ->
                    updates.onInverseOffers(e.getInverseOffers().getInverseOffersList());
            case RESCIND_INVERSE_OFFER ->
                    updates.rescindInverseOffer(e.getRescindInverseOffer().getInverseOfferId());
            case FAILURE -> updates.onFailure(e.getFailure());
            case ERROR -> {
                LOG.warning(() -> "Mesos reported an error: " + e.getError().getMessage());
                disconnected("Mesos reported an error: " + e.getError().getMessage());
            }
            default -> {}
        }
    }

    private void subscribed(Event.Subscribed s, long now) {
        frameworkId = s.getFrameworkId();
        subscribed = true;
        notSubscribedReason = "";
        calls.newEpoch();
        homeRegion = s.getMasterInfo().getDomain().getFaultDomain().getRegion().getName();
        desk.reset();
        dirty = true;
        kills.subscribed(now);
        reconciler.begin(frameworkId, book, now, this);
    }

    /** The master's offer suppression was set outside the engine (UPDATE_FRAMEWORK). */
    void offerSuppressionChanged() {
        desk.flowUnknown();
    }

    void disconnected() {
        disconnected("");
    }

    /** The stream is gone; {@code reason} (the connection's words) is what waiting agents show. */
    void disconnected(String reason) {
        subscribed = false;
        calls.newEpoch();
        if (!reason.isEmpty()) {
            notSubscribedReason = reason;
        }
        explainWaiting(WaitReason.NOT_SUBSCRIBED, notSubscribedDetail(), now());
        desk.reset();
        reconciler.stop();
        // also the last step before a clean shutdown: write what the coalescing held back, or a
        // restart would not
        // know the tasks launched in the last persist interval and would kill them as orphans
        lastSaveMillis = Long.MIN_VALUE / 2;
    }

    /**
     * The master removed the framework: its tasks were killed with it (master.cpp:10370
     * removeFramework) and its id is refused for good (master.cpp:2605-2612), so both are dropped
     * and written at once; the next SUBSCRIBE registers a new framework.
     */
    void forgetFramework(String why) {
        disconnected(why);
        for (TrackedTask t : List.copyOf(book.all())) {
            book.remove(t);
            kills.forget(t);
            stats.forget(t.agentName);
            if (t.awaitingLaunch()) {
                t.running.completeExceptionally(
                        new LaunchFailedException(
                                LaunchFailedException.Cause.TASK_FAILED,
                                "Agent " + t.agentName + " lost its task: " + why));
            } else if (!t.killRequested) {
                jenkins.agentLost(t.agentName, "Mesos task on " + t.hostname + " ended: " + why);
            }
            t.running = null;
        }
        frameworkId = FrameworkID.newBuilder().setValue("").build();
        dirty = true;
    }

    String notSubscribedDetail() {
        return notSubscribedReason.isEmpty()
                ? "not subscribed to Mesos yet (looking for the leading master)"
                : notSubscribedReason;
    }

    void tick() {
        long now = now();
        desk.tick(now);
        updates.checkLaunchTimeouts(now);
        expirePending(now);
        if (subscribed) {
            kills.tick(now);
            updates.checkInDoubt(now);
            reconciler.tick(frameworkId, book, now, this);
            long every = Math.min(config.orphanGrace().toMillis(), 30_000);
            if (reconciler.completedOnce() && now - lastJenkinsCheckMillis >= every) {
                lastJenkinsCheckMillis = now;
                updates.reconcileWithJenkins(now);
            }
        }
        crashLoop.tick(now);
        if (crashLoop.expiredSince(lastTickMillis, now)) {
            desk.demandAdded();
            desk.matchAndLaunch(now);
        }
        lastTickMillis = now;
    }

    private void expirePending(long now) {
        for (ArrayDeque<PendingAgent> q : pending.values()) {
            for (Iterator<PendingAgent> it = q.iterator(); it.hasNext(); ) {
                PendingAgent p = it.next();
                if (now >= p.deadlineMillis) {
                    it.remove();
                    pendingByName.remove(p.name);
                    stats.failed(p.name, p.template.name(), "NO_MATCHING_OFFER");
                    WaitDiagnosis why = diagnostics.current(p.template.name());
                    p.running.completeExceptionally(
                            new LaunchFailedException(
                                    LaunchFailedException.Cause.NO_MATCHING_OFFER,
                                    "Agent "
                                            + p.name
                                            + " found no fitting Mesos offer within "
                                            + p.template.launchTimeout()
                                            + ": "
                                            + (why == null
                                                    ? "no offers arrived"
                                                    : why.reason().description()
                                                            + " ("
                                                            + why.detail()
                                                            + ")")));
                }
            }
        }
    }

    /** End of each loop step: align SUPPRESS/REVIVE with demand and persist what changed. */
    void afterStep() {
        long now = now();
        desk.alignOfferFlow(now);
        // coalesced: a burst of updates must not rewrite the whole state for every event; what a
        // crash loses in
        // between is recovered by reconciliation (unknown tasks are killed, states re-learned)
        if (dirty && now - lastSaveMillis >= config.persistInterval().toMillis()) {
            dirty = false;
            lastSaveMillis = now;
            try {
                store.save(new PersistedState(frameworkId.getValue(), book.persisted()));
            } catch (RuntimeException e) {
                LOG.log(
                        Level.WARNING,
                        "Could not persist the Mesos engine state of cloud " + config.cloudName(),
                        e);
            }
        }
    }

    EngineSnapshot snapshot() {
        Map<String, TemplateStatus> statuses = new LinkedHashMap<>();
        double pendingCpus = Caps.pendingCpus(this);
        double pendingMem = Caps.pendingMem(this);
        Set<String> names = new java.util.LinkedHashSet<>(templates.keySet());
        names.addAll(book.templatesWithTasks());
        for (String name : names) {
            int[] c = book.counts(name);
            ArrayDeque<PendingAgent> q = pending.get(name);
            CrashLoop.Streak s = crashLoop.streak(name);
            statuses.put(
                    name,
                    new TemplateStatus(
                            name,
                            q == null ? 0 : q.size(),
                            c[0] - c[1],
                            c[1],
                            q == null || q.isEmpty() ? null : diagnostics.current(name),
                            diagnostics.recent(name),
                            s == null ? 0 : s.failures,
                            s == null ? "" : s.lastReason,
                            s == null || s.backoffUntilMillis == 0
                                    ? null
                                    : Instant.ofEpochMilli(s.backoffUntilMillis),
                            templates.containsKey(name)
                                    ? Caps.admissible(
                                            this, templates.get(name), pendingCpus, pendingMem)
                                    : 0,
                            stats.figures(name)));
        }
        return new EngineSnapshot(
                frameworkId.getValue(),
                subscribed,
                desk.suppressed(),
                pendingCount(),
                book.size(),
                desk.heldCount(),
                reconciler.active(),
                statuses,
                kills.problems());
    }

    Optional<AgentTask> task(String agentName) {
        TrackedTask t = book.get(agentName);
        return t == null
                ? Optional.empty()
                : Optional.of(
                        new AgentTask(
                                t.agentName,
                                t.templateName,
                                t.taskId(),
                                t.state.name(),
                                t.wasRunning,
                                t.killRequested,
                                t.agentId,
                                t.hostname,
                                t.killProblem == null ? "" : t.killProblem));
    }

    Set<String> drainingAgents() {
        return updates.drainingAgents();
    }
}
