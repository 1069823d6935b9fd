package io.jenkins.plugins.mesosagents.engine;

import org.apache.mesos.v1.Protos.Offer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Would one agent of a template fit into these offers, and if not, why: the engine's own placement
 * rules and {@link WaitDiagnoser}, the code behind an agent's "why waiting", for callers that only
 * look and never launch (the doctor and the cloud form's "Diagnose templates"). Each offer is
 * judged on its own, as for the template's first agent.
 */
public final class OfferFit {
    private OfferFit() {}

    /**
     * The verdict for one template.
     *
     * @param offers how many offers were judged
     * @param fittingOffers how many of them could host one agent
     * @param fittingHosts their host names, sorted
     * @param whyNot the engine's reason when none fits, else null
     */
    public record Result(
            String template,
            int offers,
            int fittingOffers,
            List<String> fittingHosts,
            WaitDiagnosis whyNot) {
        public Result {
            fittingHosts = List.copyOf(fittingHosts);
        }

        public boolean fits() {
            return fittingOffers > 0;
        }
    }

    /**
     * Judges the template against every offer.
     *
     * @param homeRegion the master's fault-domain region (from SUBSCRIBED), "" when it has none
     * @param reserveGpuHosts whether GPU hosts are kept for GPU templates ({@link
     *     EngineConfig#reserveGpuHosts()})
     */
    public static Result check(
            AgentTemplate template,
            List<Offer> offers,
            String homeRegion,
            boolean reserveGpuHosts,
            Instant now) {
        List<OfferView> views = new ArrayList<>(offers.size());
        for (Offer offer : offers) {
            views.add(new OfferView(offer, now));
        }
        int fitting = 0;
        TreeSet<String> hosts = new TreeSet<>();
        for (OfferView view : views) {
            PlacementRules rules = rules(template, homeRegion, reserveGpuHosts);
            if (rules.staticReject(view) == null
                    && rules.resourceReject(view) == null
                    && rules.dynamicReject(view) == null) {
                fitting++;
                hosts.add(view.hostname);
            }
        }
        WaitDiagnosis whyNot =
                fitting > 0
                        ? null
                        : WaitDiagnoser.diagnose(
                                views, rules(template, homeRegion, reserveGpuHosts), now);
        return new Result(template.name(), views.size(), fitting, List.copyOf(hosts), whyNot);
    }

    private static PlacementRules rules(
            AgentTemplate template, String homeRegion, boolean reserveGpuHosts) {
        return new PlacementRules(
                template,
                Map.of(),
                reserveGpuHosts,
                homeRegion == null ? "" : homeRegion,
                Set.of());
    }
}
