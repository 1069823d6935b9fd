package io.jenkins.plugins.mesosagents.mesos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mesosagents.testcluster.mesos.AgentConfig;
import io.jenkins.plugins.mesosagents.testcluster.mesos.MesosSimConfig;
import io.jenkins.plugins.mesosagents.testcluster.mesos.MesosSimulator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * "Test connection" against the simulated masters: a follower redirects to the leader, whose state
 * is read.
 */
class MasterProbeTest {
    @TempDir Path work;

    private static SchedulerConfig config(String masters) {
        return SchedulerConfig.builder(
                        MasterDetector.fromString(masters, "http"),
                        FrameworkIdentity.builder("probe", "nobody").build())
                .requestTimeout(Duration.ofSeconds(5))
                .build();
    }

    @Test
    void findsTheLeaderThroughAFollowerAndCountsItsAgents() throws Exception {
        MesosSimConfig cfg =
                MesosSimConfig.builder(work)
                        .masters(2)
                        .agent(AgentConfig.of("a1.local", 2, 2048))
                        .agent(AgentConfig.of("a2.local", 2, 2048))
                        .build();
        try (MesosSimulator sim = MesosSimulator.start(cfg)) {
            URI follower =
                    sim.masterUrls().stream()
                            .filter(u -> !u.equals(sim.leaderUrl()))
                            .findFirst()
                            .orElseThrow();
            String masters = follower + "," + sim.leaderUrl();

            MasterProbe.Result result = MasterProbe.probe(config(masters), Duration.ofSeconds(5));

            assertThat(result.leader().port()).isEqualTo(sim.leaderUrl().getPort());
            assertThat(result.version()).isEqualTo("1.11.0");
            assertThat(result.agents()).isEqualTo(2);
            assertThat(result.agentResources())
                    .extracting(AgentResources::hostname)
                    .containsExactlyInAnyOrder("a1.local", "a2.local");
            assertThat(result.agentResources().get(0).forRole("*"))
                    .containsEntry("cpus", 2.0)
                    .containsEntry("mem", 2048.0);
            assertThat(result.toString())
                    .contains("leading master 127.0.0.1:" + sim.leaderUrl().getPort())
                    .contains("2 agents");
        }
    }

    @Test
    void namesEachMasterThatCouldNotBeReached() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        assertThatThrownBy(
                        () ->
                                MasterProbe.probe(
                                        config("http://127.0.0.1:" + closed),
                                        Duration.ofSeconds(1)))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("127.0.0.1:" + closed + ": ");
    }
}
