package io.jenkins.plugins.mesosagents.mesos.it;

import static io.jenkins.plugins.mesosagents.mesos.it.SimCluster.WAIT;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jenkins.plugins.mesosagents.mesos.ConnectionState;
import io.jenkins.plugins.mesosagents.mesos.Encoding;
import io.jenkins.plugins.mesosagents.mesos.FrameworkIdStore;
import io.jenkins.plugins.mesosagents.mesos.SchedulerConfig;
import io.jenkins.plugins.mesosagents.mesos.SchedulerConnection;
import io.jenkins.plugins.mesosagents.testcluster.mesos.TaskView;

import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What the simulator's fault injection does to our client: a silent stream (heartbeat loss), bytes
 * that are not RecordIO or not an event, 503 while the master recovers, and a framework the master
 * removed.
 */
class StreamFaultsTest {
    @TempDir Path work;

    @ParameterizedTest
    @EnumSource(Encoding.class)
    void heartbeatLossResubscribesWithTheSameFrameworkIdAndTheTaskKeepsRunning(Encoding encoding)
            throws Exception {
        try (SimCluster cluster = SimCluster.start(SimCluster.config(work).build())) {
            Recorder recorder = new Recorder();
            SchedulerConnection mesos =
                    cluster.connect(
                            SimCluster.client(
                                            cluster.leader(),
                                            SimCluster.identity("heartbeat-loss").build())
                                    .encoding(encoding)
                                    .missedHeartbeats(SchedulerConfig.DEFAULT_MISSED_HEARTBEATS)
                                    .build(),
                            recorder);
            await().atMost(WAIT).until(() -> mesos.state() == ConnectionState.SUBSCRIBED);
            String frameworkId = recorder.first().frameworkId();
            cluster.launch(mesos, recorder, "long-build", "exec sleep 60");
            await().atMost(WAIT)
                    .until(() -> recorder.sawState("long-build", TaskState.TASK_RUNNING));
            TaskView before = cluster.task("long-build");

            cluster.sim.silenceStreams(
                    Duration.ofSeconds(60)); // the connection stays open, nothing arrives
            await().atMost(WAIT).until(() -> recorder.subscriptions.size() >= 2);

            assertThat(recorder.disconnects)
                    .first()
                    .asString()
                    .contains("nothing received from the master")
                    .contains("limit 500 ms");
            assertThat(recorder.subscriptions)
                    .extracting(Recorder.Subscription::frameworkId)
                    .containsOnly(frameworkId);
            assertThat(mesos.state()).isEqualTo(ConnectionState.SUBSCRIBED);
            int heartbeats = recorder.heartbeats.get();
            await().atMost(WAIT).until(() -> recorder.heartbeats.get() > heartbeats + 3);
            TaskView after = cluster.task("long-build");
            assertThat(after.state()).isEqualTo("TASK_RUNNING");
            assertThat(after.pid()).isEqualTo(before.pid());
            assertThat(after.processAlive()).isTrue();
            assertThat(recorder.updates("long-build"))
                    .extracting(TaskStatus::getState)
                    .doesNotContain(
                            TaskState.TASK_KILLED,
                            TaskState.TASK_KILLING,
                            TaskState.TASK_LOST,
                            TaskState.TASK_FAILED);
            assertThat(recorder.failedOver)
                    .as("the old stream's 'failed over' must not stop the new one")
                    .isEmpty();
            assertThat(recorder.disconnects).hasSize(1);
            // calls now carry the new stream's Mesos-Stream-Id (the master rejects the old one)
            mesos.reconcileAll().get();
            await().atMost(WAIT)
                    .until(
                            () ->
                                    recorder.updates("long-build").stream()
                                            .anyMatch(
                                                    u ->
                                                            u.getReason()
                                                                            == TaskStatus.Reason
                                                                                    .REASON_RECONCILIATION
                                                                    && u.getState()
                                                                            == TaskState
                                                                                    .TASK_RUNNING));
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "PROTOBUF, 'garbage\n'",
        "JSON, 'garbage\n'",
        "PROTOBUF, '7\nnot-pb!'",
        "JSON, '7\n{oops!!'",
        "PROTOBUF, '99999999999999999999\n'",
    })
    void malformedRecordIoDropsTheStreamCleanlyAndResubscribes(Encoding encoding, String garbage)
            throws Exception {
        try (SimCluster cluster = SimCluster.start(SimCluster.config(work).build())) {
            Recorder recorder = new Recorder();
            SchedulerConnection mesos =
                    cluster.connect(
                            SimCluster.client(
                                            cluster.leader(),
                                            SimCluster.identity("garbage").build())
                                    .encoding(encoding)
                                    .build(),
                            recorder);
            await().atMost(WAIT).until(() -> mesos.state() == ConnectionState.SUBSCRIBED);
            String frameworkId = recorder.first().frameworkId();
            cluster.launch(mesos, recorder, "survivor", "exec sleep 60");
            await().atMost(WAIT).until(() -> recorder.sawState("survivor", TaskState.TASK_RUNNING));

            cluster.sim.injectIntoStreams(garbage.getBytes(StandardCharsets.UTF_8));
            await().atMost(WAIT).until(() -> recorder.subscriptions.size() >= 2);

            assertThat(recorder.disconnects).hasSize(1).first().asString().contains("corrupt");
            assertThat(recorder.subscriptions)
                    .extracting(Recorder.Subscription::frameworkId)
                    .containsOnly(frameworkId);
            assertThat(mesos.state()).isEqualTo(ConnectionState.SUBSCRIBED);
            int heartbeats = recorder.heartbeats.get();
            await().atMost(WAIT).until(() -> recorder.heartbeats.get() > heartbeats + 3);
            assertThat(cluster.task("survivor").processAlive()).isTrue();
            assertThat(cluster.task("survivor").state()).isEqualTo("TASK_RUNNING");
            assertThat(recorder.errors).isEmpty();
        }
    }

    @Test
    void teardownKillsTheTasksAndTheIdCannotSubscribeAgain() throws Exception {
        try (SimCluster cluster = SimCluster.start(SimCluster.config(work).build())) {
            Recorder recorder = new Recorder();
            FrameworkIdStore store = FrameworkIdStore.inMemory();
            SchedulerConnection mesos =
                    cluster.connect(
                            SimCluster.client(
                                            cluster.leader(),
                                            SimCluster.identity("torn-down").build())
                                    .frameworkIdStore(store)
                                    .build(),
                            recorder);
            await().atMost(WAIT).until(() -> mesos.state() == ConnectionState.SUBSCRIBED);
            cluster.launch(mesos, recorder, "orphan-candidate", "exec sleep 60");
            await().atMost(WAIT)
                    .until(() -> recorder.sawState("orphan-candidate", TaskState.TASK_RUNNING));
            long pid = cluster.task("orphan-candidate").pid();

            mesos.teardown().get(); // completes once the connection is closed

            assertThat(mesos.state()).isEqualTo(ConnectionState.CLOSED);
            await().atMost(WAIT)
                    .until(() -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
            Recorder again = new Recorder();
            SchedulerConnection restarted =
                    cluster.connect(
                            SimCluster.client(
                                            cluster.leader(),
                                            SimCluster.identity("torn-down").build())
                                    .frameworkIdStore(store)
                                    .build(),
                            again);
            await().atMost(WAIT)
                    .until(
                            () ->
                                    restarted.state() == ConnectionState.FRAMEWORK_REMOVED
                                            && !again.removed.isEmpty());
            assertThat(again.subscriptions).isEmpty();
        }
    }

    @Test
    void aSecondSchedulerWithTheSameIdTakesOverAndTheFirstStopsForGood() throws Exception {
        try (SimCluster cluster = SimCluster.start(SimCluster.config(work).build())) {
            Recorder oldRecorder = new Recorder();
            FrameworkIdStore shared = FrameworkIdStore.inMemory();
            SchedulerConnection old =
                    cluster.connect(
                            SimCluster.client(cluster.leader(), SimCluster.identity("twin").build())
                                    .frameworkIdStore(shared)
                                    .build(),
                            oldRecorder);
            await().atMost(WAIT).until(() -> old.state() == ConnectionState.SUBSCRIBED);
            String frameworkId = oldRecorder.first().frameworkId();
            cluster.launch(old, oldRecorder, "inherited", "exec sleep 60");
            await().atMost(WAIT)
                    .until(() -> oldRecorder.sawState("inherited", TaskState.TASK_RUNNING));

            Recorder newRecorder =
                    new Recorder(); // e.g. a restarted Jenkins reading the same stored id
            SchedulerConnection successor =
                    cluster.connect(
                            SimCluster.client(cluster.leader(), SimCluster.identity("twin").build())
                                    .frameworkIdStore(shared)
                                    .build(),
                            newRecorder);

            await().atMost(WAIT)
                    .until(
                            () ->
                                    old.state() == ConnectionState.FAILED_OVER
                                            && successor.state() == ConnectionState.SUBSCRIBED);
            await().atMost(WAIT).until(() -> !oldRecorder.failedOver.isEmpty());
            assertThat(oldRecorder.failedOver)
                    .singleElement()
                    .asString()
                    .contains("Framework failed over");
            assertThat(newRecorder.first().frameworkId()).isEqualTo(frameworkId);
            Thread.sleep(1_000); // the old one must not fight back and steal the framework again
            assertThat(oldRecorder.subscriptions).hasSize(1);
            assertThat(newRecorder.subscriptions).hasSize(1);
            assertThat(successor.state()).isEqualTo(ConnectionState.SUBSCRIBED);
            assertThat(cluster.task("inherited").processAlive()).isTrue();
        }
    }

    @Test
    void anEventOfUnknownTypeIsNotCorruptionAndKeepsTheStream() throws Exception {
        // a newer master's event type decodes as UNKNOWN (proto2 enum); reconnecting over it would
        // loop forever
        try (SimCluster cluster = SimCluster.start(SimCluster.config(work).build())) {
            Recorder recorder = new Recorder();
            SchedulerConnection mesos =
                    cluster.connect(
                            SimCluster.client(
                                            cluster.leader(), SimCluster.identity("future").build())
                                    .encoding(Encoding.JSON)
                                    .build(),
                            recorder);
            await().atMost(WAIT).until(() -> mesos.state() == ConnectionState.SUBSCRIBED);

            cluster.sim.injectIntoStreams(
                    "24\n{\"type\":\"NOT_YET_KNOWN\"}".getBytes(StandardCharsets.UTF_8));
            int heartbeats = recorder.heartbeats.get();
            await().atMost(WAIT).until(() -> recorder.heartbeats.get() > heartbeats + 5);

            assertThat(recorder.disconnects).isEmpty();
            assertThat(recorder.subscriptions).hasSize(1);
            assertThat(mesos.state()).isEqualTo(ConnectionState.SUBSCRIBED);
        }
    }

    @Test
    void masterStillRecoveringIsRetriedWithBackoffThenSubscribes() throws Exception {
        try (SimCluster cluster = SimCluster.start(SimCluster.config(work).build())) {
            Duration outage = Duration.ofMillis(2500);
            cluster.sim.unavailableFor(outage);
            long start = System.nanoTime();
            Recorder recorder = new Recorder();
            SchedulerConnection mesos =
                    cluster.connect(
                            SimCluster.client(
                                            cluster.leader(),
                                            SimCluster.identity("recovering").build())
                                    .build(),
                            recorder);

            await().atMost(WAIT).until(() -> mesos.state() == ConnectionState.SUBSCRIBED);
            long subscribedAfter = System.nanoTime() - start;

            assertThat(Duration.ofNanos(subscribedAfter))
                    .isGreaterThanOrEqualTo(outage.minusMillis(100));
            List<String> refusals = recorder.disconnects;
            assertThat(refusals)
                    .allSatisfy(
                            r ->
                                    assertThat(r)
                                            .contains("503")
                                            .contains("Master has not finished recovery")
                                            .contains("SUBSCRIBE"));
            // backoff 100 ms doubling to 1 s (jitter 20 %): about 5 attempts in 2.5 s, never a
            // tight loop
            assertThat(refusals).hasSizeBetween(3, 8);
            List<Long> at = recorder.disconnectTimes;
            long firstGap = at.get(1) - at.get(0);
            long lastGap = at.get(at.size() - 1) - at.get(at.size() - 2);
            assertThat(lastGap).as("the backoff grows between attempts").isGreaterThan(firstGap);
            assertThat(recorder.errors).isEmpty();
            await().atMost(WAIT).until(() -> !recorder.offers().isEmpty());

            cluster.sim.unavailableFor(
                    Duration.ofSeconds(2)); // an established stream survives; calls get the 503
            assertThat(mesos.reconcileAll())
                    .failsWithin(WAIT)
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .withCauseInstanceOf(
                            io.jenkins.plugins.mesosagents.mesos.MesosCallException.class)
                    .withMessageContaining("RECONCILE")
                    .withMessageContaining("503")
                    .withMessageContaining("Master has not finished recovery");
        }
    }

    @Test
    void frameworkRemovedAfterFailoverTimeoutIsAFinalStateReportedOnce() throws Exception {
        try (SimCluster cluster = SimCluster.start(SimCluster.config(work).build())) {
            Recorder recorder = new Recorder();
            FrameworkIdStore store = FrameworkIdStore.inMemory();
            SchedulerConnection mesos =
                    cluster.connect(
                            SimCluster.client(
                                            cluster.leader(),
                                            SimCluster.identity("short-lived")
                                                    .failoverTimeout(Duration.ofMillis(1))
                                                    .build())
                                    .frameworkIdStore(store)
                                    .build(),
                            recorder);
            await().atMost(WAIT).until(() -> mesos.state() == ConnectionState.SUBSCRIBED);
            String frameworkId = recorder.first().frameworkId();
            cluster.launch(mesos, recorder, "doomed", "exec sleep 60");
            await().atMost(WAIT).until(() -> recorder.sawState("doomed", TaskState.TASK_RUNNING));
            long pid = cluster.task("doomed").pid();

            // failover_timeout 1 ms: the master removes the framework the moment its stream is gone
            cluster.sim.dropStream(frameworkId);

            await().atMost(WAIT).until(() -> mesos.state() == ConnectionState.FRAMEWORK_REMOVED);
            await().atMost(WAIT).until(() -> !recorder.removed.isEmpty());
            assertThat(recorder.removed)
                    .singleElement()
                    .asString()
                    .contains("Framework has been removed");
            assertThat(mesos.state().isTerminal()).isTrue();
            assertThat(store.load())
                    .as("the caller decides whether to forget the id")
                    .contains(frameworkId);
            await().atMost(WAIT)
                    .until(() -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
            int attempts = recorder.disconnects.size();
            Thread.sleep(1_000); // several backoff periods: a stopped connection must not try again
            assertThat(recorder.disconnects).hasSize(attempts);
            assertThat(recorder.subscriptions).hasSize(1);
            assertThat(mesos.state()).isEqualTo(ConnectionState.FRAMEWORK_REMOVED);
            assertThat(
                            mesos.kill(
                                    org.apache.mesos.v1.Protos.TaskID.newBuilder()
                                            .setValue("doomed")
                                            .build(),
                                    null))
                    .as("calls after removal fail locally")
                    .isCompletedExceptionally();
        }
    }
}
