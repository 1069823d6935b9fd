package io.jenkins.plugins.mesosagents.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.engine.ContainerSpec;
import io.jenkins.plugins.mesosagents.engine.LaunchedAgent;
import io.jenkins.plugins.mesosagents.engine.PlannedAgent;
import io.jenkins.plugins.mesosagents.testcluster.mesos.AgentConfig;
import io.jenkins.plugins.mesosagents.testcluster.mesos.TaskView;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Agent launches through the real session on a simulator that runs container tasks in the image's
 * WORKDIR (as Mesos 1.11 does) and takes framework updates (UPDATE_FRAMEWORK) without a restart.
 */
class LaunchOnRealRulesTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir Path dir;
    private SessionCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private SessionCluster start(AgentConfig... agents) throws Exception {
        var sim = SessionCluster.fastSimulator(dir);
        for (AgentConfig a : agents) {
            sim.agent(a);
        }
        cluster = SessionCluster.start(dir, sim);
        return cluster;
    }

    private LaunchedAgent launch(MesosSchedulerSession session, String template) {
        List<PlannedAgent> planned =
                session.provision(template, 1, cluster.namer())
                        .orTimeout(10, TimeUnit.SECONDS)
                        .join();
        assertThat(planned).hasSize(1);
        session.nodeReady(planned.get(0).name());
        return planned.get(0).running().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    @Test
    void containerAgentStartsInTheImageWorkdirAndTheSecretPipeIsGoneOnceRead() throws Exception {
        start(AgentConfig.of("a1.local", 4, 4096));
        AgentTemplate container =
                cluster.template("container")
                        .container(
                                ContainerSpec.builder(
                                                ContainerSpec.Type.MESOS,
                                                "jenkins/inbound-agent:latest-jdk17")
                                        .build())
                        .build();
        MesosSchedulerSession session =
                cluster.session(
                        cluster.engine(cluster.jenkinsUrl()).build(),
                        dir.resolve("state.json"),
                        List.of(container));
        LaunchedAgent agent = launch(session, "container");
        TaskView task = cluster.mesos.task(agent.taskId()).orElseThrow();
        await().atMost(WAIT).until(() -> Files.exists(task.sandbox().resolve("java-cwd")));
        Path cwd = Path.of(Files.readString(task.sandbox().resolve("java-cwd")).trim());
        assertThat(cwd).isNotEqualTo(task.sandbox());
        assertThat(task.sandbox().resolve("java-secret")).hasContent("read");
        await().atMost(WAIT)
                .until(() -> !Files.exists(task.sandbox().resolve(".jenkins-agent-secret")));
        assertThat(task.state()).isEqualTo("TASK_RUNNING");
    }

    @Test
    void templateWithANewRoleIsOfferedWithoutARestart() throws Exception {
        start(
                new AgentConfig(
                                "a1.local",
                                0.1,
                                128,
                                1000,
                                0,
                                "31000-31100",
                                java.util.Map.of(),
                                null,
                                null,
                                java.util.Map.of())
                        .withReservation(
                                "eng/ci", new AgentConfig.Reservation(2, 2048, 1000, 0, "")));
        MesosSchedulerSession session =
                cluster.session(
                        cluster.engine(cluster.jenkinsUrl()).build(),
                        dir.resolve("state.json"),
                        List.of(cluster.template("plain").build()));
        await().atMost(WAIT).until(() -> !session.snapshot().frameworkId().isEmpty());
        session.updateTemplates(
                List.of(
                        cluster.template("plain").build(),
                        cluster.template("ci").role("eng/ci").build()));
        LaunchedAgent agent = launch(session, "ci");
        assertThat(agent.hostname()).isEqualTo("a1.local");
        assertThat(cluster.mesos.stateJson()).contains("eng/ci");
    }

    /**
     * UPDATE_FRAMEWORK sets the framework's suppressed roles to exactly the list it carries: roles
     * suppressed before and left out are revived (allocator/mesos/hierarchical.cpp 1.11.0
     * L959-965). A framework with no demand has suppressed its offers; adding a template's role
     * must not revive them, or the master offers resources the engine, believing itself suppressed,
     * only holds and declines.
     */
    @Test
    void addingARoleKeepsAnIdleFrameworkSuppressed() throws Exception {
        start(
                AgentConfig.of("a1.local", 4, 4096)
                        .withReservation(
                                "eng/ci", new AgentConfig.Reservation(2, 2048, 1000, 0, "")));
        MesosSchedulerSession session =
                cluster.session(
                        cluster.engine(cluster.jenkinsUrl()).build(),
                        dir.resolve("state.json"),
                        List.of(cluster.template("plain").build()));
        await().atMost(WAIT).until(() -> suppressedRoles().contains("*"));
        session.updateTemplates(
                List.of(
                        cluster.template("plain").build(),
                        cluster.template("ci").role("eng/ci").build()));
        await().atMost(WAIT).until(() -> frameworkRoles().contains("eng/ci"));
        assertThat(suppressedRoles()).containsExactlyInAnyOrder("*", "eng/ci");
        // demand still revives the new role's offers
        assertThat(launch(session, "ci").hostname()).isEqualTo("a1.local");
    }

    private List<String> suppressedRoles() throws Exception {
        return frameworkField("suppressed_roles");
    }

    private List<String> frameworkRoles() throws Exception {
        return frameworkField("roles");
    }

    private List<String> frameworkField(String field) throws Exception {
        var frameworks =
                new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(cluster.mesos.stateJson())
                        .path("frameworks");
        List<String> values = new java.util.ArrayList<>();
        frameworks.forEach(f -> f.path(field).forEach(v -> values.add(v.asText())));
        return values;
    }

    @Test
    void templatesGivenBeforeSubscribingGetTheirRoleOnceSubscribed() throws Exception {
        start(
                AgentConfig.of("a1.local", 0.1, 128)
                        .withReservation(
                                "eng/ci", new AgentConfig.Reservation(2, 2048, 1000, 0, "")));
        // the session's framework identity subscribes with role "*" only (SessionCluster)
        MesosSchedulerSession session =
                cluster.session(
                        cluster.engine(cluster.jenkinsUrl()).build(),
                        dir.resolve("state.json"),
                        List.of(cluster.template("ci").role("eng/ci").build()));
        assertThat(launch(session, "ci").hostname()).isEqualTo("a1.local");
    }

    @Test
    void templateThatNeedsGpusMakesTheFrameworkGpuCapableWithoutARestart() throws Exception {
        start(AgentConfig.of("gpu1.local", 4, 4096).withGpus(1));
        MesosSchedulerSession session =
                cluster.session(
                        cluster.engine(cluster.jenkinsUrl()).build(),
                        dir.resolve("state.json"),
                        List.of(cluster.template("plain").build()));
        await().atMost(WAIT).until(() -> !session.snapshot().frameworkId().isEmpty());
        session.updateTemplates(
                List.of(
                        cluster.template("plain").build(),
                        cluster.template("cuda").gpus(1).build()));
        LaunchedAgent agent = launch(session, "cuda");
        assertThat(agent.hostname()).isEqualTo("gpu1.local");
    }
}
