package io.jenkins.plugins.mesosagents.testcluster.mesos;

import io.jenkins.plugins.mesosagents.testcluster.mesos.Entities.Agent;
import io.jenkins.plugins.mesosagents.testcluster.mesos.Entities.AgentState;
import io.jenkins.plugins.mesosagents.testcluster.mesos.Entities.Framework;
import io.jenkins.plugins.mesosagents.testcluster.mesos.Entities.OfferEntry;
import io.jenkins.plugins.mesosagents.testcluster.mesos.Entities.Task;

import org.apache.mesos.v1.Protos.FrameworkInfo.Capability.Type;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The master's allocator: every interval (and right after a subscription or REVIVE) it offers each
 * active agent's free resources per framework role, skipping suppressed roles, live filters, GPU
 * agents for frameworks without GPU_RESOURCES and other regions for frameworks without
 * REGION_AWARE. Runs on the master's loop.
 */
final class Allocator {
    private static final double MIN_CPUS = 0.01;
    private static final double MIN_MEM = 32;

    private final Master master;
    private final OfferBuilder offerBuilder = new OfferBuilder();
    final Map<String, OfferEntry> offers = new LinkedHashMap<>();
    private int offerSeq;
    private int rotation;
    private boolean allocationPending;

    Allocator(Master master) {
        this.master = master;
    }

    void decline(Framework fw, Call.Decline d) {
        double refuse = d.hasFilters() ? d.getFilters().getRefuseSeconds() : 5.0;
        for (OfferID id : d.getOfferIdsList()) {
            OfferEntry o = offers.get(id.getValue());
            if (o != null && o.frameworkId.equals(fw.id)) {
                offers.remove(o.id);
                filter(fw, o.agentId, o.role, refuse);
            }
        }
    }

    void filter(Framework fw, String agentId, String role, double refuseSeconds) {
        double seconds = refuseSeconds < 0 ? 5.0 : Math.min(refuseSeconds, 31_536_000);
        if (seconds > 0) {
            fw.filterExpiryNanos.put(
                    agentId + "/" + role, System.nanoTime() + (long) (seconds * 1e9));
        }
    }

    void revive(Framework fw, List<String> roles) {
        Collection<String> which = roles.isEmpty() ? fw.roles() : roles;
        fw.suppressedRoles.removeAll(which);
        fw.filterExpiryNanos
                .keySet()
                .removeIf(k -> which.contains(k.substring(k.indexOf('/') + 1)));
        allocateSoon();
    }

    void allocateSoon() {
        if (!allocationPending) {
            allocationPending = true;
            master.loop.execute(
                    () -> {
                        allocationPending = false;
                        allocate();
                    });
        }
    }

    void allocate() {
        if (master.leader == null) {
            return;
        }
        List<Framework> active = new ArrayList<>();
        master.frameworks.values().stream()
                .filter(f -> f.subscription != null)
                .forEach(active::add);
        if (active.isEmpty()) {
            return;
        }
        java.util.Collections.rotate(active, rotation++);
        Map<Framework, List<Offer>> batches = new LinkedHashMap<>();
        long nowNanos = System.nanoTime();
        for (Agent agent : master.agents.values()) {
            if (agent.state != AgentState.ACTIVE) {
                continue;
            }
            for (Framework fw : active) {
                if (agent.hasGpus() && !fw.has(Type.GPU_RESOURCES)) {
                    continue;
                }
                if (master.config.region() != null
                        && agent.config.region() != null
                        && !master.config.region().equals(agent.config.region())
                        && !fw.has(Type.REGION_AWARE)) {
                    continue;
                }
                for (String role : fw.roles()) {
                    Long expiry = fw.filterExpiryNanos.get(agent.id + "/" + role);
                    if (fw.suppressedRoles.contains(role)
                            || (expiry != null && expiry - nowNanos > 0)) {
                        continue;
                    }
                    Map<String, ResourceBag> avail = available(agent, role);
                    ResourceBag sum =
                            avail.values().stream().reduce(ResourceBag.EMPTY, ResourceBag::plus);
                    if (sum.scalar("cpus") < MIN_CPUS && sum.scalar("mem") < MIN_MEM) {
                        continue;
                    }
                    String offerId = master.clusterId + "-O" + offerSeq++;
                    Offer proto = offerBuilder.build(offerId, fw, agent, role, avail);
                    offers.put(
                            offerId, new OfferEntry(offerId, fw.id, agent.id, role, avail, proto));
                    batches.computeIfAbsent(fw, f -> new ArrayList<>()).add(proto);
                }
            }
        }
        batches.forEach(
                (fw, list) ->
                        fw.subscription.send(
                                Event.newBuilder()
                                        .setType(Event.Type.OFFERS)
                                        .setOffers(Event.Offers.newBuilder().addAllOffers(list))
                                        .build()));
    }

    Map<String, ResourceBag> available(Agent agent, String role) {
        Map<String, ResourceBag> out = new LinkedHashMap<>();
        for (String pool : List.of("*", role)) {
            ResourceBag total = agent.totals.get(pool);
            if (total == null || out.containsKey(pool)) {
                continue;
            }
            ResourceBag free = total;
            for (OfferEntry o : offers.values()) {
                if (o.agentId.equals(agent.id) && o.pools.containsKey(pool)) {
                    free = free.minus(o.pools.get(pool));
                }
            }
            for (Framework fw : master.frameworks.values()) {
                for (Task t : fw.tasks.values()) {
                    if (t.agent == agent
                            && !Entities.isTerminal(t.masterState)
                            && t.pools.containsKey(pool)) {
                        free = free.minus(t.pools.get(pool));
                    }
                }
            }
            out.put(pool, free);
        }
        return out;
    }

    void rescind(OfferEntry o) {
        offers.remove(o.id);
        Framework fw = master.frameworks.get(o.frameworkId);
        if (fw != null && fw.subscription != null) {
            fw.subscription.send(
                    Event.newBuilder()
                            .setType(Event.Type.RESCIND)
                            .setRescind(
                                    Event.Rescind.newBuilder()
                                            .setOfferId(OfferID.newBuilder().setValue(o.id)))
                            .build());
        }
    }

    void dropOffers(Framework fw, boolean rescind) {
        for (OfferEntry o : List.copyOf(offers.values())) {
            if (o.frameworkId.equals(fw.id)) {
                if (rescind) {
                    rescind(o);
                } else {
                    offers.remove(o.id);
                }
            }
        }
    }
}
