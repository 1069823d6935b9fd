package io.jenkins.plugins.mesosagents.mesos.it;

import static io.jenkins.plugins.mesosagents.mesos.it.SimCluster.WAIT;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jenkins.plugins.mesosagents.mesos.ConnectionState;
import io.jenkins.plugins.mesosagents.mesos.MasterDetector;
import io.jenkins.plugins.mesosagents.mesos.MesosCredentials;
import io.jenkins.plugins.mesosagents.mesos.SchedulerConnection;
import io.jenkins.plugins.mesosagents.testcluster.mesos.TaskView;

import org.apache.curator.test.TestingServer;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * Master failover with several simulated masters: found through ZooKeeper ({@code zk://} URL,
 * {@code json.info_} znodes, a real ZooKeeper from curator-test), and through 307 redirects from
 * non-leaders of a static list. Either way the framework re-subscribes to the new leader with the
 * same id and its task keeps running.
 */
class LeaderFailoverTest {
    @TempDir Path work;

    @Test
    void zooKeeperLeaderChangeMovesTheSubscriptionAndKeepsTheTask() throws Exception {
        try (TestingServer zookeeper = new TestingServer(true);
                SimCluster cluster =
                        SimCluster.start(
                                SimCluster.config(work)
                                        .masters(3)
                                        .zookeeper(zookeeper.getConnectString())
                                        .zkPath("/mesos")
                                        .build())) {
            String zkUrl = cluster.sim.zkUrl().orElseThrow();
            assertThat(zkUrl).startsWith("zk://127.0.0.1:").endsWith("/mesos");
            Recorder recorder = new Recorder();
            SchedulerConnection mesos =
                    cluster.connect(
                            SimCluster.client(
                                            MasterDetector.fromString(zkUrl, "http"),
                                            SimCluster.identity("zk-failover").build())
                                    .build(),
                            recorder);
            await().atMost(WAIT).until(() -> mesos.state() == ConnectionState.SUBSCRIBED);
            URI firstLeader = cluster.sim.leaderUrl();
            assertThat(recorder.first().master().port()).isEqualTo(firstLeader.getPort());
            String frameworkId = recorder.first().frameworkId();
            cluster.launch(mesos, recorder, "across-failover", "exec sleep 60");
            await().atMost(WAIT)
                    .until(() -> recorder.sawState("across-failover", TaskState.TASK_RUNNING));
            TaskView before = cluster.task("across-failover");

            cluster.sim.failoverLeader();
            URI secondLeader = cluster.sim.leaderUrl();
            assertThat(secondLeader).isNotEqualTo(firstLeader);

            // the client may hear of the election before the simulator's masters do, and be
            // redirected back once
            await().atMost(WAIT)
                    .until(
                            () ->
                                    mesos.state() == ConnectionState.SUBSCRIBED
                                            && recorder.subscriptions
                                                            .get(recorder.subscriptions.size() - 1)
                                                            .master()
                                                            .port()
                                                    == secondLeader.getPort());
            assertThat(
                            recorder.subscriptions
                                    .get(recorder.subscriptions.size() - 1)
                                    .master()
                                    .port())
                    .isEqualTo(secondLeader.getPort());
            assertThat(mesos.master().orElseThrow().port()).isEqualTo(secondLeader.getPort());
            assertThat(recorder.subscriptions)
                    .extracting(Recorder.Subscription::frameworkId)
                    .containsOnly(frameworkId);
            assertTaskSurvived(cluster, recorder, mesos, before);
        }
    }

    @Test
    void nonLeadersRedirectWith307AndTheClientFollowsToTheNewLeader() throws Exception {
        try (SimCluster cluster = SimCluster.start(SimCluster.config(work).masters(3).build())) {
            List<URI> masters = cluster.sim.masterUrls();
            assertThat(cluster.sim.leaderUrl()).isEqualTo(masters.get(0));
            Recorder all = new Recorder();
            SchedulerConnection viaList =
                    cluster.connect(
                            SimCluster.client(
                                            cluster.allMasters(),
                                            SimCluster.identity("static-list").build())
                                    .build(),
                            all);
            // only the first master is configured: after failover the sole way to the leader is its
            // 307
            Recorder single = new Recorder();
            SchedulerConnection viaRedirect =
                    cluster.connect(
                            SimCluster.client(
                                            MasterDetector.fromString(
                                                    masters.get(0).toString(), "http"),
                                            SimCluster.identity("one-master").build())
                                    .initiallySuppressedRoles(java.util.Set.of("*"))
                                    .build(),
                            single); // leaves the offers to the other
            await().atMost(WAIT)
                    .until(
                            () ->
                                    viaList.state() == ConnectionState.SUBSCRIBED
                                            && viaRedirect.state() == ConnectionState.SUBSCRIBED);
            String frameworkId = all.first().frameworkId();
            cluster.launch(viaList, all, "redirected", "exec sleep 60");
            await().atMost(WAIT).until(() -> all.sawState("redirected", TaskState.TASK_RUNNING));
            TaskView before = cluster.task("redirected");

            for (int failover = 1; failover <= 2; failover++) {
                cluster.sim.failoverLeader();
                URI leader = masters.get(failover);
                assertThat(cluster.sim.leaderUrl()).isEqualTo(leader);
                int expected = failover + 1;
                await().atMost(WAIT)
                        .until(
                                () ->
                                        all.subscriptions.size() >= expected
                                                && single.subscriptions.size() >= expected
                                                && viaList.state() == ConnectionState.SUBSCRIBED
                                                && viaRedirect.state()
                                                        == ConnectionState.SUBSCRIBED);
                assertThat(all.subscriptions.get(expected - 1).master().port())
                        .isEqualTo(leader.getPort());
                assertThat(single.subscriptions.get(expected - 1).master().port())
                        .isEqualTo(leader.getPort());
                assertThat(viaRedirect.master().orElseThrow().port()).isEqualTo(leader.getPort());
            }
            assertThat(all.subscriptions)
                    .extracting(Recorder.Subscription::frameworkId)
                    .containsOnly(frameworkId);
            assertThat(single.subscriptions)
                    .extracting(Recorder.Subscription::frameworkId)
                    .containsOnly(single.first().frameworkId());
            assertThat(single.offers())
                    .as("suppressed roles are re-sent with every SUBSCRIBE")
                    .isEmpty();
            assertTaskSurvived(cluster, all, viaList, before);
        }
    }

    @Test
    void redirectedSubscribeAndCallsStillAuthenticate() throws Exception {
        try (SimCluster cluster =
                SimCluster.start(
                        SimCluster.config(work)
                                .masters(2)
                                .credential("jenkins", "s3cret")
                                .build())) {
            Recorder recorder = new Recorder();
            SchedulerConnection mesos =
                    cluster.connect(
                            SimCluster.client(
                                            MasterDetector.fromString(
                                                    cluster.sim.masterUrls().get(0).toString(),
                                                    "http"),
                                            SimCluster.identity("auth-redirect")
                                                    .principal("jenkins")
                                                    .build())
                                    .credentials(new MesosCredentials.Basic("jenkins", "s3cret"))
                                    .build(),
                            recorder);
            await().atMost(WAIT).until(() -> mesos.state() == ConnectionState.SUBSCRIBED);
            cluster.launch(mesos, recorder, "behind-auth", "exec sleep 60");
            await().atMost(WAIT)
                    .until(() -> recorder.sawState("behind-auth", TaskState.TASK_RUNNING));
            TaskView before = cluster.task("behind-auth");

            cluster.sim
                    .failoverLeader(); // master 0 now answers 307 (after checking the credentials)
            int leaderPort = cluster.sim.masterUrls().get(1).getPort();
            await().atMost(WAIT)
                    .until(
                            () ->
                                    mesos.state() == ConnectionState.SUBSCRIBED
                                            && recorder.subscriptions
                                                            .get(recorder.subscriptions.size() - 1)
                                                            .master()
                                                            .port()
                                                    == leaderPort);
            assertThat(recorder.errors).isEmpty();
            assertTaskSurvived(cluster, recorder, mesos, before);
        }
    }

    /**
     * Same process, still RUNNING at the new leader, never reported killed or lost; reconciliation
     * agrees.
     */
    private static void assertTaskSurvived(
            SimCluster cluster, Recorder recorder, SchedulerConnection mesos, TaskView before) {
        TaskView after = cluster.task(before.taskId());
        assertThat(after.pid()).isEqualTo(before.pid());
        assertThat(after.processAlive()).isTrue();
        assertThat(after.state()).isEqualTo("TASK_RUNNING");
        mesos.reconcile(
                        List.of(
                                Call.Reconcile.Task.newBuilder()
                                        .setTaskId(TaskID.newBuilder().setValue(before.taskId()))
                                        .build()))
                .join();
        await().atMost(WAIT)
                .until(
                        () ->
                                recorder.updates(before.taskId()).stream()
                                        .anyMatch(
                                                s ->
                                                        s.getReason()
                                                                        == TaskStatus.Reason
                                                                                .REASON_RECONCILIATION
                                                                && s.getState()
                                                                        == TaskState.TASK_RUNNING));
        assertThat(recorder.updates(before.taskId()))
                .extracting(TaskStatus::getState)
                .doesNotContain(
                        TaskState.TASK_KILLED,
                        TaskState.TASK_LOST,
                        TaskState.TASK_FAILED,
                        TaskState.TASK_GONE,
                        TaskState.TASK_UNREACHABLE);
        assertThat(recorder.removed).isEmpty();
        assertThat(recorder.failedOver).isEmpty();
    }
}
