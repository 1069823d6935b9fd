package io.jenkins.plugins.mesosagents.engine;

import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Explains why a template's agents did not fit a batch: checks every offer against the template's
 * rules in a fixed order, counts the first rejection of each, and describes the most common one
 * with numbers (needed vs the best offered, the unmet constraint, the roles that were offered).
 */
final class WaitDiagnoser {
    private WaitDiagnoser() {}

    /** Why the template's remaining agents did not fit: the most common rejection, with numbers. */
    static WaitDiagnosis diagnose(List<OfferView> offers, PlacementRules rules, Instant now) {
        AgentTemplate t = rules.template;
        if (offers.isEmpty()) {
            return new WaitDiagnosis(
                    t.name(),
                    WaitReason.NO_OFFERS,
                    "no offers were received in this cycle",
                    Map.of(),
                    now);
        }
        Map<WaitReason, Integer> counts = new EnumMap<>(WaitReason.class);
        Map<Resources.Kind, OfferView> best = new EnumMap<>(Resources.Kind.class);
        Map<String, Integer> unmetConstraints = new LinkedHashMap<>();
        TreeSet<String> offeredRoles = new TreeSet<>();
        for (OfferView o : offers) {
            offeredRoles.add(o.role.isEmpty() ? "(none)" : o.role);
            WaitReason r = rules.staticReject(o);
            if (r == WaitReason.CONSTRAINT_UNMET) {
                unmetConstraints.merge(rules.firstUnmetStatic(o).toString(), 1, Integer::sum);
            }
            if (r == null) {
                for (Resources.Kind k : Resources.KINDS) {
                    OfferView b = best.get(k);
                    if (b == null || o.remaining(k) > b.remaining(k)) {
                        best.put(k, o);
                    }
                }
                r = rules.resourceReject(o);
                if (r == null) {
                    Constraint c = rules.dynamicReject(o);
                    if (c != null) {
                        r = WaitReason.CONSTRAINT_UNMET;
                        unmetConstraints.merge(
                                c.operator() == Constraint.Operator.CLUSTER
                                        ? c.attribute() + ":CLUSTER"
                                        : c.toString(),
                                1,
                                Integer::sum);
                    }
                }
            }
            if (r != null) {
                counts.merge(r, 1, Integer::sum);
            }
        }
        WaitReason dominant = WaitReason.NO_OFFERS;
        int max = 0;
        for (Map.Entry<WaitReason, Integer> e : counts.entrySet()) {
            if (e.getValue() > max) {
                dominant = e.getKey();
                max = e.getValue();
            }
        }
        String detail =
                switch (dominant) {
                    case ROLE_NOT_OFFERED ->
                            "role '"
                                    + t.role()
                                    + "' not offered; "
                                    + max
                                    + " of "
                                    + offers.size()
                                    + " offers were for roles "
                                    + offeredRoles;
                    case INSUFFICIENT_CPUS,
                            INSUFFICIENT_MEM,
                            INSUFFICIENT_DISK,
                            INSUFFICIENT_GPUS -> {
                        Resources.Kind k =
                                Resources.KINDS[
                                        dominant.ordinal()
                                                - WaitReason.INSUFFICIENT_CPUS.ordinal()];
                        OfferView b = best.get(k);
                        yield "needs "
                                + OfferView.formatScalar(Resources.need(t, k))
                                + " "
                                + k.mesosName
                                + " per agent; the best of "
                                + offers.size()
                                + " offers had "
                                + (b == null
                                        ? "none"
                                        : OfferView.formatScalar(Math.max(0, b.remaining(k)))
                                                + " ("
                                                + b.hostname
                                                + ")");
                    }
                    case INSUFFICIENT_PORTS ->
                            "needs "
                                    + (t.portsNeeded() + rules.fixedHostPorts.size())
                                    + " host ports "
                                    + (rules.fixedHostPorts.isEmpty()
                                            ? ""
                                            : "including " + rules.fixedHostPorts + " ")
                                    + "; "
                                    + max
                                    + " offers lacked them";
                    case CONSTRAINT_UNMET ->
                            "constraint "
                                    + unmetConstraints.entrySet().stream()
                                            .max(Map.Entry.comparingByValue())
                                            .map(Map.Entry::getKey)
                                            .orElse("?")
                                    + " unmet by "
                                    + max
                                    + " of "
                                    + offers.size()
                                    + " offers";
                    case FAULT_DOMAIN ->
                            "needs " + t.faultDomain() + "; " + max + " offers were elsewhere";
                    case GPU_HOST_RESERVED ->
                            max + " offers came from GPU hosts, which are kept for GPU templates";
                    case AGENT_DRAINING ->
                            max + " offers came from agents scheduled for maintenance";
                    default ->
                            "all "
                                    + offers.size()
                                    + " offers were used by other agents in this cycle";
                };
        return new WaitDiagnosis(t.name(), dominant, detail, counts, now);
    }
}
