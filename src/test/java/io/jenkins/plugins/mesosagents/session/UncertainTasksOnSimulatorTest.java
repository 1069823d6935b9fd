package io.jenkins.plugins.mesosagents.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jenkins.plugins.mesosagents.engine.AgentTask;
import io.jenkins.plugins.mesosagents.engine.PlannedAgent;
import io.jenkins.plugins.mesosagents.testcluster.mesos.AgentConfig;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Task states Mesos does not call final for sure (mesos.proto, TaskState: TASK_GONE_BY_OPERATOR
 * "the task may still be running", TASK_UNKNOWN "may or may not still be running") are reconciled
 * and waited for, not taken as the end of the agent; and a partition that heals, which produces no
 * update, is noticed from the agent's offers, not at the next periodic reconciliation.
 */
class UncertainTasksOnSimulatorTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir Path dir;

    private SessionCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private MesosSchedulerSession start(Duration reregisterTimeout) throws Exception {
        cluster =
                SessionCluster.start(
                        dir,
                        SessionCluster.fastSimulator(dir)
                                .agent(AgentConfig.of("a1.local", 4, 4096)));
        MesosSchedulerSession session =
                cluster.session(
                        cluster.engine(cluster.jenkinsUrl())
                                // only a reconciliation the engine asks for can find the task
                                .reconcileInterval(Duration.ofMinutes(10))
                                .orphanGrace(Duration.ofMinutes(10))
                                .agentReregisterTimeout(reregisterTimeout)
                                .build(),
                        dir.resolve("state.json"),
                        List.of(cluster.template("linux").build()));
        await().atMost(WAIT).until(() -> session.snapshot().subscribed());
        return session;
    }

    private PlannedAgent runOne(MesosSchedulerSession session) throws Exception {
        PlannedAgent p =
                session.provision("linux", 1, cluster.namer())
                        .orTimeout(10, TimeUnit.SECONDS)
                        .join()
                        .get(0);
        cluster.nodes.owned.add(p.name());
        session.nodeReady(p.name());
        p.running().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        session.agentConnected(p.name());
        return p;
    }

    private String state(MesosSchedulerSession session, String agent) {
        return session.task(agent).join().map(AgentTask::state).orElse("gone");
    }

    @Test
    void goneByOperatorIsReconciledAndWaitedForBeforeTheAgentIsLost() throws Exception {
        MesosSchedulerSession session = start(Duration.ofSeconds(4));
        PlannedAgent p = runOne(session);

        cluster.mesos.removeAgent("a1.local");

        Thread.sleep(2_000);
        assertThat(cluster.nodes.lost)
                .as("TASK_GONE_BY_OPERATOR: the task may still be running")
                .doesNotContainKey(p.name());
        assertThat(state(session, p.name())).isNotEqualTo("gone");
        await().atMost(WAIT).until(() -> cluster.nodes.lost.containsKey(p.name()));
        assertThat(cluster.nodes.events())
                .anySatisfy(
                        e ->
                                assertThat(e)
                                        .startsWith("lost " + p.name())
                                        .contains("TASK_GONE_BY_OPERATOR"));
        assertThat(state(session, p.name())).isEqualTo("gone");
    }

    @Test
    void aHealedPartitionIsReconciledWithoutWaitingForThePeriodicRound() throws Exception {
        MesosSchedulerSession session = start(Duration.ofMinutes(10));
        PlannedAgent p = runOne(session);

        cluster.mesos.partitionAgent("a1.local");
        await().atMost(WAIT).until(() -> state(session, p.name()).equals("TASK_UNREACHABLE"));

        cluster.mesos.healAgent("a1.local");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> state(session, p.name()).equals("TASK_RUNNING"));
        assertThat(cluster.nodes.lost).doesNotContainKey(p.name());
    }
}
