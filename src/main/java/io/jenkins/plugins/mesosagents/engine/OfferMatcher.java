package io.jenkins.plugins.mesosagents.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Packs many agents into one batch of offers. Templates are served largest-first in the batch's
 * scarcest resource (highest demand/supply ratio); within a template each agent goes to the
 * eligible offer with the least of that resource left that still fits (best fit), so big hosts stay
 * free for big agents. Because agents of a template are identical and offers only shrink, walking
 * the offers in ascending order of that resource and filling each in turn is exact best fit; the
 * batch is sorted once, not once per template. GROUP_BY spreads agents over the attribute's values,
 * always filling the least used value first. For every template left short, a {@link WaitDiagnosis}
 * says why. The incumbent's one-agent-per-offer first fit is available as a baseline strategy for
 * end-to-end comparisons.
 */
final class OfferMatcher {

    /**
     * Agents wanted for a template, with its live agents' attribute values (for
     * UNIQUE/CLUSTER/GROUP_BY).
     */
    record Demand(AgentTemplate template, int wanted, Map<String, Map<String, Integer>> existing) {}

    /** One agent of a template placed into an offer, with the host ports it got. */
    record Placement(
            OfferView offer,
            AgentTemplate template,
            long[] ports,
            Map<String, String> placementValues) {}

    /**
     * All placements of the batch, and the diagnosis of each template that could not get all it
     * wanted.
     */
    record Result(List<Placement> placements, Map<String, WaitDiagnosis> unmet) {}

    private final boolean reserveGpuHosts;
    private final String homeRegion;
    private final Set<String> drainingAgents;
    private final boolean firstFitOnePerOffer;

    OfferMatcher(boolean reserveGpuHosts, String homeRegion, Set<String> drainingAgents) {
        this(reserveGpuHosts, homeRegion, drainingAgents, false);
    }

    OfferMatcher(
            boolean reserveGpuHosts,
            String homeRegion,
            Set<String> drainingAgents,
            boolean firstFitOnePerOffer) {
        this.reserveGpuHosts = reserveGpuHosts;
        this.homeRegion = homeRegion;
        this.drainingAgents = drainingAgents;
        this.firstFitOnePerOffer = firstFitOnePerOffer;
    }

    Result match(List<OfferView> offers, List<Demand> demands, Instant now) {
        if (firstFitOnePerOffer) {
            return matchFirstFit(offers, demands, now);
        }
        Resources.Kind scarce = scarcest(offers, demands);
        List<Demand> ordered = new ArrayList<>(demands);
        ordered.sort(
                Comparator.comparingDouble((Demand d) -> -Resources.need(d.template(), scarce))
                        .thenComparing(d -> d.template().name()));
        Batch batch = new Batch(offers, ordered, scarce);
        List<Placement> placements = new ArrayList<>();
        Map<String, WaitDiagnosis> unmet = new LinkedHashMap<>();
        for (Demand d : ordered) {
            if (d.wanted() <= 0) {
                continue;
            }
            PlacementRules rules =
                    new PlacementRules(
                            d.template(),
                            d.existing(),
                            reserveGpuHosts,
                            homeRegion,
                            drainingAgents);
            int placed =
                    rules.groupByAttr == null
                            ? batch.placeBestFit(d.wanted(), rules, placements)
                            : batch.placeSpread(d.wanted(), rules, placements);
            if (placed < d.wanted()) {
                unmet.put(d.template().name(), WaitDiagnoser.diagnose(offers, rules, now));
            }
        }
        return new Result(placements, unmet);
    }

    /**
     * The incumbent's strategy, kept as a baseline for end-to-end comparisons: offers in arrival
     * order, each gets at most one agent, the first template (in request order) that fits.
     */
    private Result matchFirstFit(List<OfferView> offers, List<Demand> demands, Instant now) {
        List<PlacementRules> rules = new ArrayList<>();
        int[] left = new int[demands.size()];
        for (int i = 0; i < demands.size(); i++) {
            Demand d = demands.get(i);
            rules.add(
                    new PlacementRules(
                            d.template(),
                            d.existing(),
                            reserveGpuHosts,
                            homeRegion,
                            drainingAgents));
            left[i] = d.wanted();
        }
        List<Placement> placements = new ArrayList<>();
        for (OfferView o : offers) {
            for (int i = 0; i < rules.size(); i++) {
                PlacementRules r = rules.get(i);
                if (left[i] > 0
                        && r.staticReject(o) == null
                        && r.resourceReject(o) == null
                        && r.dynamicReject(o) == null) {
                    placements.add(consume(o, r));
                    left[i]--;
                    break;
                }
            }
        }
        Map<String, WaitDiagnosis> unmet = new LinkedHashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            if (left[i] > 0) {
                unmet.put(
                        rules.get(i).template.name(),
                        WaitDiagnoser.diagnose(offers, rules.get(i), now));
            }
        }
        return new Result(placements, unmet);
    }

    /**
     * The offers of one batch ordered once by the scarce resource. Offers too small for every
     * demanded template are left out up front; offers that received agents ("dirty") leave the
     * global order, whose keys they no longer match, and are merged back in per template from a
     * small sorted list.
     */
    private static final class Batch {
        private final List<OfferView> offers;
        private final Resources.Kind scarce;
        private final long[] global;
        private final int[] usable;
        private final boolean[] dirty;
        private final List<Integer> dirtyList = new ArrayList<>();

        Batch(List<OfferView> offers, List<Demand> demands, Resources.Kind scarce) {
            this.offers = offers;
            this.scarce = scarce;
            double[] min = new double[Resources.KINDS.length];
            Arrays.fill(min, Double.MAX_VALUE);
            for (Demand d : demands) {
                for (Resources.Kind k : Resources.KINDS) {
                    min[k.ordinal()] = Math.min(min[k.ordinal()], Resources.need(d.template(), k));
                }
            }
            int[] keep = new int[offers.size()];
            int n = 0;
            outer:
            for (int i = 0; i < offers.size(); i++) {
                OfferView o = offers.get(i);
                for (Resources.Kind k : Resources.KINDS) {
                    if (!Resources.fits(min[k.ordinal()], o.remaining(k))) {
                        continue outer;
                    }
                }
                keep[n++] = i;
            }
            usable = Arrays.copyOf(keep, n);
            global = new long[n];
            for (int j = 0; j < n; j++) {
                global[j] = key(usable[j]);
            }
            Arrays.sort(global);
            dirty = new boolean[offers.size()];
        }

        private long key(int index) {
            return (Math.max(0, Math.round(offers.get(index).remaining(scarce) * 1000)) << 20)
                    | index;
        }

        private void consumed(int index) {
            if (!dirty[index]) {
                dirty[index] = true;
                dirtyList.add(index);
            }
        }

        /**
         * Exact best fit: walk offers from the smallest that holds the scarce need upwards, filling
         * each in turn.
         */
        int placeBestFit(int wanted, PlacementRules rules, List<Placement> out) {
            double need = Resources.need(rules.template, scarce);
            long floor = Math.max(0, Math.round(need * 1000) - 1) << 20;
            int g = lowerBound(global, floor);
            long[] side = new long[dirtyList.size()];
            int sn = 0;
            for (int idx : dirtyList) {
                if (Resources.fits(need, offers.get(idx).remaining(scarce))) {
                    side[sn++] = key(idx);
                }
            }
            Arrays.sort(side, 0, sn);
            int s = 0;
            int placed = 0;
            while (placed < wanted) {
                while (g < global.length && dirty[(int) (global[g] & 0xFFFFF)]) {
                    g++;
                }
                int idx;
                if (g < global.length && (s >= sn || global[g] < side[s])) {
                    idx = (int) (global[g++] & 0xFFFFF);
                } else if (s < sn) {
                    idx = (int) (side[s++] & 0xFFFFF);
                } else {
                    break;
                }
                OfferView o = offers.get(idx);
                if (rules.staticReject(o) != null) {
                    continue;
                }
                while (placed < wanted
                        && rules.resourceReject(o) == null
                        && rules.dynamicReject(o) == null) {
                    out.add(consume(o, rules));
                    consumed(idx);
                    placed++;
                }
            }
            return placed;
        }

        /**
         * GROUP_BY: candidates per attribute value, always filling the value with the fewest
         * agents.
         */
        int placeSpread(int wanted, PlacementRules rules, List<Placement> out) {
            double need = Resources.need(rules.template, scarce);
            long[] keys = new long[usable.length];
            int n = 0;
            for (int i : usable) {
                OfferView o = offers.get(i);
                if (Resources.fits(need, o.remaining(scarce))
                        && rules.resourceReject(o) == null
                        && rules.staticReject(o) == null) {
                    keys[n++] = key(i);
                }
            }
            Arrays.sort(keys, 0, n);
            List<int[]> groups = group(offers, keys, n, rules.groupByAttr);
            int[] cursors = new int[groups.size()];
            int placed = 0;
            while (placed < wanted) {
                int g = pickGroup(groups, cursors, offers, rules);
                if (g < 0) {
                    break;
                }
                int[] cands = groups.get(g);
                while (cursors[g] < cands.length) {
                    OfferView o = offers.get(cands[cursors[g]]);
                    if (rules.resourceReject(o) != null || rules.dynamicReject(o) != null) {
                        cursors[g]++;
                        continue;
                    }
                    out.add(consume(o, rules));
                    consumed(cands[cursors[g]]);
                    placed++;
                    break;
                }
            }
            return placed;
        }
    }

    private static int lowerBound(long[] sorted, long key) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Splits sorted candidates by the GROUP_BY attribute value (one group when there is none). */
    private static List<int[]> group(List<OfferView> offers, long[] keys, int n, String attr) {
        if (attr == null) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = (int) (keys[i] & 0xFFFFF);
            }
            return List.of(all);
        }
        Map<String, List<Integer>> byValue = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            int idx = (int) (keys[i] & 0xFFFFF);
            String v = offers.get(idx).attribute(attr);
            byValue.computeIfAbsent(v == null ? "" : v, k -> new ArrayList<>()).add(idx);
        }
        List<int[]> groups = new ArrayList<>();
        for (List<Integer> l : byValue.values()) {
            groups.add(l.stream().mapToInt(Integer::intValue).toArray());
        }
        return groups;
    }

    /**
     * For GROUP_BY: the live group whose value has the fewest agents; otherwise the single group.
     */
    private static int pickGroup(
            List<int[]> groups, int[] cursors, List<OfferView> offers, PlacementRules rules) {
        int best = -1;
        int bestCount = Integer.MAX_VALUE;
        for (int g = 0; g < groups.size(); g++) {
            int[] cands = groups.get(g);
            while (cursors[g] < cands.length
                    && rules.resourceReject(offers.get(cands[cursors[g]])) != null) {
                cursors[g]++;
            }
            if (cursors[g] >= cands.length) {
                continue;
            }
            if (rules.groupByAttr == null) {
                return g;
            }
            int c =
                    rules.count(
                            rules.groupByAttr,
                            offers.get(cands[cursors[g]]).attribute(rules.groupByAttr));
            if (c < bestCount) {
                best = g;
                bestCount = c;
            }
        }
        return best;
    }

    private static Placement consume(OfferView o, PlacementRules rules) {
        AgentTemplate t = rules.template;
        o.cpus -= t.cpus();
        o.mem -= t.memMb();
        o.disk -= t.diskMb();
        o.gpus -= t.gpus();
        long[] ports = o.takePorts(t.portsNeeded(), rules.fixedHostPorts);
        return new Placement(o, t, ports == null ? new long[0] : ports, rules.recordPlacement(o));
    }

    /**
     * The resource with the highest demand/supply ratio in this batch (memory when nothing is
     * asked).
     */
    static Resources.Kind scarcest(List<OfferView> offers, List<Demand> demands) {
        double[] supply = new double[Resources.KINDS.length];
        for (OfferView o : offers) {
            for (Resources.Kind k : Resources.KINDS) {
                supply[k.ordinal()] += o.remaining(k);
            }
        }
        Resources.Kind best = Resources.Kind.MEM;
        double bestRatio = -1;
        for (Resources.Kind k : Resources.KINDS) {
            double demand = 0;
            for (Demand d : demands) {
                demand += d.wanted() * Resources.need(d.template(), k);
            }
            if (demand <= 0) {
                continue;
            }
            double ratio =
                    supply[k.ordinal()] <= 0 ? Double.MAX_VALUE : demand / supply[k.ordinal()];
            if (ratio > bestRatio) {
                bestRatio = ratio;
                best = k;
            }
        }
        return best;
    }
}
