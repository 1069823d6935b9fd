package io.jenkins.plugins.mesosagents.engine;

import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Handles offers for the engine: matches pending agents against the whole batch (plus offers
 * briefly held from earlier batches), launches with one ACCEPT per used offer, declines what cannot
 * serve current demand with a short filter, keeps other leftovers at most {@code offerHold} and
 * then declines them long, and keeps Mesos' offer flow in step with demand through SUPPRESS and
 * debounced REVIVE. Suppression state changes only when the master accepted the call; a refused or
 * unanswered SUPPRESS, REVIVE or DECLINE is retried with backoff and explained to waiting agents; a
 * refused ACCEPT puts its agents back in the queue, an unanswered one is reconciled first.
 * Loop-confined.
 */
final class OfferDesk {
    private final EngineCore core;
    private final Map<String, OfferView> held = new LinkedHashMap<>();
    private boolean suppressed;
    private boolean reviveWanted;
    private long lastReviveMillis = Long.MIN_VALUE / 2;

    /** A SUPPRESS or REVIVE is on its way: one at a time, so they reach the master in order. */
    private boolean flowCallInFlight;

    private int flowFailures;
    private long flowRetryAtMillis;

    /** Why the last SUPPRESS/REVIVE failed, for waiting agents; null when it went through. */
    private String flowProblem;

    private final List<FailedDecline> failedDeclines = new ArrayList<>();

    /** Offers whose DECLINE failed: they stay with this framework until declined or rescinded. */
    private static final class FailedDecline {
        final List<OfferID> ids;
        final java.time.Duration filter;
        int failures;
        long retryAtMillis;

        FailedDecline(List<OfferID> ids, java.time.Duration filter) {
            this.ids = ids;
            this.filter = filter;
        }
    }

    OfferDesk(EngineCore core) {
        this.core = core;
    }

    int heldCount() {
        return held.size();
    }

    boolean suppressed() {
        return suppressed;
    }

    void onOffers(List<Offer> offers, long now) {
        Instant at = Instant.ofEpochMilli(now);
        for (Offer o : offers) {
            held.put(o.getId().getValue(), new OfferView(o, at));
            core.kills.agentOffered(o.getAgentId().getValue(), now);
            core.updates.agentOffered(o.getAgentId().getValue());
        }
        matchAndLaunch(now);
    }

    void rescind(String offerId) {
        held.remove(offerId);
        for (Iterator<FailedDecline> it = failedDeclines.iterator(); it.hasNext(); ) {
            FailedDecline d = it.next();
            d.ids.removeIf(id -> id.getValue().equals(offerId));
            if (d.ids.isEmpty()) {
                it.remove();
            }
        }
    }

    /**
     * Offers die with the subscription; forget them and the suppression state. The next SUBSCRIBE
     * carries the roles the connection last suppressed (master.cpp 1.11.0 L2706-2708), so once
     * subscribed the engine sends whichever of SUPPRESS and REVIVE demand then calls for.
     */
    void reset() {
        held.clear();
        flowUnknown();
        flowCallInFlight = false;
        flowFailures = 0;
        flowRetryAtMillis = 0;
        flowProblem = null;
        failedDeclines.clear();
    }

    void demandAdded() {
        reviveWanted = true;
    }

    /**
     * The master's suppression state is not known (a SUBSCRIBE or UPDATE_FRAMEWORK set it from its
     * own list): the next alignment sends SUPPRESS without demand, REVIVE with it.
     */
    void flowUnknown() {
        suppressed = false;
        reviveWanted = true;
    }

    void matchAndLaunch(long now) {
        Instant at = Instant.ofEpochMilli(now);
        List<OfferMatcher.Demand> demands = new ArrayList<>();
        for (Map.Entry<String, ArrayDeque<PendingAgent>> e : core.pending.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            AgentTemplate t =
                    core.templates.getOrDefault(e.getKey(), e.getValue().peekFirst().template);
            if (core.crashLoop.backingOff(t.name(), now)) {
                CrashLoop.Streak s = core.crashLoop.streak(t.name());
                core.diagnostics.record(
                        t.name(),
                        WaitReason.BACKING_OFF,
                        "backing off until "
                                + Instant.ofEpochMilli(s.backoffUntilMillis)
                                + " after "
                                + s.failures
                                + " consecutive launch failures;"
                                + " last: "
                                + s.lastReason,
                        at);
                continue;
            }
            int ready = (int) e.getValue().stream().filter(p -> p.nodeReady).count();
            if (ready == 0) {
                continue;
            }
            demands.add(new OfferMatcher.Demand(t, ready, core.book.placementCounts(t)));
        }
        if (demands.isEmpty() || held.isEmpty()) {
            for (OfferMatcher.Demand d : demands) {
                if (!core.subscribed) {
                    core.diagnostics.record(
                            d.template().name(),
                            WaitReason.NOT_SUBSCRIBED,
                            core.notSubscribedDetail(),
                            at);
                } else if (flowProblem != null) {
                    core.diagnostics.record(
                            d.template().name(), WaitReason.MESOS_CALL_FAILED, flowProblem, at);
                } else {
                    core.diagnostics.record(
                            d.template().name(),
                            suppressed || reviveWanted
                                    ? WaitReason.SUPPRESSED_WAITING_FOR_OFFERS
                                    : WaitReason.NO_OFFERS,
                            "no offers held; waiting for Mesos to offer resources",
                            at);
                }
            }
            return;
        }
        OfferMatcher matcher =
                new OfferMatcher(
                        core.config.reserveGpuHosts(),
                        core.homeRegion,
                        core.drainingAgents(),
                        core.config.firstFitBaseline());
        OfferMatcher.Result result = matcher.match(new ArrayList<>(held.values()), demands, at);
        launch(result.placements(), now);
        for (OfferMatcher.Demand d : demands) {
            WaitDiagnosis why = result.unmet().get(d.template().name());
            if (why == null) {
                core.diagnostics.satisfied(d.template().name());
            } else {
                core.diagnostics.record(why);
            }
        }
        if (!result.unmet().isEmpty()) {
            // what is left cannot serve the current demand: give it back, but ask to see it again
            // soon
            declineAll(held.values(), core.config.declineShort());
            held.clear();
        }
    }

    private void launch(List<OfferMatcher.Placement> placements, long now) {
        Map<OfferView, List<TaskInfo>> byOffer = new LinkedHashMap<>();
        for (OfferMatcher.Placement p : placements) {
            PendingAgent agent = pollFirstReady(core.pending.get(p.template().name()));
            core.pendingByName.remove(agent.name);
            TaskInfo task = core.taskInfos.build(p, agent.name, agent.secret);
            byOffer.computeIfAbsent(p.offer(), k -> new ArrayList<>()).add(task);
            TrackedTask tracked =
                    new TrackedTask(
                            agent.name,
                            p.template().name(),
                            p.template().cpus(),
                            p.template().memMb(),
                            p.offer().agentId,
                            p.offer().hostname,
                            TaskState.TASK_STAGING,
                            now,
                            p.placementValues());
            tracked.lastUpdateMillis = now;
            tracked.launchDeadlineMillis = now + p.template().launchTimeout().toMillis();
            tracked.running = agent.running;
            tracked.relaunchable = agent;
            tracked.resources = TaskResources.of(task);
            core.book.add(tracked);
            core.dirty = true;
        }
        boolean demandLeft = core.pendingCount() > 0;
        for (Map.Entry<OfferView, List<TaskInfo>> e : byOffer.entrySet()) {
            held.remove(e.getKey().offerId);
            OfferID offer = e.getKey().offer.getId();
            List<TrackedTask> tasks = new ArrayList<>(e.getValue().size());
            for (TaskInfo ti : e.getValue()) {
                tasks.add(core.book.get(ti.getTaskId().getValue()));
            }
            core.send(
                    MesosCalls.accept(
                            core.frameworkId,
                            offer,
                            e.getValue(),
                            MesosCalls.refuse(
                                    demandLeft
                                            ? core.config.declineShort()
                                            : core.config.declineLong())),
                    (at, failure) -> acceptAnswered(offer, tasks, at, failure));
        }
    }

    private void acceptAnswered(
            OfferID offer, List<TrackedTask> tasks, long now, CallFailure failure) {
        if (failure == null) {
            // still relaunchable: a 202 does not mean the offer was valid (TASK_DROPPED follows
            // if it was not); the first update of the task settles it (TaskUpdates.apply)
            for (TrackedTask t : tasks) {
                t.acceptAnswered = true;
            }
            return;
        }
        // the offer is still ours if the master never took the ACCEPT; declining a spent offer is
        // ignored by the master (Mesos 1.11.0 src/master/master.cpp, Master::decline)
        declineOffers(List.of(offer), core.config.declineShort());
        if (!failure.answered()) {
            // it may have launched: let Mesos say before launching again (TaskUpdates relaunches
            // the ones reconciliation does not know)
            for (TrackedTask t : tasks) {
                if (t.relaunchable != null && core.book.get(t.taskId()) == t) {
                    t.launchUncertain = true;
                }
            }
            core.reconciler.begin(core.frameworkId, core.book, now, core);
            return;
        }
        for (TrackedTask t : tasks) {
            if (t.relaunchable != null && core.book.get(t.taskId()) == t) {
                core.relaunch(t, failure.summary() + "; launching it again on the next offer", now);
                if (failure.status() >= 400 && failure.status() < 500) {
                    // a 5xx is the master's or a proxy's moment (503 while recovering after a
                    // failover), a 307 a master that no longer leads, neither the template's: only
                    // a refusal of the task itself backs off
                    core.crashLoop.failure(t.templateName, failure.summary(), now);
                }
            }
        }
    }

    private static PendingAgent pollFirstReady(ArrayDeque<PendingAgent> queue) {
        for (Iterator<PendingAgent> it = queue.iterator(); it.hasNext(); ) {
            PendingAgent agent = it.next();
            if (agent.nodeReady) {
                it.remove();
                return agent;
            }
        }
        throw new IllegalStateException("a placement without a ready pending agent");
    }

    /**
     * Declines held offers older than the hold time, then brings SUPPRESS/REVIVE in line with
     * demand.
     */
    void tick(long now) {
        long maxAge = core.config.offerHold().toMillis();
        List<OfferView> expired = new ArrayList<>();
        for (Iterator<OfferView> it = held.values().iterator(); it.hasNext(); ) {
            OfferView o = it.next();
            if (now - o.receivedAt.toEpochMilli() >= maxAge) {
                expired.add(o);
                it.remove();
            }
        }
        if (!expired.isEmpty()) {
            declineAll(
                    expired,
                    eligibleDemand(now) > 0
                            ? core.config.declineShort()
                            : core.config.declineLong());
        }
        if (core.subscribed && !failedDeclines.isEmpty()) {
            List<FailedDecline> due = new ArrayList<>();
            for (Iterator<FailedDecline> it = failedDeclines.iterator(); it.hasNext(); ) {
                FailedDecline d = it.next();
                if (now >= d.retryAtMillis) {
                    due.add(d);
                    it.remove();
                }
            }
            for (FailedDecline d : due) {
                sendDecline(d);
            }
        }
    }

    /** Called at the end of every loop step. */
    void alignOfferFlow(long now) {
        if (!core.subscribed) {
            return;
        }
        int demand = eligibleDemand(now);
        if (demand == 0) {
            if (!held.isEmpty() && core.config.offerHold().isZero()) {
                declineAll(held.values(), core.config.declineLong());
                held.clear();
            }
            reviveWanted = false;
            if (!suppressed && flowCallPossible(now)) {
                sendFlowCall(true);
            }
            return;
        }
        if ((suppressed || reviveWanted)
                && flowCallPossible(now)
                && now - lastReviveMillis >= core.config.reviveDebounce().toMillis()) {
            lastReviveMillis = now;
            reviveWanted = false;
            sendFlowCall(false);
        }
    }

    private boolean flowCallPossible(long now) {
        return !flowCallInFlight && now >= flowRetryAtMillis;
    }

    /** SUPPRESS or REVIVE (all roles: a role list must be a subset of the client's roles). */
    private void sendFlowCall(boolean suppress) {
        flowCallInFlight = true;
        core.send(
                suppress
                        ? MesosCalls.suppress(core.frameworkId, List.of())
                        : MesosCalls.revive(core.frameworkId, List.of()),
                (at, failure) -> {
                    flowCallInFlight = false;
                    if (failure == null) {
                        boolean hadProblem = flowProblem != null;
                        suppressed = suppress;
                        flowFailures = 0;
                        flowRetryAtMillis = 0;
                        flowProblem = null;
                        if (!suppress && hadProblem) {
                            matchAndLaunch(at); // waiting agents now wait for offers, not REVIVE
                        }
                        return;
                    }
                    if (!suppress) {
                        reviveWanted = true;
                    }
                    long delay = core.retryDelayMillis(flowFailures++);
                    flowRetryAtMillis = at + delay;
                    flowProblem =
                            failure.summary() + ", retrying in " + CallSender.inSeconds(delay);
                    core.explainWaiting(WaitReason.MESOS_CALL_FAILED, flowProblem, at);
                });
    }

    private int eligibleDemand(long now) {
        int n = 0;
        for (ArrayDeque<PendingAgent> q : core.pending.values()) {
            if (!q.isEmpty() && !core.crashLoop.backingOff(q.peekFirst().template.name(), now)) {
                n += q.size();
            }
        }
        return n;
    }

    private void declineAll(Collection<OfferView> offers, java.time.Duration filter) {
        if (offers.isEmpty()) {
            return;
        }
        List<OfferID> ids = new ArrayList<>(offers.size());
        for (OfferView o : offers) {
            ids.add(o.offer.getId());
        }
        sendDecline(new FailedDecline(ids, filter));
    }

    private void declineOffers(List<OfferID> ids, java.time.Duration filter) {
        sendDecline(new FailedDecline(new ArrayList<>(ids), filter));
    }

    /** A declined offer stays with this framework until the master takes the DECLINE: retry. */
    private void sendDecline(FailedDecline d) {
        core.send(
                MesosCalls.decline(core.frameworkId, d.ids, MesosCalls.refuse(d.filter)),
                (at, failure) -> {
                    if (failure != null && d.failures < 10 && !d.ids.isEmpty()) {
                        d.retryAtMillis = at + core.retryDelayMillis(d.failures++);
                        failedDeclines.add(d);
                    }
                });
    }
}
