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
 * debounced REVIVE. Loop-confined.
 */
final class OfferDesk {
    private final EngineCore core;
    private final Map<String, OfferView> held = new LinkedHashMap<>();
    private boolean suppressed;
    private boolean reviveWanted;
    private long lastReviveMillis = Long.MIN_VALUE / 2;

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
        }
        matchAndLaunch(now);
    }

    void rescind(String offerId) {
        held.remove(offerId);
    }

    /**
     * Offers die with the subscription; forget them and the suppression state (a new SUBSCRIBE
     * resets it).
     */
    void reset() {
        held.clear();
        suppressed = false;
        reviveWanted = false;
    }

    void demandAdded() {
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
                core.diagnostics.record(
                        d.template().name(),
                        suppressed || reviveWanted
                                ? WaitReason.SUPPRESSED_WAITING_FOR_OFFERS
                                : WaitReason.NO_OFFERS,
                        "no offers held; waiting for Mesos to offer resources",
                        at);
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
            core.book.add(tracked);
            core.dirty = true;
        }
        boolean demandLeft = core.pendingCount() > 0;
        for (Map.Entry<OfferView, List<TaskInfo>> e : byOffer.entrySet()) {
            held.remove(e.getKey().offerId);
            core.send(
                    MesosCalls.accept(
                            core.frameworkId,
                            e.getKey().offer.getId(),
                            e.getValue(),
                            MesosCalls.refuse(
                                    demandLeft
                                            ? core.config.declineShort()
                                            : core.config.declineLong())));
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
            if (!suppressed) {
                core.send(MesosCalls.suppress(core.frameworkId, List.of()));
                suppressed = true;
            }
            reviveWanted = false;
            return;
        }
        if ((suppressed || reviveWanted)
                && now - lastReviveMillis >= core.config.reviveDebounce().toMillis()) {
            // all roles: a role list must be a subset of the framework's roles, which the client
            // owns
            core.send(MesosCalls.revive(core.frameworkId, List.of()));
            lastReviveMillis = now;
            suppressed = false;
            reviveWanted = false;
        }
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
        core.send(MesosCalls.decline(core.frameworkId, ids, MesosCalls.refuse(filter)));
    }
}
