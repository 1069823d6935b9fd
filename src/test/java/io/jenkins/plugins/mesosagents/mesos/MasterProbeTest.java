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
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Optional;

/**
 * "Test connection" against the simulated masters: a follower redirects to the leader, whose state
 * is read.
 */
class MasterProbeTest {
    @TempDir Path work;

    private static SchedulerConfig config(String masters, MesosCredentials credentials) {
        return SchedulerConfig.builder(
                        MasterDetector.fromString(masters, "http"),
                        FrameworkIdentity.builder("probe", "nobody").build())
                .requestTimeout(Duration.ofSeconds(5))
                .credentials(credentials)
                .build();
    }

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
    void throughAdminRouterA403SaysWhichPermissionIsMissingAndHowToGrantIt() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        MesosSimConfig cfg =
                MesosSimConfig.builder(work)
                        .agent(AgentConfig.of("a1.local", 2, 2048))
                        .serviceAccount("jenkins-sa", keys.getPublic())
                        .build();
        try (MesosSimulator sim = MesosSimulator.start(cfg)) {
            String gateway = sim.gatewayUrl().orElseThrow().toString();
            MesosCredentials account =
                    new MesosCredentials.DcosServiceAccount(
                            "jenkins-sa", keys.getPrivate(), Optional.empty());
            sim.grantMesosThroughAdminRouter("jenkins-sa", false);

            assertThatThrownBy(
                            () ->
                                    MasterProbe.probe(
                                            config(gateway, account), Duration.ofSeconds(5)))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("/mesos/master/state")
                    .hasMessageContaining("Admin Router refused service account 'jenkins-sa'")
                    .hasMessageContaining("dcos:adminrouter:ops:mesos (action full)")
                    .hasMessageContaining(
                            "dcos security org users grant jenkins-sa dcos:adminrouter:ops:mesos"
                                    + " full")
                    .hasMessageNotContaining("<html")
                    .hasMessageNotContaining("may still");

            sim.grantMesosThroughAdminRouter("jenkins-sa", true);
            MasterProbe.Result granted =
                    MasterProbe.probe(config(gateway, account), Duration.ofSeconds(5));
            assertThat(granted.agents()).isEqualTo(1);
            assertThat(granted.leader().encodedPath()).isEqualTo("/mesos");
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
