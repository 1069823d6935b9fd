package io.jenkins.plugins.mesosagents.testcluster.mesos;

import static io.jenkins.plugins.mesosagents.testcluster.mesos.SimCalls.framework;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import okhttp3.Request;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

class LeaderAndAuthTest {
    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir Path work;

    private MesosSimConfig.Builder fast() {
        return MesosSimConfig.builder(work)
                .heartbeatInterval(Duration.ofMillis(200))
                .allocationInterval(Duration.ofMillis(100))
                .statusUpdateRetryInterval(Duration.ofMillis(300))
                .agent(AgentConfig.of("a1.local", 2, 2048));
    }

    /**
     * Reads the election the way a framework's detector does: lowest json.info_ sequence,
     * MasterInfo JSON.
     */
    private static URI leaderFromZk(CuratorFramework zk) throws Exception {
        List<String> children = zk.getChildren().forPath("/mesos");
        String lowest =
                children.stream()
                        .filter(c -> c.startsWith("json.info_"))
                        .min(Comparator.comparing(c -> c.substring("json.info_".length())))
                        .orElseThrow();
        assertThat(lowest).matches("json\\.info_\\d{10}");
        String json = new String(zk.getData().forPath("/mesos/" + lowest), StandardCharsets.UTF_8);
        assertThat(json).contains("\"address\"").contains("\"hostname\"");
        MasterInfo.Builder b = MasterInfo.newBuilder();
        com.google.protobuf.util.JsonFormat.parser().ignoringUnknownFields().merge(json, b);
        return URI.create(
                "http://" + b.getAddress().getHostname() + ":" + b.getAddress().getPort());
    }

    @Test
    void mastersElectThroughZooKeeperAndNonLeadersRedirect() throws Exception {
        try (TestingServer server = new TestingServer(true);
                CuratorFramework zk =
                        CuratorFrameworkFactory.newClient(
                                server.getConnectString(), new RetryOneTime(100));
                MesosSimulator sim =
                        MesosSimulator.start(
                                fast().masters(3).zookeeper(server.getConnectString()).build())) {
            zk.start();
            assertThat(sim.zkUrl()).contains("zk://" + server.getConnectString() + "/mesos");
            assertThat(zk.getChildren().forPath("/mesos")).hasSize(3);
            URI leader = leaderFromZk(zk);
            assertThat(leader).isEqualTo(sim.leaderUrl());
            URI follower =
                    sim.masterUrls().stream()
                            .filter(u -> !u.equals(leader))
                            .findFirst()
                            .orElseThrow();

            SimClient.Reply redirect =
                    SchedulerApiTest.exchange(
                            SchedulerApiTest.post(
                                    follower + "/api/v1/scheduler", "{}", "application/json"));
            assertThat(redirect.code()).isEqualTo(307);
            assertThat(redirect.headers().get("Location"))
                    .isEqualTo("//127.0.0.1:" + leader.getPort() + "/api/v1/scheduler");
            SimClient.Reply r =
                    SchedulerApiTest.exchange(
                            new Request.Builder().url(follower + "/redirect").build());
            assertThat(r.code()).isEqualTo(307);
            assertThat(r.headers().get("Location")).isEqualTo("//127.0.0.1:" + leader.getPort());
            assertThat(
                            SchedulerApiTest.exchange(
                                            new Request.Builder()
                                                    .url(follower + "/master/state")
                                                    .build())
                                    .code())
                    .isEqualTo(307);
            assertThat(
                            SchedulerApiTest.exchange(
                                            new Request.Builder()
                                                    .url(leader + "/master/state")
                                                    .build())
                                    .body())
                    .contains("\"elected\":true")
                    .contains("a1.local");

            // OkHttp follows the protocol-relative 307 with the POST body: subscribing through a
            // follower works
            FrameworkInfo info = framework("ha").toBuilder().setFailoverTimeout(60).build();
            String fwId;
            long pid;
            try (SimClient c = SimClient.subscribe(follower, info, false)) {
                c.await(Event.Type.SUBSCRIBED, WAIT);
                c.master = leader;
                Offer o = c.await(Event.Type.OFFERS, WAIT).getOffers().getOffers(0);
                c.send(SimCalls.launch(c, o, SimCalls.shellTask("survivor", o, "sleep 60")));
                TaskLifecycleTestSupport.ackUntil(c, "survivor", TaskState.TASK_RUNNING);
                fwId = c.frameworkId;
                pid = sim.task("survivor").orElseThrow().pid();

                sim.failoverLeader();
                await().atMost(WAIT).until(() -> c.ended);
            }
            URI newLeader = leaderFromZk(zk);
            assertThat(newLeader).isNotEqualTo(leader).isEqualTo(sim.leaderUrl());
            assertThat(zk.getChildren().forPath("/mesos")).hasSize(3);
            assertThat(
                            SchedulerApiTest.exchange(
                                            SchedulerApiTest.post(
                                                    leader + "/api/v1/scheduler",
                                                    "{}",
                                                    "application/json"))
                                    .headers()
                                    .get("Location"))
                    .startsWith("//127.0.0.1:" + newLeader.getPort());

            FrameworkInfo again =
                    info.toBuilder().setId(FrameworkID.newBuilder().setValue(fwId)).build();
            try (SimClient c = SimClient.subscribe(newLeader, again, true)) {
                Event subscribed = c.await(Event.Type.SUBSCRIBED, WAIT);
                assertThat(subscribed.getSubscribed().getFrameworkId().getValue()).isEqualTo(fwId);
                assertThat(subscribed.getSubscribed().getMasterInfo().getAddress().getPort())
                        .isEqualTo(newLeader.getPort());
                c.send(SimCalls.reconcile(c));
                assertThat(c.awaitUpdate("survivor", TaskState.TASK_RUNNING, WAIT).hasUuid())
                        .isFalse();
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
            }
        }
    }

    @Test
    void withoutZooKeeperTheFirstMasterLeadsAndFailoverMovesOn() throws Exception {
        try (MesosSimulator sim = MesosSimulator.start(fast().masters(2).build())) {
            List<URI> masters = sim.masterUrls();
            assertThat(sim.leaderUrl()).isEqualTo(masters.get(0));
            assertThat(
                            SchedulerApiTest.exchange(
                                            SchedulerApiTest.post(
                                                    masters.get(1) + "/api/v1/scheduler",
                                                    "{}",
                                                    "application/json"))
                                    .code())
                    .isEqualTo(307);
            sim.failoverLeader();
            assertThat(sim.leaderUrl()).isEqualTo(masters.get(1));
            assertThat(
                            SchedulerApiTest.exchange(
                                            SchedulerApiTest.post(
                                                    masters.get(0) + "/api/v1/scheduler",
                                                    "{}",
                                                    "application/json"))
                                    .headers()
                                    .get("Location"))
                    .isEqualTo("//127.0.0.1:" + masters.get(1).getPort() + "/api/v1/scheduler");
        }
    }

    @Test
    void unavailableMasterAnswers503ForAWhile() throws Exception {
        try (MesosSimulator sim = MesosSimulator.start(fast().build())) {
            sim.unavailableFor(Duration.ofMillis(500));
            SimClient.Reply r =
                    SchedulerApiTest.exchange(
                            SchedulerApiTest.post(
                                    sim.leaderUrl() + "/api/v1/scheduler",
                                    "{}",
                                    "application/json"));
            assertThat(r.code()).isEqualTo(503);
            assertThat(r.body()).isEqualTo("Master has not finished recovery");
            await().atMost(WAIT)
                    .pollInterval(Duration.ofMillis(100))
                    .until(
                            () ->
                                    SchedulerApiTest.exchange(
                                                            SchedulerApiTest.post(
                                                                    sim.leaderUrl()
                                                                            + "/api/v1/scheduler",
                                                                    "{}",
                                                                    "application/json"))
                                                    .code()
                                            != 503);
            try (SimClient c =
                    SimClient.subscribe(sim.leaderUrl(), framework("after-503"), false)) {
                c.await(Event.Type.SUBSCRIBED, WAIT);
            }
        }
    }

    @Test
    void basicAuthRejectsMissingOrWrongCredentialsWith401() throws Exception {
        try (MesosSimulator sim =
                MesosSimulator.start(fast().credential("jenkins", "s3cret").build())) {
            String url = sim.leaderUrl() + "/api/v1/scheduler";
            SimClient.Reply none =
                    SchedulerApiTest.exchange(SchedulerApiTest.post(url, "{}", "application/json"));
            assertThat(none.code()).isEqualTo(401);
            assertThat(none.headers().get("WWW-Authenticate"))
                    .isEqualTo("Basic realm=\"mesos-master-scheduler\"");
            assertThatThrownBy(
                            () ->
                                    SimClient.subscribe(
                                            sim.leaderUrl(),
                                            framework("x"),
                                            false,
                                            basic("jenkins:wrong")))
                    .hasMessageContaining("401");
            assertThatThrownBy(
                            () ->
                                    SimClient.subscribe(
                                            sim.leaderUrl(),
                                            framework("x"),
                                            false,
                                            basic("jenkins:s3cret:extra")))
                    .hasMessageContaining("401");
            FrameworkInfo otherPrincipal =
                    framework("x").toBuilder().setPrincipal("mallory").build();
            assertThatThrownBy(
                            () ->
                                    SimClient.subscribe(
                                            sim.leaderUrl(),
                                            otherPrincipal,
                                            false,
                                            basic("jenkins:s3cret")))
                    .hasMessageContaining("400")
                    .hasMessageContaining("does not match principal");
            try (SimClient c =
                    SimClient.subscribe(
                            sim.leaderUrl(),
                            framework("x").toBuilder().clearPrincipal().build(),
                            false,
                            basic("jenkins:s3cret"))) {
                c.await(Event.Type.SUBSCRIBED, WAIT);
                c.await(Event.Type.OFFERS, WAIT);
                assertThat(sim.stateJson()).contains("\"principal\":\"jenkins\"");
            }
        }
    }

    private static String basic(String userColonSecret) {
        return "Basic "
                + Base64.getEncoder()
                        .encodeToString(userColonSecret.getBytes(StandardCharsets.UTF_8));
    }
}
