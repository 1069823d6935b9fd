package io.jenkins.plugins.mesosagents.engine;

import static io.jenkins.plugins.mesosagents.engine.MesosFixtures.offer;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.mesos.v1.Protos.Offer;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

class OfferMatcherTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static List<OfferView> views(Offer... offers) {
        List<OfferView> out = new ArrayList<>();
        for (Offer o : offers) {
            out.add(new OfferView(o, NOW));
        }
        return out;
    }

    private static OfferMatcher.Result match(List<OfferView> offers, AgentTemplate t, int wanted) {
        return match(offers, List.of(new OfferMatcher.Demand(t, wanted, Map.of())), "", Set.of());
    }

    private static OfferMatcher.Result match(
            List<OfferView> offers,
            List<OfferMatcher.Demand> demands,
            String homeRegion,
            Set<String> draining) {
        return new OfferMatcher(true, homeRegion, draining).match(offers, demands, NOW);
    }

    private static AgentTemplate.Builder small(String name) {
        return AgentTemplate.builder(name).cpus(1).memMb(1024);
    }

    private static Map<String, Long> hostsUsed(OfferMatcher.Result r) {
        return r.placements().stream()
                .collect(Collectors.groupingBy(p -> p.offer().hostname, Collectors.counting()));
    }

    @Test
    void packsManyAgentsIntoOneOfferAndPrefersTheTightestFit() {
        List<OfferView> offers =
                views(
                        offer("big", "h-big", 16, 16384).build(),
                        offer("fit", "h-fit", 4, 4096).build(),
                        offer("tiny", "h-tiny", 0.5, 512).build());
        OfferMatcher.Result r = match(offers, small("s").build(), 5);
        assertThat(r.placements()).hasSize(5);
        // best fit: the 4-cpu host is filled first (4 agents), the 5th goes to the big host; the
        // tiny one is unused
        assertThat(hostsUsed(r))
                .containsExactlyInAnyOrderEntriesOf(Map.of("h-fit", 4L, "h-big", 1L));
        assertThat(r.unmet()).isEmpty();
    }

    @Test
    void bigAgentsAreServedFirstSoTheyAreNotStarvedBySmallOnes() {
        List<OfferView> offers =
                views(offer("a", "h1", 8, 8192).build(), offer("b", "h2", 2, 2048).build());
        AgentTemplate big = AgentTemplate.builder("big").cpus(8).memMb(8192).build();
        AgentTemplate little = small("little").build();
        OfferMatcher.Result r =
                match(
                        offers,
                        List.of(
                                new OfferMatcher.Demand(little, 2, Map.of()),
                                new OfferMatcher.Demand(big, 1, Map.of())),
                        "",
                        Set.of());
        assertThat(r.placements()).hasSize(3);
        assertThat(r.placements())
                .filteredOn(p -> p.template() == big)
                .extracting(p -> p.offer().hostname)
                .containsExactly("h1");
        assertThat(r.placements())
                .filteredOn(p -> p.template() == little)
                .extracting(p -> p.offer().hostname)
                .containsOnly("h2");
    }

    @Test
    void scarcestResourceDrivesTheOrder() {
        List<OfferView> offers = views(offer("a", "h1", 100, 1000).build());
        List<OfferMatcher.Demand> d =
                List.of(new OfferMatcher.Demand(small("m").memMb(900).build(), 1, Map.of()));
        assertThat(OfferMatcher.scarcest(offers, d)).isEqualTo(Resources.Kind.MEM);
        List<OfferView> cpuPoor = views(offer("a", "h1", 1, 100000).build());
        assertThat(OfferMatcher.scarcest(cpuPoor, d)).isEqualTo(Resources.Kind.CPUS);
    }

    @Test
    void eqLikeAndUnlikeFilterOnAttributes() {
        List<OfferView> offers =
                views(
                        offer("1", "h1", 4, 4096).text("os", "ubuntu").text("rack", "r1").build(),
                        offer("2", "h2", 4, 4096).text("os", "centos").text("rack", "r2").build(),
                        offer("3", "h3", 4, 4096).text("os", "ubuntu").text("rack", "r3").build());
        AgentTemplate eq =
                small("eq")
                        .constraint(Constraint.of("os", Constraint.Operator.EQ, "ubuntu"))
                        .build();
        assertThat(hostsUsed(match(offers, eq, 8)).keySet()).containsExactlyInAnyOrder("h1", "h3");

        offers =
                views(
                        offer("1", "h1", 4, 4096).text("rack", "r1").build(),
                        offer("2", "h2", 4, 4096).text("rack", "r2").build(),
                        offer("3", "h3", 4, 4096).build());
        AgentTemplate like =
                small("like")
                        .constraint(Constraint.of("rack", Constraint.Operator.LIKE, "r[2-9]"))
                        .build();
        assertThat(hostsUsed(match(offers, like, 8)).keySet()).containsExactly("h2");

        offers =
                views(
                        offer("1", "h1", 4, 4096).text("rack", "r1").build(),
                        offer("2", "h2", 4, 4096).text("rack", "r2").build(),
                        offer("3", "h3", 4, 4096).build());
        AgentTemplate unlike =
                small("unlike")
                        .constraint(Constraint.of("rack", Constraint.Operator.UNLIKE, "r1"))
                        .build();
        assertThat(hostsUsed(match(offers, unlike, 8)).keySet())
                .containsExactlyInAnyOrder("h2", "h3");
    }

    @Test
    void uniqueHostnamePlacesOneAgentPerHostCountingExistingAgents() {
        List<OfferView> offers =
                views(
                        offer("1", "h1", 8, 8192).build(),
                        offer("2", "h2", 8, 8192).build(),
                        offer("3", "h3", 8, 8192).build());
        AgentTemplate t =
                small("u")
                        .constraint(Constraint.of("hostname", Constraint.Operator.UNIQUE))
                        .build();
        Map<String, Map<String, Integer>> existing = Map.of("hostname", Map.of("h2", 1));
        OfferMatcher.Result r =
                match(offers, List.of(new OfferMatcher.Demand(t, 3, existing)), "", Set.of());
        assertThat(hostsUsed(r)).containsExactlyInAnyOrderEntriesOf(Map.of("h1", 1L, "h3", 1L));
        assertThat(r.unmet().get("u").reason()).isEqualTo(WaitReason.CONSTRAINT_UNMET);
        assertThat(r.unmet().get("u").detail()).contains("hostname:UNIQUE");
    }

    @Test
    void clusterPinsAllAgentsToOneValue() {
        List<OfferView> offers =
                views(
                        offer("1", "h1", 2, 2048).text("rack", "r1").build(),
                        offer("2", "h2", 8, 8192).text("rack", "r2").build(),
                        offer("3", "h3", 8, 8192).text("rack", "r1").build());
        AgentTemplate free =
                small("c").constraint(Constraint.of("rack", Constraint.Operator.CLUSTER)).build();
        OfferMatcher.Result r = match(offers, free, 20);
        Set<String> racks =
                r.placements().stream()
                        .map(p -> p.offer().attribute("rack"))
                        .collect(Collectors.toSet());
        assertThat(racks).hasSize(1);

        // an existing agent pins the value; a CLUSTER with a value works like EQ
        offers =
                views(
                        offer("1", "h1", 2, 2048).text("rack", "r1").build(),
                        offer("2", "h2", 8, 8192).text("rack", "r2").build());
        r =
                match(
                        offers,
                        List.of(new OfferMatcher.Demand(free, 4, Map.of("rack", Map.of("r1", 1)))),
                        "",
                        Set.of());
        assertThat(hostsUsed(r)).containsExactlyEntriesOf(Map.of("h1", 2L));
        offers =
                views(
                        offer("1", "h1", 2, 2048).text("rack", "r1").build(),
                        offer("2", "h2", 8, 8192).text("rack", "r2").build());
        AgentTemplate fixed =
                small("cv")
                        .constraint(Constraint.of("rack", Constraint.Operator.CLUSTER, "r2"))
                        .build();
        assertThat(hostsUsed(match(offers, fixed, 3))).containsExactlyEntriesOf(Map.of("h2", 3L));
    }

    @Test
    void groupBySpreadsEvenlyAcrossValues() {
        List<OfferView> offers =
                views(
                        offer("1", "h1", 8, 8192).text("zone", "a").build(),
                        offer("2", "h2", 8, 8192).text("zone", "b").build(),
                        offer("3", "h3", 8, 8192).text("zone", "c").build(),
                        offer("4", "h4", 8, 8192).build());
        AgentTemplate t =
                small("g").constraint(Constraint.of("zone", Constraint.Operator.GROUP_BY)).build();
        OfferMatcher.Result r =
                match(
                        offers,
                        List.of(new OfferMatcher.Demand(t, 7, Map.of("zone", Map.of("a", 2)))),
                        "",
                        Set.of());
        Map<String, Long> perZone =
                r.placements().stream()
                        .collect(
                                Collectors.groupingBy(
                                        p -> p.offer().attribute("zone"), Collectors.counting()));
        // with 2 already in a: 7 more make a=3, b=3, c=3
        assertThat(perZone).containsExactlyInAnyOrderEntriesOf(Map.of("a", 1L, "b", 3L, "c", 3L));
    }

    @Test
    void everyResourceShortfallIsDiagnosedWithNeededVersusBestOffered() {
        List<OfferView> offers =
                views(offer("1", "h1", 2, 8192).build(), offer("2", "h2", 3, 8192).build());
        WaitDiagnosis cpus = match(offers, small("c").cpus(4).build(), 1).unmet().get("c");
        assertThat(cpus.reason()).isEqualTo(WaitReason.INSUFFICIENT_CPUS);
        assertThat(cpus.detail()).contains("needs 4 cpus", "had 3 (h2)");

        WaitDiagnosis mem =
                match(views(offer("1", "h1", 8, 512).build()), small("m").build(), 1)
                        .unmet()
                        .get("m");
        assertThat(mem.reason()).isEqualTo(WaitReason.INSUFFICIENT_MEM);
        assertThat(mem.detail()).contains("needs 1024 mem", "had 512 (h1)");

        WaitDiagnosis disk =
                match(
                                views(offer("1", "h1", 8, 8192).scalar("disk", 100).build()),
                                small("d").diskMb(500).build(),
                                1)
                        .unmet()
                        .get("d");
        assertThat(disk.reason()).isEqualTo(WaitReason.INSUFFICIENT_DISK);
        assertThat(disk.detail()).contains("needs 500 disk", "had 100");

        WaitDiagnosis gpus =
                match(views(offer("1", "h1", 8, 8192).build()), small("g").gpus(1).build(), 1)
                        .unmet()
                        .get("g");
        assertThat(gpus.reason()).isEqualTo(WaitReason.INSUFFICIENT_GPUS);

        WaitDiagnosis ports =
                match(
                                views(offer("1", "h1", 8, 8192).ports(31000, 31000).build()),
                                small("p").hostPorts(2).build(),
                                1)
                        .unmet()
                        .get("p");
        assertThat(ports.reason()).isEqualTo(WaitReason.INSUFFICIENT_PORTS);
        assertThat(ports.detail()).contains("needs 2 host ports");
    }

    @Test
    void placementFailuresAreDiagnosed() {
        WaitDiagnosis none =
                WaitDiagnoser.diagnose(
                        List.of(),
                        new PlacementRules(small("n").build(), Map.of(), true, "", Set.of()),
                        NOW);
        assertThat(none.reason()).isEqualTo(WaitReason.NO_OFFERS);

        WaitDiagnosis role =
                match(views(offer("1", "h1", 8, 8192).build()), small("r").role("ci").build(), 1)
                        .unmet()
                        .get("r");
        assertThat(role.reason()).isEqualTo(WaitReason.ROLE_NOT_OFFERED);
        assertThat(role.detail()).contains("role 'ci' not offered", "[*]");

        WaitDiagnosis gpuHost =
                match(
                                views(offer("1", "h1", 8, 8192).scalar("gpus", 2).build()),
                                small("x").build(),
                                1)
                        .unmet()
                        .get("x");
        assertThat(gpuHost.reason()).isEqualTo(WaitReason.GPU_HOST_RESERVED);

        WaitDiagnosis constraint =
                match(
                                views(offer("1", "h1", 8, 8192).text("os", "centos").build()),
                                small("k")
                                        .constraint(
                                                Constraint.of(
                                                        "os", Constraint.Operator.EQ, "ubuntu"))
                                        .build(),
                                1)
                        .unmet()
                        .get("k");
        assertThat(constraint.reason()).isEqualTo(WaitReason.CONSTRAINT_UNMET);
        assertThat(constraint.detail()).contains("os:EQ:ubuntu");

        WaitDiagnosis domain =
                match(
                                views(offer("1", "h1", 8, 8192).domain("us", "us-1").build()),
                                List.of(new OfferMatcher.Demand(small("f").build(), 1, Map.of())),
                                "eu",
                                Set.of())
                        .unmet()
                        .get("f");
        assertThat(domain.reason()).isEqualTo(WaitReason.FAULT_DOMAIN);

        WaitDiagnosis maintenance =
                match(views(offer("1", "h1", 8, 8192).unavailable().build()), small("u").build(), 1)
                        .unmet()
                        .get("u");
        assertThat(maintenance.reason()).isEqualTo(WaitReason.AGENT_DRAINING);
        WaitDiagnosis draining =
                match(
                                views(offer("1", "h1", 8, 8192).build()),
                                List.of(new OfferMatcher.Demand(small("d").build(), 1, Map.of())),
                                "",
                                Set.of("agent-h1"))
                        .unmet()
                        .get("d");
        assertThat(draining.reason()).isEqualTo(WaitReason.AGENT_DRAINING);
    }

    @Test
    void gpuTemplatesUseGpuHostsAndRolesMustMatch() {
        List<OfferView> offers =
                views(
                        offer("1", "gpu", 8, 8192).scalar("gpus", 2).build(),
                        offer("2", "cpu", 8, 8192).build());
        AgentTemplate gpu = small("gpu").gpus(1).build();
        assertThat(hostsUsed(match(offers, gpu, 5))).containsExactlyEntriesOf(Map.of("gpu", 2L));

        List<OfferView> roles =
                views(
                        offer("1", "h1", 8, 8192).role("ci").build(),
                        offer("2", "h2", 8, 8192).build());
        assertThat(hostsUsed(match(roles, small("ci").role("ci").build(), 2)))
                .containsExactlyEntriesOf(Map.of("h1", 2L));
    }

    @Test
    void faultDomainPlacement() {
        List<OfferView> offers =
                views(
                        offer("1", "eu1", 8, 8192).domain("eu", "eu-1").build(),
                        offer("2", "eu2", 8, 8192).domain("eu", "eu-2").build(),
                        offer("3", "us1", 8, 8192).domain("us", "us-1").build(),
                        offer("4", "nodomain", 8, 8192).build());
        List<OfferMatcher.Demand> home =
                List.of(new OfferMatcher.Demand(small("h").build(), 40, Map.of()));
        assertThat(hostsUsed(match(offers, home, "eu", Set.of())).keySet())
                .containsExactlyInAnyOrder("eu1", "eu2", "nodomain");
        offers.forEach(o -> o.cpus = 8);
        offers =
                views(
                        offer("1", "eu1", 8, 8192).domain("eu", "eu-1").build(),
                        offer("2", "eu2", 8, 8192).domain("eu", "eu-2").build(),
                        offer("3", "us1", 8, 8192).domain("us", "us-1").build());
        List<OfferMatcher.Demand> zone =
                List.of(
                        new OfferMatcher.Demand(
                                small("z")
                                        .faultDomain(FaultDomainPlacement.in("eu", "eu-2"))
                                        .build(),
                                40,
                                Map.of()));
        assertThat(hostsUsed(match(offers, zone, "eu", Set.of())).keySet()).containsExactly("eu2");
        offers = views(offer("3", "us1", 8, 8192).domain("us", "us-1").build());
        List<OfferMatcher.Demand> any =
                List.of(
                        new OfferMatcher.Demand(
                                small("a").faultDomain(FaultDomainPlacement.ANYWHERE).build(),
                                1,
                                Map.of()));
        assertThat(match(offers, any, "eu", Set.of()).placements()).hasSize(1);
    }

    @Test
    void portsAreAllocatedFromRangesWithoutOverlap() {
        List<OfferView> offers =
                views(offer("1", "h1", 8, 8192).ports(31000, 31002).ports(32000, 32005).build());
        AgentTemplate t =
                small("p")
                        .hostPorts(2)
                        .container(
                                ContainerSpec.builder(ContainerSpec.Type.DOCKER, "img")
                                        .network(ContainerSpec.Network.BRIDGE)
                                        .portMapping(80, 32003, "tcp")
                                        .build())
                        .build();
        OfferMatcher.Result r = match(offers, t, 3);
        // each agent needs its fixed 32003, so only one agent fits
        assertThat(r.placements()).hasSize(1);
        assertThat(r.placements().get(0).ports()).containsExactly(32003, 31000, 31001);
        assertThat(r.unmet().get("p").reason()).isEqualTo(WaitReason.INSUFFICIENT_PORTS);

        offers = views(offer("1", "h1", 8, 8192).ports(31000, 31004).build());
        r = match(offers, small("q").hostPorts(2).build(), 3);
        assertThat(r.placements()).hasSize(2);
        List<Long> all = new ArrayList<>();
        r.placements()
                .forEach(
                        p -> {
                            for (long port : p.ports()) {
                                all.add(port);
                            }
                        });
        assertThat(all).doesNotHaveDuplicates().containsExactly(31000L, 31001L, 31002L, 31003L);
    }

    @Test
    void manyTemplatesShareOneBatchWithoutOvercommitting() {
        List<Offer> raw = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            raw.add(offer("o" + i, "h" + i, 4, 8192).build());
        }
        List<OfferView> offers = views(raw.toArray(new Offer[0]));
        List<OfferMatcher.Demand> demands = new ArrayList<>();
        for (int t = 0; t < 5; t++) {
            demands.add(
                    new OfferMatcher.Demand(
                            small("t" + t).cpus(0.5 + t * 0.5).memMb(512 + t * 256).build(),
                            30,
                            new HashMap<>()));
        }
        OfferMatcher.Result r = match(offers, demands, "", Set.of());
        Map<String, double[]> used = new HashMap<>();
        for (OfferMatcher.Placement p : r.placements()) {
            double[] u = used.computeIfAbsent(p.offer().offerId, k -> new double[2]);
            u[0] += p.template().cpus();
            u[1] += p.template().memMb();
        }
        assertThat(used.values()).allMatch(u -> u[0] <= 4.0001 && u[1] <= 8192.0001);
        double totalCpus = r.placements().stream().mapToDouble(p -> p.template().cpus()).sum();
        assertThat(totalCpus).isGreaterThan(190); // 200 cpus offered; packing leaves little unused
    }

    @Test
    void firstFitBaselinePlacesOneAgentPerOfferInArrivalOrder() {
        List<OfferView> offers =
                views(
                        offer("1", "h1", 16, 16384).build(),
                        offer("2", "h2", 1, 1024).build(),
                        offer("3", "h3", 4, 4096).build());
        OfferMatcher.Result r =
                new OfferMatcher(true, "", Set.of(), true)
                        .match(
                                offers,
                                List.of(new OfferMatcher.Demand(small("s").build(), 5, Map.of())),
                                NOW);
        assertThat(r.placements())
                .extracting(p -> p.offer().hostname)
                .containsExactly("h1", "h2", "h3");
        assertThat(r.unmet()).containsKey("s");
    }
}
