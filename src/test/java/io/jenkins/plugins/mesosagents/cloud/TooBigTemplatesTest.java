package io.jenkins.plugins.mesosagents.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.mock;

import io.jenkins.plugins.mesosagents.mesos.AgentResources;
import io.jenkins.plugins.mesosagents.testcluster.mesos.AgentConfig;
import io.jenkins.plugins.mesosagents.testcluster.mesos.MesosSimConfig;
import io.jenkins.plugins.mesosagents.testcluster.mesos.MesosSimulator;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Templates bigger than any agent the master reports: read from the simulated master's {@code
 * /master/state} through the cloud's own connection settings (as Test connection reads it), and
 * re-read at most every 5 minutes.
 */
class TooBigTemplatesTest {
    @TempDir Path work;
    private MesosCloud cloud;

    @BeforeEach
    void cloud() {
        cloud = mock(MesosCloud.class, CALLS_REAL_METHODS);
        cloud.name = "mesos";
        cloud.setTemplates(List.of(template("small", "2", "2048"), template("huge", "64", "2048")));
    }

    private static MesosAgentTemplate template(String name, String cpus, String memMb) {
        MesosAgentTemplate t = new MesosAgentTemplate(name);
        t.setCpus(cpus);
        t.setMemMb(memMb);
        return t;
    }

    @Test
    void aTemplateBiggerThanEveryAgentOfTheRealMasterIsNamed() throws Exception {
        MesosSimConfig cfg =
                MesosSimConfig.builder(work)
                        .agent(AgentConfig.of("a1.local", 4, 8192))
                        .agent(AgentConfig.of("a2.local", 8, 4096))
                        .build();
        try (MesosSimulator sim = MesosSimulator.start(cfg)) {
            cloud.setMasterUrls(sim.leaderUrl().toString());

            Map<String, String> tooBig = TooBigTemplates.fromMasters().of(cloud, Instant.now());

            assertThat(tooBig).containsOnlyKeys("huge");
            assertThat(tooBig.get("huge"))
                    .startsWith(
                            "template huge is bigger than any of the 2 agents the master reports"
                                    + " for role *: it needs 64 cpus")
                    .contains("the most any agent has is 8 cpus, 8192 MB memory");
        }
    }

    @Test
    void theMasterIsReadAtMostEveryFiveMinutesAndAFailedReadKeepsTheLastAnswer() {
        List<Instant> reads = new ArrayList<>();
        List<AgentResources> agents =
                List.of(new AgentResources("a1", Map.of("cpus", 4.0, "mem", 8192.0), Map.of()));
        boolean[] fail = {false};
        TooBigTemplates judge =
                new TooBigTemplates(
                        c -> {
                            reads.add(Instant.now());
                            if (fail[0]) {
                                throw new IOException("master down");
                            }
                            return agents;
                        });
        Instant t0 = Instant.parse("2026-12-05T00:00:00Z");

        assertThat(judge.of(cloud, t0)).containsOnlyKeys("huge");
        assertThat(judge.of(cloud, t0.plus(Duration.ofMinutes(4)))).containsOnlyKeys("huge");
        assertThat(reads).hasSize(1);
        fail[0] = true;
        assertThat(judge.of(cloud, t0.plus(TooBigTemplates.REREAD_EVERY))).containsOnlyKeys("huge");
        assertThat(reads).hasSize(2);

        judge.retain(List.of());
        fail[0] = false;
        assertThat(judge.of(cloud, t0.plus(Duration.ofMinutes(6)))).containsOnlyKeys("huge");
        assertThat(reads).as("a forgotten cloud is read again at once").hasSize(3);
    }
}
