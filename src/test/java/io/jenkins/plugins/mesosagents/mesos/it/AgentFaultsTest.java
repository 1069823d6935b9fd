package io.jenkins.plugins.mesosagents.mesos.it;

import static io.jenkins.plugins.mesosagents.mesos.it.SimCluster.WAIT;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jenkins.plugins.mesosagents.mesos.ConnectionState;
import io.jenkins.plugins.mesosagents.mesos.Encoding;
import io.jenkins.plugins.mesosagents.mesos.SchedulerConnection;

import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;

/**
 * Agent faults as our (PARTITION_AWARE) client sees them, in both encodings: a partitioned agent's
 * task becomes UNREACHABLE (master-generated, no uuid, unreachable_time), reconciliation tells
 * RUNNING again once the agent heals (same process), and an agent marked gone ends the task with
 * GONE_BY_OPERATOR and kills its process.
 */
class AgentFaultsTest {
    @TempDir Path work;

    @ParameterizedTest
    @EnumSource(Encoding.class)
    void partitionHealAndGone(Encoding encoding) throws Exception {
        try (SimCluster cluster = SimCluster.start(SimCluster.config(work).build())) {
            Recorder recorder = new Recorder();
            SchedulerConnection mesos =
                    cluster.connect(
                            SimCluster.client(
                                            cluster.leader(),
                                            SimCluster.identity("agent-faults-" + encoding).build())
                                    .encoding(encoding)
                                    .build(),
                            recorder);
            await().atMost(WAIT).until(() -> mesos.state() == ConnectionState.SUBSCRIBED);
            AgentID agent =
                    cluster.launch(mesos, recorder, "on-flaky-agent", "exec sleep 60").getAgentId();
            await().atMost(WAIT)
                    .until(() -> recorder.sawState("on-flaky-agent", TaskState.TASK_RUNNING));
            long pid = cluster.task("on-flaky-agent").pid();

            cluster.sim.partitionAgent("agent1.local");
            TaskStatus unreachable =
                    await().atMost(WAIT)
                            .until(
                                    () -> latest(recorder, TaskState.TASK_UNREACHABLE),
                                    s -> s != null);
            assertThat(unreachable.hasUuid()).as("master-generated").isFalse();
            assertThat(unreachable.getReason()).isEqualTo(TaskStatus.Reason.REASON_AGENT_REMOVED);
            assertThat(unreachable.getUnreachableTime().getNanoseconds()).isPositive();
            assertThat(unreachable.getAgentId()).isEqualTo(agent);

            cluster.sim.healAgent("agent1.local");
            int before = reconciliations(recorder);
            mesos.reconcile(
                            List.of(
                                    Call.Reconcile.Task.newBuilder()
                                            .setTaskId(
                                                    TaskID.newBuilder().setValue("on-flaky-agent"))
                                            .setAgentId(agent)
                                            .build()))
                    .get();
            await().atMost(WAIT).until(() -> reconciliations(recorder) > before);
            TaskStatus healed =
                    recorder.updates("on-flaky-agent")
                            .get(recorder.updates("on-flaky-agent").size() - 1);
            assertThat(healed.getState()).isEqualTo(TaskState.TASK_RUNNING);
            assertThat(cluster.task("on-flaky-agent").pid()).isEqualTo(pid);
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);

            cluster.sim.removeAgent("agent1.local");
            TaskStatus gone =
                    await().atMost(WAIT)
                            .until(
                                    () -> latest(recorder, TaskState.TASK_GONE_BY_OPERATOR),
                                    s -> s != null);
            assertThat(gone.hasUuid()).isFalse();
            await().atMost(WAIT)
                    .until(() -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
            assertThat(recorder.ackFailures).isEmpty();
            assertThat(mesos.state()).isEqualTo(ConnectionState.SUBSCRIBED);
        }
    }

    private static TaskStatus latest(Recorder recorder, TaskState state) {
        return recorder.updates("on-flaky-agent").stream()
                .filter(s -> s.getState() == state)
                .reduce((a, b) -> b)
                .orElse(null);
    }

    private static int reconciliations(Recorder recorder) {
        return (int)
                recorder.updates("on-flaky-agent").stream()
                        .filter(s -> s.getReason() == TaskStatus.Reason.REASON_RECONCILIATION)
                        .count();
    }
}
