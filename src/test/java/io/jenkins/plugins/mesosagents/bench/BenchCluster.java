package io.jenkins.plugins.mesosagents.bench;

import io.jenkins.plugins.mesosagents.engine.AgentIdentity;
import io.jenkins.plugins.mesosagents.engine.AgentNamer;
import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.engine.Constraint;
import io.jenkins.plugins.mesosagents.engine.EngineConfig;
import io.jenkins.plugins.mesosagents.engine.EngineStore;
import io.jenkins.plugins.mesosagents.engine.JenkinsAgents;
import io.jenkins.plugins.mesosagents.engine.PersistedState;
import io.jenkins.plugins.mesosagents.engine.SecretValue;

import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.Attribute;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.scheduler.Protos.Event;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * The synthetic cluster the engine benchmarks share (seeded, so every run sees the same batch): 20
 * templates (0.5-4 cpus, 512-8192 MB; some with EQ/LIKE/UNIQUE constraints) and offers from a busy
 * cluster — most are fragments left by other frameworks, a minority are large.
 */
final class BenchCluster {
    static final String FRAMEWORK = "bench-fw";
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    private BenchCluster() {}

    static EngineConfig config() {
        return EngineConfig.builder("bench", "https://jenkins.example.com/").build();
    }

    static List<AgentTemplate> templates() {
        double[] cpus = {0.5, 1, 2, 4};
        double[] mem = {512, 1024, 2048, 4096, 8192};
        List<AgentTemplate> out = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            AgentTemplate.Builder b =
                    AgentTemplate.builder("t" + i)
                            .labelExpression("label-" + i)
                            .cpus(cpus[i % 4])
                            .memMb(mem[i % 5])
                            .diskMb(i % 3 == 0 ? 1024 : 0)
                            .hostPorts(i % 4 == 0 ? 1 : 0);
            if (i % 5 == 1) {
                b.constraint(Constraint.of("os", Constraint.Operator.EQ, "ubuntu"));
            }
            if (i % 7 == 2) {
                b.constraint(Constraint.of("rack", Constraint.Operator.LIKE, "rack-[0-3][0-9]"));
            }
            if (i == 19) {
                b.constraint(Constraint.of("hostname", Constraint.Operator.UNIQUE));
            }
            out.add(b.build());
        }
        return out;
    }

    /**
     * {@code n} offers on n hosts: {@code fragmentPercent}% are fragments too small for any
     * template (0.1-0.4 cpus, or under 384 MB), the rest have 2-16 cpus and 4-32 GB.
     */
    static List<Offer> offers(int n, long seed, int fragmentPercent) {
        Random r = new Random(seed);
        List<Offer> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double cpus;
            double mem;
            if (r.nextInt(100) < fragmentPercent) {
                boolean cpuFragment = r.nextBoolean();
                cpus = cpuFragment ? 0.1 * (1 + r.nextInt(4)) : 1 + r.nextInt(8);
                mem = cpuFragment ? 256 + r.nextInt(8192) : 64 + r.nextInt(320);
            } else {
                cpus = 2 << r.nextInt(4);
                mem = 4096L << r.nextInt(4);
            }
            String host = "host-" + i;
            Offer.Builder o =
                    Offer.newBuilder()
                            .setId(OfferID.newBuilder().setValue("offer-" + i))
                            .setFrameworkId(FrameworkID.newBuilder().setValue(FRAMEWORK))
                            .setAgentId(AgentID.newBuilder().setValue("agent-" + i))
                            .setHostname(host)
                            .setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole("*"));
            o.addResources(scalar("cpus", cpus))
                    .addResources(scalar("mem", mem))
                    .addResources(scalar("disk", 20480));
            o.addResources(
                    Resource.newBuilder()
                            .setName("ports")
                            .setType(Value.Type.RANGES)
                            .setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole("*"))
                            .setRanges(
                                    Value.Ranges.newBuilder()
                                            .addRange(
                                                    Value.Range.newBuilder()
                                                            .setBegin(31000)
                                                            .setEnd(31099))));
            o.addAttributes(text("rack", "rack-" + (i % 50)))
                    .addAttributes(text("os", r.nextInt(5) == 0 ? "centos" : "ubuntu"));
            out.add(o.build());
        }
        return out;
    }

    private static Resource scalar(String name, double v) {
        return Resource.newBuilder()
                .setName(name)
                .setType(Value.Type.SCALAR)
                .setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole("*"))
                .setScalar(Value.Scalar.newBuilder().setValue(v))
                .build();
    }

    private static Attribute text(String name, String v) {
        return Attribute.newBuilder()
                .setName(name)
                .setType(Value.Type.TEXT)
                .setText(Value.Text.newBuilder().setValue(v))
                .build();
    }

    static Event offersEvent(List<Offer> offers) {
        return Event.newBuilder()
                .setType(Event.Type.OFFERS)
                .setOffers(Event.Offers.newBuilder().addAllOffers(offers))
                .build();
    }

    static Event subscribed() {
        return Event.newBuilder()
                .setType(Event.Type.SUBSCRIBED)
                .setSubscribed(
                        Event.Subscribed.newBuilder()
                                .setFrameworkId(FrameworkID.newBuilder().setValue(FRAMEWORK))
                                .setHeartbeatIntervalSeconds(15)
                                .setMasterInfo(
                                        MasterInfo.newBuilder().setId("m").setIp(0).setPort(5050)))
                .build();
    }

    static AgentNamer namer(String prefix) {
        int[] n = {0};
        SecretValue secret = SecretValue.of("0123456789abcdef0123456789abcdef");
        return t -> new AgentIdentity(prefix + t.name() + "-" + (++n[0]), secret);
    }

    static final JenkinsAgents NO_JENKINS =
            new JenkinsAgents() {
                @Override
                public Set<String> agentNames() {
                    return Set.of();
                }

                @Override
                public void agentLost(String agentName, String reason) {}

                @Override
                public void agentDraining(String agentName, Instant start) {}
            };

    static final EngineStore NO_STORE =
            new EngineStore() {
                @Override
                public Optional<PersistedState> load() {
                    return Optional.empty();
                }

                @Override
                public void save(PersistedState state) {}
            };
}
