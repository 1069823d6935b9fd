package io.jenkins.plugins.mesosagents.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A template's placement rules compiled for one matching pass: static checks (role, maintenance,
 * fault domain, GPU hosts, EQ/LIKE/UNLIKE/CLUSTER-with-value) cached per attribute value, and the
 * dynamic ones (UNIQUE, CLUSTER, GROUP_BY) evaluated against live counts of this template's agents
 * per attribute value.
 */
final class PlacementRules {
    final AgentTemplate template;
    final List<Integer> fixedHostPorts;
    private final List<Constraint> statics = new ArrayList<>();
    private final List<Pattern> patterns = new ArrayList<>();
    private final List<Map<String, Boolean>> cache = new ArrayList<>();
    final List<String> uniqueAttrs = new ArrayList<>();
    final List<String> clusterAttrs = new ArrayList<>();
    final String groupByAttr;

    /**
     * attribute -> value -> live agents of this template there (existing tasks plus this batch's
     * placements).
     */
    final Map<String, Map<String, Integer>> counts;

    private final boolean reserveGpuHosts;
    private final String homeRegion;
    private final Set<String> drainingAgents;

    PlacementRules(
            AgentTemplate template,
            Map<String, Map<String, Integer>> existing,
            boolean reserveGpuHosts,
            String homeRegion,
            Set<String> drainingAgents) {
        this.template = template;
        this.reserveGpuHosts = reserveGpuHosts;
        this.homeRegion = homeRegion;
        this.drainingAgents = drainingAgents;
        String groupBy = null;
        for (Constraint c : template.constraints()) {
            switch (c.operator()) {
                case EQ, LIKE, UNLIKE -> addStatic(c);
                case CLUSTER -> {
                    if (c.value().isEmpty()) {
                        clusterAttrs.add(c.attribute());
                    } else {
                        addStatic(c);
                    }
                }
                case UNIQUE -> uniqueAttrs.add(c.attribute());
                case GROUP_BY -> groupBy = groupBy == null ? c.attribute() : groupBy;
            }
        }
        groupByAttr = groupBy;
        counts = new HashMap<>();
        for (Map.Entry<String, Map<String, Integer>> e : existing.entrySet()) {
            counts.put(e.getKey(), new HashMap<>(e.getValue()));
        }
        fixedHostPorts =
                template.container() == null ? List.of() : fixedHostPorts(template.container());
    }

    /**
     * The distinct fixed host ports of a container's mappings, in order: a tcp and a udp mapping of
     * the same host port take that port from the offer once.
     */
    static List<Integer> fixedHostPorts(ContainerSpec c) {
        LinkedHashSet<Integer> fixed = new LinkedHashSet<>();
        for (ContainerSpec.PortMapping m : c.portMappings()) {
            if (m.hostPort() > 0) {
                fixed.add(m.hostPort());
            }
        }
        return List.copyOf(fixed);
    }

    private void addStatic(Constraint c) {
        statics.add(c);
        patterns.add(
                c.operator() == Constraint.Operator.LIKE
                                || c.operator() == Constraint.Operator.UNLIKE
                        ? c.pattern()
                        : null);
        cache.add(new HashMap<>());
    }

    /** The first static rule the offer breaks, or null when it may host this template. */
    WaitReason staticReject(OfferView o) {
        if (!o.role.isEmpty() && !o.role.equals(template.role())) {
            return WaitReason.ROLE_NOT_OFFERED;
        }
        if (o.unavailable || drainingAgents.contains(o.agentId)) {
            return WaitReason.AGENT_DRAINING;
        }
        if (!template.faultDomain().admits(o.region, o.zone, homeRegion)) {
            return WaitReason.FAULT_DOMAIN;
        }
        if (reserveGpuHosts && o.hasGpus && template.gpus() == 0) {
            return WaitReason.GPU_HOST_RESERVED;
        }
        return firstUnmetStatic(o) == null ? null : WaitReason.CONSTRAINT_UNMET;
    }

    Constraint firstUnmetStatic(OfferView o) {
        for (int i = 0; i < statics.size(); i++) {
            Constraint c = statics.get(i);
            String v = o.attribute(c.attribute());
            boolean ok;
            if (v == null) {
                ok = c.operator() == Constraint.Operator.UNLIKE;
            } else {
                Map<String, Boolean> memo = cache.get(i);
                Boolean hit = memo.get(v);
                if (hit == null) {
                    hit =
                            switch (c.operator()) {
                                case EQ, CLUSTER -> v.equals(c.value());
                                case LIKE -> patterns.get(i).matcher(v).matches();
                                case UNLIKE -> !patterns.get(i).matcher(v).matches();
                                default -> true;
                            };
                    memo.put(v, hit);
                }
                ok = hit;
            }
            if (!ok) {
                return c;
            }
        }
        return null;
    }

    /** The first resource the offer lacks now, or null when one more agent fits. */
    WaitReason resourceReject(OfferView o) {
        if (!Resources.fits(template.cpus(), o.cpus)) {
            return WaitReason.INSUFFICIENT_CPUS;
        }
        if (!Resources.fits(template.memMb(), o.mem)) {
            return WaitReason.INSUFFICIENT_MEM;
        }
        if (!Resources.fits(template.diskMb(), o.disk)) {
            return WaitReason.INSUFFICIENT_DISK;
        }
        if (!Resources.fits(template.gpus(), o.gpus)) {
            return WaitReason.INSUFFICIENT_GPUS;
        }
        int portsNeeded = template.portsNeeded() + fixedHostPorts.size();
        if (portsNeeded > o.portCount || !fixedPortsFree(o)) {
            return WaitReason.INSUFFICIENT_PORTS;
        }
        return null;
    }

    private boolean fixedPortsFree(OfferView o) {
        outer:
        for (int p : fixedHostPorts) {
            for (long[] r : o.ports()) {
                if (p >= r[0] && p <= r[1]) {
                    continue outer;
                }
            }
            return false;
        }
        return true;
    }

    /** The UNIQUE or CLUSTER rule the offer breaks given agents placed so far, or null. */
    Constraint dynamicReject(OfferView o) {
        for (String a : uniqueAttrs) {
            String v = o.attribute(a);
            if (v == null || count(a, v) > 0) {
                return Constraint.of(a, Constraint.Operator.UNIQUE);
            }
        }
        for (String a : clusterAttrs) {
            String v = o.attribute(a);
            String pinned = pinned(a);
            if (v == null || (pinned != null && !pinned.equals(v))) {
                return Constraint.of(a, Constraint.Operator.CLUSTER, pinned == null ? "" : pinned);
            }
        }
        if (groupByAttr != null && o.attribute(groupByAttr) == null) {
            return Constraint.of(groupByAttr, Constraint.Operator.GROUP_BY);
        }
        return null;
    }

    int count(String attribute, String value) {
        Map<String, Integer> m = counts.get(attribute);
        return m == null ? 0 : m.getOrDefault(value, 0);
    }

    private String pinned(String attribute) {
        Map<String, Integer> m = counts.get(attribute);
        if (m == null) {
            return null;
        }
        String best = null;
        int bestCount = 0;
        for (Map.Entry<String, Integer> e : m.entrySet()) {
            if (e.getValue() > bestCount
                    || (e.getValue() == bestCount
                            && best != null
                            && e.getKey().compareTo(best) < 0)) {
                best = e.getKey();
                bestCount = e.getValue();
            }
        }
        return bestCount > 0 ? best : null;
    }

    /** Records one more agent on the offer's attribute values; returns them for the task book. */
    Map<String, String> recordPlacement(OfferView o) {
        Map<String, String> values = new HashMap<>(4);
        for (String a : uniqueAttrs) {
            values.put(a, o.attribute(a));
        }
        for (String a : clusterAttrs) {
            values.put(a, o.attribute(a));
        }
        if (groupByAttr != null) {
            values.put(groupByAttr, o.attribute(groupByAttr));
        }
        for (Map.Entry<String, String> e : values.entrySet()) {
            counts.computeIfAbsent(e.getKey(), k -> new HashMap<>())
                    .merge(e.getValue(), 1, Integer::sum);
        }
        return values;
    }
}
