package io.jenkins.plugins.mesosagents.mesos.it;

import static io.jenkins.plugins.mesosagents.mesos.it.SimCluster.STATUS_RETRY;
import static io.jenkins.plugins.mesosagents.mesos.it.SimCluster.WAIT;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jenkins.plugins.mesosagents.mesos.ConnectionState;
import io.jenkins.plugins.mesosagents.mesos.Encoding;
import io.jenkins.plugins.mesosagents.mesos.FrameworkIdStore;
import io.jenkins.plugins.mesosagents.mesos.SchedulerConnection;
import io.jenkins.plugins.mesosagents.testcluster.mesos.AgentConfig;
import io.jenkins.plugins.mesosagents.testcluster.mesos.MesosSimConfig;
import io.jenkins.plugins.mesosagents.testcluster.mesos.TaskView;

import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Our client against the simulated master, in both encodings: SUBSCRIBE, offers, ACCEPT/LAUNCH of a
 * real process, every status update acknowledged exactly once (and never resent afterwards),
 * explicit and implicit reconciliation, and KILL.
 */
class TaskLifecycleOnSimulatorTest {
    @TempDir Path work;

    @ParameterizedTest
    @EnumSource(Encoding.class)
    void launchAcknowledgeReconcileAndKillARealProcess(Encoding encoding) throws Exception {
        try (SimCluster cluster = SimCluster.start(SimCluster.config(work).build())) {
            Recorder recorder = new Recorder();
            FrameworkIdStore store = FrameworkIdStore.inMemory();
            SchedulerConnection mesos =
                    cluster.connect(
                            SimCluster.client(
                                            cluster.leader(),
                                            SimCluster.identity("lifecycle-" + encoding).build())
                                    .encoding(encoding)
                                    .frameworkIdStore(store)
                                    .build(),
                            recorder);

            await().atMost(WAIT).until(() -> mesos.state() == ConnectionState.SUBSCRIBED);
            String frameworkId = recorder.first().frameworkId();
            assertThat(frameworkId).isNotBlank();
            assertThat(store.load()).contains(frameworkId);
            assertThat(mesos.master().orElseThrow().port())
                    .isEqualTo(cluster.sim.leaderUrl().getPort());
            await().atMost(WAIT).until(() -> recorder.heartbeats.get() >= 2);

            await().atMost(WAIT).until(() -> !recorder.offers().isEmpty());
            Offer first = recorder.offers().get(0);
            assertThat(first.getHostname()).isEqualTo("agent1.local");
            assertThat(first.getFrameworkId().getValue()).isEqualTo(frameworkId);
            assertThat(first.getResourcesList())
                    .anyMatch(r -> r.getName().equals("cpus") && r.getScalar().getValue() == 2.0);

            Offer used =
                    cluster.launch(
                            mesos, recorder, "build-1", "echo started > marker; exec sleep 60");
            await().atMost(WAIT).until(() -> recorder.sawState("build-1", TaskState.TASK_RUNNING));
            TaskView running = cluster.task("build-1");
            assertThat(running.frameworkId()).isEqualTo(frameworkId);
            assertThat(running.agentId()).isEqualTo(used.getAgentId().getValue());
            assertThat(running.pid()).isPositive();
            assertThat(running.processAlive()).isTrue();
            assertThat(ProcessHandle.of(running.pid()).map(ProcessHandle::isAlive)).contains(true);
            assertThat(running.sandbox()).isDirectory();
            await().atMost(WAIT).until(() -> Files.exists(running.sandbox().resolve("marker")));
            assertThat(Files.readString(running.sandbox().resolve("marker")).strip())
                    .isEqualTo("started");

            assertAcknowledgedExactlyOnce(cluster, recorder, "build-1", 2);

            AgentID agent = used.getAgentId();
            Call.Reconcile.Task explicit =
                    Call.Reconcile.Task.newBuilder()
                            .setTaskId(TaskID.newBuilder().setValue("build-1"))
                            .setAgentId(agent)
                            .build();
            Call.Reconcile.Task unknown =
                    Call.Reconcile.Task.newBuilder()
                            .setTaskId(TaskID.newBuilder().setValue("never-launched"))
                            .setAgentId(agent)
                            .build();
            mesos.reconcile(List.of(explicit, unknown)).join();
            TaskStatus answer =
                    await().atMost(WAIT)
                            .until(() -> reconciliation(recorder, "build-1", 0), s -> s != null);
            assertThat(answer.getState()).isEqualTo(TaskState.TASK_RUNNING);
            assertThat(answer.hasUuid()).as("reconciliation answers carry no uuid").isFalse();
            TaskStatus ghost =
                    await().atMost(WAIT)
                            .until(
                                    () -> reconciliation(recorder, "never-launched", 0),
                                    s -> s != null);
            assertThat(ghost.getState())
                    .as("unknown task on a registered agent, PARTITION_AWARE")
                    .isEqualTo(TaskState.TASK_GONE);

            mesos.reconcileAll().join();
            TaskStatus implicit =
                    await().atMost(WAIT)
                            .until(() -> reconciliation(recorder, "build-1", 1), s -> s != null);
            assertThat(implicit.getState()).isEqualTo(TaskState.TASK_RUNNING);
            assertThat(implicit.hasUuid()).isFalse();
            assertThat(recorder.ackFailures).isEmpty();

            mesos.kill(TaskID.newBuilder().setValue("build-1").build(), agent).join();
            await().atMost(WAIT).until(() -> recorder.sawState("build-1", TaskState.TASK_KILLED));
            await().atMost(WAIT)
                    .until(
                            () ->
                                    !ProcessHandle.of(running.pid())
                                            .map(ProcessHandle::isAlive)
                                            .orElse(false));
            assertThat(cluster.task("build-1").state()).isEqualTo("TASK_KILLED");
            assertAcknowledgedExactlyOnce(cluster, recorder, "build-1", 3);
            assertThat(recorder.disconnects).as("the stream stayed up the whole time").isEmpty();
            assertThat(recorder.errors).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Encoding.class)
    void manyAgentsManyTasksEachUpdateAcknowledgedOnce(Encoding encoding) throws Exception {
        MesosSimConfig.Builder config = SimCluster.config(work);
        for (int i = 2; i <= 12; i++) {
            config.agent(AgentConfig.of("agent" + i + ".local", 2, 1024));
        }
        try (SimCluster cluster = SimCluster.start(config.build())) {
            Recorder recorder = new Recorder();
            SchedulerConnection mesos =
                    cluster.connect(
                            SimCluster.client(
                                            cluster.leader(),
                                            SimCluster.identity("fleet-" + encoding).build())
                                    .encoding(encoding)
                                    .build(),
                            recorder);
            await().atMost(WAIT)
                    .until(
                            () ->
                                    recorder.offers().stream()
                                                    .map(o -> o.getAgentId().getValue())
                                                    .distinct()
                                                    .count()
                                            == 12);
            List<Offer> offers = recorder.offers().subList(0, 12);
            List<java.util.concurrent.CompletableFuture<Void>> launches =
                    new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) { // two tasks per ACCEPT, six ACCEPTs in flight at once
                Offer offer = offers.get(i);
                launches.add(
                        mesos.launch(
                                List.of(offer.getId()),
                                List.of(
                                        SimCluster.shellTask(
                                                "fleet-" + i + "a", offer, "exec sleep 60"),
                                        SimCluster.shellTask(
                                                "fleet-" + i + "b", offer, "exec sleep 60")),
                                SchedulerConnection.refuseFor(Duration.ZERO)));
            }
            launches.forEach(java.util.concurrent.CompletableFuture::join);
            List<String> ids =
                    java.util.stream.IntStream.range(0, 6)
                            .boxed()
                            .flatMap(
                                    i ->
                                            java.util.stream.Stream.of(
                                                    "fleet-" + i + "a", "fleet-" + i + "b"))
                            .toList();
            await().atMost(WAIT)
                    .until(
                            () ->
                                    ids.stream()
                                            .allMatch(
                                                    id ->
                                                            recorder.sawState(
                                                                    id, TaskState.TASK_RUNNING)));
            await().atMost(WAIT)
                    .until(
                            () ->
                                    ids.stream()
                                            .allMatch(
                                                    id ->
                                                            cluster.task(id).unacknowledgedUpdates()
                                                                    == 0));
            assertThat(ids)
                    .allSatisfy(id -> assertThat(cluster.task(id).processAlive()).as(id).isTrue());
            assertThat(ids.stream().map(id -> cluster.task(id).pid()).distinct()).hasSize(12);

            ids.forEach(id -> mesos.kill(TaskID.newBuilder().setValue(id).build(), null).join());
            await().atMost(WAIT)
                    .until(
                            () ->
                                    ids.stream()
                                            .allMatch(
                                                    id ->
                                                            recorder.sawState(
                                                                    id, TaskState.TASK_KILLED)));
            await().atMost(WAIT)
                    .until(
                            () ->
                                    ids.stream()
                                            .allMatch(
                                                    id ->
                                                            cluster.task(id).unacknowledgedUpdates()
                                                                    == 0));
            Thread.sleep(STATUS_RETRY.multipliedBy(3).dividedBy(2).toMillis());
            assertThat(recorder.delivered)
                    .hasSize(36) // STARTING, RUNNING, KILLED × 12
                    .allSatisfy(
                            (uuid, n) ->
                                    assertThat(n.get()).as("deliveries of %s", uuid).isEqualTo(1));
            await().atMost(WAIT)
                    .untilAsserted(
                            () ->
                                    assertThat(recorder.acknowledged)
                                            .hasSize(36)
                                            .allSatisfy(
                                                    (uuid, n) ->
                                                            assertThat(n.get())
                                                                    .as(
                                                                            "acknowledgements of"
                                                                                    + " %s",
                                                                            uuid)
                                                                    .isEqualTo(1)));
            assertThat(recorder.ackFailures).isEmpty();
            assertThat(recorder.disconnects).isEmpty();
        }
    }

    @Test
    void restartedSchedulerKeepsItsFrameworkAndReceivesTheUpdatesLeftUnacknowledged()
            throws Exception {
        try (SimCluster cluster = SimCluster.start(SimCluster.config(work).build())) {
            FrameworkIdStore store =
                    FrameworkIdStore.inMemory(); // stands for what Jenkins persists
            Recorder beforeRestart = new Recorder();
            beforeRestart.acknowledge = false; // "crashes" before acknowledging anything
            SchedulerConnection first =
                    cluster.connect(
                            SimCluster.client(
                                            cluster.leader(),
                                            SimCluster.identity("restarting").build())
                                    .frameworkIdStore(store)
                                    .build(),
                            beforeRestart);
            await().atMost(WAIT).until(() -> first.state() == ConnectionState.SUBSCRIBED);
            String frameworkId = beforeRestart.first().frameworkId();
            cluster.launch(first, beforeRestart, "survives-restart", "exec sleep 60");
            TaskStatus unacknowledged =
                    await().atMost(WAIT)
                            .until(
                                    () ->
                                            beforeRestart.updates("survives-restart").stream()
                                                    .filter(TaskStatus::hasUuid)
                                                    .findFirst()
                                                    .orElse(null),
                                    s -> s != null);
            first.close();
            assertThat(first.state()).isEqualTo(ConnectionState.CLOSED);
            TaskView pending = cluster.task("survives-restart");
            assertThat(pending.unacknowledgedUpdates()).isPositive();

            Recorder afterRestart = new Recorder();
            SchedulerConnection second =
                    cluster.connect(
                            SimCluster.client(
                                            cluster.leader(),
                                            SimCluster.identity("restarting").build())
                                    .frameworkIdStore(store)
                                    .build(),
                            afterRestart);
            await().atMost(WAIT)
                    .until(() -> afterRestart.sawState("survives-restart", TaskState.TASK_RUNNING));
            assertThat(afterRestart.first().frameworkId()).isEqualTo(frameworkId);
            assertThat(afterRestart.updates("survives-restart"))
                    .first()
                    .satisfies(s -> assertThat(s.getUuid()).isEqualTo(unacknowledged.getUuid()));
            await().atMost(WAIT)
                    .until(() -> cluster.task("survives-restart").unacknowledgedUpdates() == 0);
            TaskView running = cluster.task("survives-restart");
            assertThat(running.pid()).isEqualTo(pending.pid());
            assertThat(running.processAlive()).isTrue();
            assertThat(afterRestart.ackFailures).isEmpty();
            assertThat(second.state()).isEqualTo(ConnectionState.SUBSCRIBED);
        }
    }

    /** The n-th (0-based) reconciliation answer for the task, or null. */
    private static TaskStatus reconciliation(Recorder recorder, String taskId, int n) {
        List<TaskStatus> answers =
                recorder.updates(taskId).stream()
                        .filter(s -> s.getReason() == TaskStatus.Reason.REASON_RECONCILIATION)
                        .toList();
        return answers.size() > n ? answers.get(n) : null;
    }

    /**
     * The master holds no unacknowledged update of the task, and over longer than its retry
     * interval nothing is resent: each uuid arrived once and was acknowledged once.
     */
    private static void assertAcknowledgedExactlyOnce(
            SimCluster cluster, Recorder recorder, String taskId, int expectedUpdates) {
        await().atMost(WAIT).until(() -> cluster.task(taskId).unacknowledgedUpdates() == 0);
        AtomicInteger uuidUpdates = new AtomicInteger();
        await().pollDelay(STATUS_RETRY.multipliedBy(3).dividedBy(2))
                .atMost(WAIT)
                .untilAsserted(
                        () -> {
                            List<TaskStatus> withUuid =
                                    recorder.updates(taskId).stream()
                                            .filter(TaskStatus::hasUuid)
                                            .toList();
                            uuidUpdates.set(withUuid.size());
                            assertThat(withUuid).hasSize(expectedUpdates);
                        });
        assertThat(recorder.resentAfterAck)
                .as("updates resent after the master accepted their ACKNOWLEDGE")
                .isEmpty();
        assertThat(recorder.ackFailures).isEmpty();
        assertThat(recorder.delivered)
                .hasSize(uuidUpdates.get())
                .allSatisfy(
                        (uuid, n) -> assertThat(n.get()).as("deliveries of %s", uuid).isEqualTo(1));
        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(recorder.acknowledged)
                                        .hasSize(uuidUpdates.get())
                                        .allSatisfy(
                                                (uuid, n) ->
                                                        assertThat(n.get())
                                                                .as("acknowledgements of %s", uuid)
                                                                .isEqualTo(1)));
    }
}
