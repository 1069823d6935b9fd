package io.jenkins.plugins.mesosagents.engine;

import org.apache.mesos.v1.Protos.InverseOffer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Event;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The task state machine: applies at-least-once status updates idempotently (duplicates and stale
 * states are ignored, every update with a uuid is acknowledged after it is applied, none without),
 * resolves planned agents, enforces launch timeouts, kills orphans, reports agents whose task
 * vanished, and drains agents on hosts under maintenance. Loop-confined.
 */
final class TaskUpdates {
    private static final Logger LOG = Logger.getLogger(TaskUpdates.class.getName());

    private final EngineCore core;
    private final Map<String, List<OfferID>> inverseOffersByAgent = new HashMap<>();

    /** Agent ids with tasks that were unreachable or in doubt, until the agent offers again. */
    private final Set<String> agentsInDoubt = new HashSet<>();

    /** Backoff of {@link #checkInDoubt}; -1 while no task is in doubt. */
    private long doubtRetryMillis = -1;

    private long nextDoubtCheckMillis;

    TaskUpdates(EngineCore core) {
        this.core = core;
    }

    void onUpdate(TaskStatus st, long now) {
        String id = st.getTaskId().getValue();
        TrackedTask t = core.book.get(id);
        TaskState s = st.getState();
        if (t == null) {
            if (!TrackedTask.isTerminal(s)) {
                LOG.info(
                        () ->
                                "Killing orphan task "
                                        + id
                                        + " ("
                                        + s
                                        + "): this engine did not launch it or forgot it");
                core.send(MesosCalls.kill(core.frameworkId, id, st.getAgentId().getValue()));
            }
        } else {
            apply(t, st, now);
        }
        if (st.hasUuid()) {
            core.send(
                    MesosCalls.acknowledge(
                            core.frameworkId, st.getAgentId(), st.getTaskId(), st.getUuid()));
        }
    }

    private void apply(TrackedTask t, TaskStatus st, long now) {
        TaskState s = st.getState();
        t.lastUpdateMillis = now;
        if (st.hasAgentId() && (t.agentId == null || t.agentId.isEmpty())) {
            t.agentId = st.getAgentId().getValue();
        }
        if ((t.launchUncertain
                        || (t.relaunchable != null
                                && t.acceptAnswered
                                && !t.reconciledBeforeAccepted))
                && TrackedTask.isTerminal(s)
                && st.getReason() == TaskStatus.Reason.REASON_RECONCILIATION) {
            // no update since the ACCEPT, and Mesos does not know the task: the master never got
            // the call, or lost it after its 202 (a failover); reconciliation answers so only once
            // the task's agent is registered (master.cpp 1.11.0 L9029-9130), so it never launched.
            // After a 202, only an answer to a RECONCILE sent after it counts (see
            // TrackedTask.reconciledBeforeAccepted)
            core.relaunch(
                    t,
                    (t.launchUncertain
                                    ? "ACCEPT got no answer from the master and"
                                    : "the master took the ACCEPT but")
                            + " reconciliation does not know task "
                            + t.taskId()
                            + " ("
                            + describe(st)
                            + "); launching it again",
                    now);
            return;
        }
        if (t.relaunchable != null
                && (s == TaskState.TASK_DROPPED || s == TaskState.TASK_LOST)
                && st.getReason() == TaskStatus.Reason.REASON_INVALID_OFFERS) {
            // the master took the ACCEPT but its offer was gone (rescinded, or a failover): the
            // task never reached an agent (Mesos 1.11.0 src/master/master.cpp:3944-4015)
            core.relaunch(
                    t,
                    "the offer was no longer valid when Mesos took the ACCEPT ("
                            + describe(st)
                            + "); launching it again on the next offer",
                    now);
            return;
        }
        t.launchUncertain = false;
        t.relaunchable = null;
        if (TrackedTask.mayStillRun(s) && !waitedForUncertain(t, st, now)) {
            return;
        }
        t.uncertainSinceMillis = -1;
        if (TrackedTask.isTerminal(s)) {
            core.jenkins.taskEnded(t.agentName, mesosTime(st, now));
            finish(t, s, describe(st), now);
            return;
        }
        if (s != TaskState.TASK_KILLING) {
            core.kills.stillThere(t, now);
        }
        if (s == TaskState.TASK_UNREACHABLE) {
            inDoubt(t, now);
        }
        boolean recovers = t.state == TaskState.TASK_UNREACHABLE && s == TaskState.TASK_RUNNING;
        if (s == t.state || (TrackedTask.rank(s) < TrackedTask.rank(t.state) && !recovers)) {
            return;
        }
        t.state = s;
        core.dirty = true;
        if (s == TaskState.TASK_RUNNING && !t.wasRunning) {
            core.book.markRunning(t);
            t.runningSinceMillis = now;
            core.crashLoop.started(t.templateName, now);
            core.stats.running(t.templateName);
            if (t.awaitingLaunch()) {
                t.running.complete(
                        new LaunchedAgent(
                                t.agentName,
                                t.templateName,
                                t.taskId(),
                                t.agentId,
                                t.hostname,
                                t.resources,
                                mesosTime(st, now)));
            }
            t.running = null;
        }
    }

    /**
     * A "may still be running" state: keep the task, ask for it explicitly with the reconciler's
     * backoff (it stays outstanding) and when its agent offers again, until it reports otherwise or
     * the agent re-registration timeout passed; true once that wait is over.
     */
    private boolean waitedForUncertain(TrackedTask t, TaskStatus st, long now) {
        if (t.uncertainSinceMillis < 0) {
            t.uncertainSinceMillis = now;
            LOG.info(
                    () ->
                            "Mesos reports "
                                    + describe(st)
                                    + " for task "
                                    + t.taskId()
                                    + ", which may still be running; reconciling it for up to "
                                    + core.config.agentReregisterTimeout()
                                    + " before taking it as gone");
        }
        if (now - t.uncertainSinceMillis >= core.config.agentReregisterTimeout().toMillis()) {
            return true;
        }
        inDoubt(t, now);
        return false;
    }

    private void inDoubt(TrackedTask t, long now) {
        if (t.agentId != null) {
            agentsInDoubt.add(t.agentId);
        }
        if (doubtRetryMillis < 0) {
            doubtRetryMillis = core.config.reconcileRetryMin().toMillis();
            nextDoubtCheckMillis = now + doubtRetryMillis;
        }
    }

    /**
     * Asks explicitly, with the reconciliation backoff, for tasks that are unreachable or in doubt:
     * implicit reconciliation leaves UNREACHABLE tasks out (Mesos 1.11.0 master.cpp:8947-8987
     * answers only {@code framework->tasks}; unreachable ones live in {@code unreachableTasks}) and
     * a suppressed framework gets no offers that would show the agent is back.
     */
    void checkInDoubt(long now) {
        if (doubtRetryMillis < 0 || now < nextDoubtCheckMillis) {
            return;
        }
        List<String[]> tasks = new ArrayList<>();
        for (TrackedTask t : core.book.all()) {
            if (t.state == TaskState.TASK_UNREACHABLE || t.uncertainSinceMillis >= 0) {
                tasks.add(new String[] {t.taskId(), t.agentId});
            }
        }
        if (tasks.isEmpty()) {
            doubtRetryMillis = -1;
            return;
        }
        core.send(MesosCalls.reconcile(core.frameworkId, tasks));
        doubtRetryMillis =
                Math.min(core.config.reconcileRetryMax().toMillis(), doubtRetryMillis * 2);
        nextDoubtCheckMillis = now + doubtRetryMillis;
    }

    /**
     * An agent offers resources: if tasks of ours there were unreachable or in doubt, its partition
     * healed, which produces no update for a PARTITION_AWARE framework, so ask for them at once
     * instead of at the next periodic reconciliation.
     */
    void agentOffered(String agentId) {
        if (!agentsInDoubt.remove(agentId)) {
            return;
        }
        List<String[]> tasks = new ArrayList<>();
        for (TrackedTask t : core.book.onAgent(agentId)) {
            if (t.state == TaskState.TASK_UNREACHABLE || t.uncertainSinceMillis >= 0) {
                tasks.add(new String[] {t.taskId(), t.agentId});
            }
        }
        if (!tasks.isEmpty()) {
            core.send(MesosCalls.reconcile(core.frameworkId, tasks));
        }
    }

    private void finish(TrackedTask t, TaskState ended, String reason, long now) {
        core.book.remove(t);
        core.kills.forget(t);
        core.dirty = true;
        if (!t.killRequested && !t.agentConnected) {
            core.stats.failed(t.agentName, t.templateName, reasonKey(reason));
        } else {
            core.stats.forget(t.agentName);
        }
        if (t.awaitingLaunch()) {
            core.crashLoop.failure(t.templateName, reason, now);
            t.running.completeExceptionally(
                    new LaunchFailedException(
                            LaunchFailedException.Cause.TASK_FAILED,
                            "Task of agent "
                                    + t.agentName
                                    + " on "
                                    + t.hostname
                                    + " ended before running: "
                                    + reason));
        } else if (!t.killRequested) {
            if (!t.wasRunning && t.running == null) {
                core.crashLoop.failure(t.templateName, reason, now);
            } else if (t.agentConnected
                    && failedOnItsOwn(ended)
                    && core.crashLoop.isCrash(t.runningSinceMillis, now)) {
                core.crashLoop.crashedAfterStart(t.templateName, reason, now);
                core.stats.failed(t.agentName, t.templateName, reasonKey(reason));
            }
            core.jenkins.agentLost(
                    t.agentName,
                    (t.agentConnected || !t.wasRunning
                                    ? "Mesos task on "
                                    : "its agent never connected to Jenkins (not counted as a"
                                            + " crash); Mesos task on ")
                            + t.hostname
                            + " ended: "
                            + reason);
        }
        t.running = null;
        acceptInverseOffersIfDrained(t.agentId);
    }

    /**
     * When Mesos says the update happened: its {@code timestamp} (seconds since the epoch, set from
     * the clock of the agent or master that produced it: Mesos 1.11.0 include/mesos/v1/mesos.proto
     * :2715, src/common/protobuf_utils.cpp:196,294-296), else the engine's clock.
     */
    static Instant mesosTime(TaskStatus st, long now) {
        return st.hasTimestamp()
                ? Instant.ofEpochMilli(Math.round(st.getTimestamp() * 1000))
                : Instant.ofEpochMilli(now);
    }

    /** The agent process itself failed (not its host, not the network, not a kill). */
    private static boolean failedOnItsOwn(TaskState ended) {
        return ended == TaskState.TASK_FAILED || ended == TaskState.TASK_ERROR;
    }

    /** The Mesos state and reason of a {@link #describe} text, without the free-form message. */
    static String reasonKey(String described) {
        int colon = described.indexOf(": ");
        return colon < 0 ? described : described.substring(0, colon);
    }

    static String describe(TaskStatus st) {
        StringBuilder s = new StringBuilder(st.getState().name());
        if (st.hasReason()) {
            s.append(" (").append(st.getReason().name()).append(')');
        }
        if (st.hasMessage() && !st.getMessage().isEmpty()) {
            s.append(": ").append(st.getMessage());
        }
        return s.toString();
    }

    void checkLaunchTimeouts(long now) {
        for (TrackedTask t : core.book.all()) {
            if (t.wasRunning || t.killRequested || now < t.launchDeadlineMillis) {
                continue;
            }
            String why =
                    "no TASK_RUNNING within the launch timeout (last state "
                            + t.state
                            + " on "
                            + t.hostname
                            + ")";
            core.crashLoop.failure(t.templateName, why, now);
            core.stats.failed(t.agentName, t.templateName, "LAUNCH_TIMEOUT");
            // said before any KILL answer: the task is being killed, not known to be gone
            if (t.awaitingLaunch()) {
                t.running.completeExceptionally(
                        new LaunchFailedException(
                                LaunchFailedException.Cause.LAUNCH_TIMEOUT,
                                "Agent "
                                        + t.agentName
                                        + " did not start: "
                                        + why
                                        + "; its Mesos task is being killed"));
            } else {
                core.jenkins.agentLost(t.agentName, "Mesos task is being killed: " + why);
            }
            t.relaunchable = null;
            core.kills.kill(t, now);
        }
    }

    /**
     * Kills tasks Jenkins has not known for the orphan grace period and reports Jenkins agents that
     * have no task. Runs only after a reconciliation round completed, so that recovered tasks are
     * confirmed first.
     */
    void reconcileWithJenkins(long now) {
        Set<String> names = core.jenkins.agentNames();
        for (TrackedTask t : core.book.all()) {
            if (t.killRequested || t.awaitingLaunch()) {
                continue;
            }
            if (names.contains(t.agentName)) {
                t.unknownToJenkinsSinceMillis = -1;
            } else if (t.unknownToJenkinsSinceMillis < 0) {
                t.unknownToJenkinsSinceMillis = now;
            } else if (now - t.unknownToJenkinsSinceMillis
                    >= core.config.orphanGrace().toMillis()) {
                LOG.info(
                        () ->
                                "Killing orphan task "
                                        + t.taskId()
                                        + ": Jenkins has no agent named "
                                        + t.agentName);
                core.kills.kill(t, now);
            }
        }
        for (String name : names) {
            if (core.book.get(name) == null
                    && !core.pendingByName.containsKey(name)
                    && core.reportedLost.add(name)) {
                core.jenkins.agentLost(
                        name, "its Mesos task no longer exists (not found by reconciliation)");
            }
        }
        core.reportedLost.retainAll(names);
    }

    void onInverseOffers(List<InverseOffer> offers) {
        for (InverseOffer io : offers) {
            if (!io.hasAgentId()) {
                continue;
            }
            String agentId = io.getAgentId().getValue();
            inverseOffersByAgent.computeIfAbsent(agentId, k -> new ArrayList<>()).add(io.getId());
            Instant start =
                    Instant.ofEpochSecond(0, io.getUnavailability().getStart().getNanoseconds());
            for (TrackedTask t : core.book.onAgent(agentId)) {
                if (!t.draining) {
                    t.draining = true;
                    core.jenkins.agentDraining(t.agentName, start);
                }
            }
            acceptInverseOffersIfDrained(agentId);
        }
    }

    void rescindInverseOffer(OfferID id) {
        for (Iterator<List<OfferID>> it = inverseOffersByAgent.values().iterator();
                it.hasNext(); ) {
            List<OfferID> l = it.next();
            l.remove(id);
            if (l.isEmpty()) {
                it.remove();
            }
        }
    }

    private void acceptInverseOffersIfDrained(String agentId) {
        List<OfferID> ids = agentId == null ? null : inverseOffersByAgent.get(agentId);
        if (ids != null && core.book.onAgent(agentId).isEmpty()) {
            inverseOffersByAgent.remove(agentId);
            core.send(MesosCalls.acceptInverseOffers(core.frameworkId, ids));
        }
    }

    Set<String> drainingAgents() {
        return inverseOffersByAgent.keySet();
    }

    /** An agent was removed or an executor ended: ask Mesos for the fate of our tasks there. */
    void onFailure(Event.Failure f) {
        if (!f.hasAgentId()) {
            return;
        }
        List<String[]> tasks = new ArrayList<>();
        for (TrackedTask t : core.book.onAgent(f.getAgentId().getValue())) {
            tasks.add(new String[] {t.taskId(), t.agentId});
        }
        if (!tasks.isEmpty()) {
            core.send(MesosCalls.reconcile(core.frameworkId, tasks));
        }
    }
}
