package io.jenkins.plugins.mesosagents.engine;

import static io.jenkins.plugins.mesosagents.engine.MesosFixtures.offer;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.mesos.v1.Protos.Offer;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

/** The look-only entry point gives the engine's verdict and reason for one template. */
class OfferFitTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private final List<Offer> offers =
            List.of(
                    offer("o1", "small", 1, 1024).text("rack", "r1").build(),
                    offer("o2", "big", 8, 16384).text("rack", "r2").build(),
                    offer("o3", "big2", 8, 16384).text("rack", "r2").build());

    @Test
    void countsTheOffersAndHostsThatFit() {
        AgentTemplate t = AgentTemplate.builder("medium").cpus(2).memMb(2048).build();

        OfferFit.Result r = OfferFit.check(t, offers, "", true, NOW);

        assertThat(r.fits()).isTrue();
        assertThat(r.offers()).isEqualTo(3);
        assertThat(r.fittingOffers()).isEqualTo(2);
        assertThat(r.fittingHosts()).containsExactly("big", "big2");
        assertThat(r.whyNot()).isNull();
    }

    @Test
    void tooBigGivesTheEnginesReasonWithNumbers() {
        AgentTemplate t = AgentTemplate.builder("huge").cpus(2).memMb(65536).build();

        OfferFit.Result r = OfferFit.check(t, offers, "", true, NOW);

        assertThat(r.fits()).isFalse();
        assertThat(r.whyNot().reason()).isEqualTo(WaitReason.INSUFFICIENT_MEM);
        assertThat(r.whyNot().detail()).contains("needs 65536 mem").contains("16384 (big");
    }

    @Test
    void constraintsAndRolesAreJudgedAsTheEngineDoes() {
        AgentTemplate rack =
                AgentTemplate.builder("rack3")
                        .constraint(Constraint.of("rack", Constraint.Operator.EQ, "r3"))
                        .build();
        assertThat(OfferFit.check(rack, offers, "", true, NOW).whyNot().reason())
                .isEqualTo(WaitReason.CONSTRAINT_UNMET);

        List<Offer> roleOffers = List.of(offer("o4", "h", 4, 4096).role("other").build());
        AgentTemplate ci = AgentTemplate.builder("ci").role("ci").build();
        OfferFit.Result r = OfferFit.check(ci, roleOffers, "", true, NOW);
        assertThat(r.whyNot().reason()).isEqualTo(WaitReason.ROLE_NOT_OFFERED);
        assertThat(r.whyNot().detail()).contains("[other]");
    }

    @Test
    void noOffersIsItsOwnReason() {
        OfferFit.Result r =
                OfferFit.check(AgentTemplate.builder("any").build(), List.of(), "", true, NOW);
        assertThat(r.whyNot().reason()).isEqualTo(WaitReason.NO_OFFERS);
    }
}
