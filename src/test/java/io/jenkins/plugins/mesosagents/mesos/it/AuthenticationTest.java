package io.jenkins.plugins.mesosagents.mesos.it;

import static io.jenkins.plugins.mesosagents.mesos.it.SimCluster.WAIT;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jenkins.plugins.mesosagents.mesos.ConnectionState;
import io.jenkins.plugins.mesosagents.mesos.MasterDetector;
import io.jenkins.plugins.mesosagents.mesos.MesosCredentials;
import io.jenkins.plugins.mesosagents.mesos.SchedulerConfig;
import io.jenkins.plugins.mesosagents.mesos.SchedulerConnection;

import okhttp3.HttpUrl;

import org.apache.curator.test.TestingServer;
import org.apache.mesos.v1.Protos.TaskState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Framework authentication against the simulated master: HTTP Basic (right secret, wrong secret,
 * none), DC/OS service accounts (login, token refresh after revocation, unknown key), and Basic
 * over HTTPS with a private CA. A refused framework never subscribes, keeps retrying with backoff,
 * and its secret never shows in what it reports.
 */
class AuthenticationTest {
    private static final String SECRET = "s3cret-Value-42";

    @TempDir Path work;

    @Test
    void basicCredentialsSubscribeAndAuthenticateEveryCall() throws Exception {
        try (SimCluster cluster =
                SimCluster.start(SimCluster.config(work).credential("jenkins", SECRET).build())) {
            Recorder recorder = new Recorder();
            SchedulerConnection mesos =
                    cluster.connect(
                            SimCluster.client(
                                            cluster.leader(),
                                            SimCluster.identity("basic")
                                                    .principal("jenkins")
                                                    .build())
                                    .credentials(new MesosCredentials.Basic("jenkins", SECRET))
                                    .build(),
                            recorder);
            await().atMost(WAIT).until(() -> mesos.state() == ConnectionState.SUBSCRIBED);
            cluster.launch(mesos, recorder, "authenticated", "exec sleep 60");
            await().atMost(WAIT)
                    .until(() -> recorder.sawState("authenticated", TaskState.TASK_RUNNING));
            await().atMost(WAIT)
                    .until(() -> cluster.task("authenticated").unacknowledgedUpdates() == 0);
            assertThat(recorder.ackFailures).isEmpty();
            assertThat(recorder.errors).isEmpty();
            assertThat(cluster.sim.stateJson()).contains("\"principal\":\"jenkins\"");
        }
    }

    @Test
    void wrongOrMissingBasicCredentialsAre401AndNeverSubscribe() throws Exception {
        try (SimCluster cluster =
                SimCluster.start(SimCluster.config(work).credential("jenkins", SECRET).build())) {
            Recorder wrong = new Recorder();
            SchedulerConnection wrongSecret =
                    cluster.connect(
                            SimCluster.client(
                                            cluster.leader(),
                                            SimCluster.identity("wrong")
                                                    .principal("jenkins")
                                                    .build())
                                    .credentials(
                                            new MesosCredentials.Basic("jenkins", "not-" + SECRET))
                                    .build(),
                            wrong);
            Recorder none = new Recorder();
            SchedulerConnection noCredentials =
                    cluster.connect(
                            SimCluster.client(
                                            cluster.leader(),
                                            SimCluster.identity("anonymous").build())
                                    .build(),
                            none);

            await().atMost(WAIT).until(() -> wrong.errors.size() >= 2 && none.errors.size() >= 2);
            for (Recorder r : List.of(wrong, none)) {
                assertThat(r.errors)
                        .allSatisfy(e -> assertThat(e).contains("SUBSCRIBE").contains("401"));
                assertThat(r.subscriptions).isEmpty();
            }
            assertThat(wrongSecret.state()).isNotEqualTo(ConnectionState.SUBSCRIBED);
            assertThat(noCredentials.state()).isNotEqualTo(ConnectionState.SUBSCRIBED);
            List<String> reported = new ArrayList<>(wrong.errors);
            reported.addAll(wrong.disconnects);
            reported.add(wrongSecret.toString());
            assertThat(reported).noneMatch(line -> line.contains(SECRET));
            Thread.sleep(1_000);
            assertThat(wrong.disconnects)
                    .as("401 is retried with backoff, not in a tight loop")
                    .hasSizeLessThan(10);
            assertThat(cluster.sim.stateJson())
                    .doesNotContain("\"name\":\"wrong\"")
                    .doesNotContain("anonymous");
        }
    }

    @Test
    void dcosServiceAccountLogsInAndLogsInAgainWhenItsTokenIsRevoked() throws Exception {
        KeyPair keys = rsaKeys();
        try (SimCluster cluster =
                SimCluster.start(
                        SimCluster.config(work)
                                .serviceAccount("jenkins-sa", keys.getPublic())
                                .build())) {
            Recorder recorder = new Recorder();
            // the cluster URL through Admin Router: the login defaults to <cluster>/acs/...
            SchedulerConnection mesos =
                    cluster.connect(
                            SimCluster.client(
                                            gateway(cluster),
                                            SimCluster.identity("dcos")
                                                    .principal("jenkins-sa")
                                                    .build())
                                    .credentials(
                                            new MesosCredentials.DcosServiceAccount(
                                                    "jenkins-sa",
                                                    keys.getPrivate(),
                                                    Optional.empty()))
                                    .build(),
                            recorder);
            await().atMost(WAIT).until(() -> mesos.state() == ConnectionState.SUBSCRIBED);
            String frameworkId = recorder.first().frameworkId();
            cluster.launch(mesos, recorder, "with-token", "exec sleep 60");
            await().atMost(WAIT)
                    .until(() -> recorder.sawState("with-token", TaskState.TASK_RUNNING));

            cluster.sim.revokeAuthTokens();
            mesos.reconcileAll().get(); // a call's 401 → one fresh login → the call is retried
            cluster.sim.revokeAuthTokens();
            cluster.sim.dropStreams(); // and the SUBSCRIBE's
            await().atMost(WAIT)
                    .until(
                            () ->
                                    recorder.subscriptions.size() >= 2
                                            && mesos.state() == ConnectionState.SUBSCRIBED);
            assertThat(recorder.subscriptions)
                    .extracting(Recorder.Subscription::frameworkId)
                    .containsOnly(frameworkId);
            assertThat(recorder.errors)
                    .as("a refreshed token is not an error the caller must see")
                    .isEmpty();
            assertThat(cluster.task("with-token").processAlive()).isTrue();
        }
    }

    @Test
    void dcosServiceAccountWithItsLoginEndpointFollowsTheLeaderFoundInZooKeeper() throws Exception {
        KeyPair keys = rsaKeys();
        try (TestingServer zookeeper = new TestingServer(true);
                SimCluster cluster =
                        SimCluster.start(
                                SimCluster.config(work)
                                        .masters(2)
                                        .zookeeper(zookeeper.getConnectString())
                                        .serviceAccount("jenkins-sa", keys.getPublic())
                                        .build())) {
            // a zk:// URL names no Admin Router: login_endpoint says where the login is
            HttpUrl login =
                    HttpUrl.get(
                            cluster.sim.adminRouterUrl().orElseThrow() + "/acs/api/v1/auth/login");
            Recorder recorder = new Recorder();
            SchedulerConnection mesos =
                    cluster.connect(
                            SimCluster.client(
                                            MasterDetector.fromString(
                                                    "zk://"
                                                            + zookeeper.getConnectString()
                                                            + "/mesos",
                                                    "http"),
                                            SimCluster.identity("dcos-zk")
                                                    .principal("jenkins-sa")
                                                    .build())
                                    .credentials(
                                            new MesosCredentials.DcosServiceAccount(
                                                    "jenkins-sa",
                                                    keys.getPrivate(),
                                                    Optional.of(login)))
                                    .build(),
                            recorder);
            await().atMost(WAIT).until(() -> mesos.state() == ConnectionState.SUBSCRIBED);
            String frameworkId = recorder.first().frameworkId();

            cluster.sim.failoverLeader();
            cluster.sim.revokeAuthTokens();
            int leaderPort = cluster.sim.leaderUrl().getPort();
            await().atMost(WAIT)
                    .until(
                            () ->
                                    mesos.state() == ConnectionState.SUBSCRIBED
                                            && recorder.subscriptions
                                                            .get(recorder.subscriptions.size() - 1)
                                                            .master()
                                                            .port()
                                                    == leaderPort);
            assertThat(recorder.subscriptions)
                    .extracting(Recorder.Subscription::frameworkId)
                    .containsOnly(frameworkId);
        }
    }

    @Test
    void aDirectMasterUrlWithoutLoginEndpointIsRefusedInsteadOfLoggingInWhereNoLoginIs()
            throws Exception {
        KeyPair keys = rsaKeys();
        try (SimCluster cluster =
                SimCluster.start(
                        SimCluster.config(work)
                                .serviceAccount("jenkins-sa", keys.getPublic())
                                .build())) {
            // DC/OS serves the login behind Admin Router only: <master>:5050/acs/... is a 404
            assertThatThrownBy(
                            () ->
                                    SimCluster.client(
                                                    cluster.leader(),
                                                    SimCluster.identity("direct")
                                                            .principal("jenkins-sa")
                                                            .build())
                                            .credentials(
                                                    new MesosCredentials.DcosServiceAccount(
                                                            "jenkins-sa",
                                                            keys.getPrivate(),
                                                            Optional.empty()))
                                            .build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("login_endpoint")
                    .hasMessageContaining("/mesos");
        }
    }

    @Test
    void dcosServiceAccountWithTheWrongKeyIsRefused() throws Exception {
        KeyPair registered = rsaKeys();
        KeyPair other = rsaKeys();
        try (SimCluster cluster =
                SimCluster.start(
                        SimCluster.config(work)
                                .serviceAccount("jenkins-sa", registered.getPublic())
                                .build())) {
            Recorder recorder = new Recorder();
            SchedulerConnection mesos =
                    cluster.connect(
                            SimCluster.client(
                                            gateway(cluster),
                                            SimCluster.identity("impostor").build())
                                    .credentials(
                                            new MesosCredentials.DcosServiceAccount(
                                                    "jenkins-sa",
                                                    other.getPrivate(),
                                                    Optional.empty()))
                                    .build(),
                            recorder);
            await().atMost(WAIT).until(() -> recorder.disconnects.size() >= 2);
            assertThat(recorder.subscriptions).isEmpty();
            assertThat(mesos.state()).isNotEqualTo(ConnectionState.SUBSCRIBED);
            assertThat(recorder.disconnects)
                    .allSatisfy(d -> assertThat(d).containsAnyOf("401", "login"));
        }
    }

    @Test
    void basicOverHttpsTrustingOnlyTheClustersCa() throws Exception {
        try (SimCluster cluster =
                SimCluster.start(
                        SimCluster.config(work).tls(true).credential("jenkins", SECRET).build())) {
            assertThat(cluster.sim.leaderUrl().getScheme()).isEqualTo("https");
            String ca = Files.readString(cluster.sim.caCertificate().orElseThrow());
            Recorder trusting = new Recorder();
            SchedulerConfig.Builder config =
                    SimCluster.client(
                                    MasterDetector.fromString(
                                            cluster.sim.leaderUrl().toString(), "https"),
                                    SimCluster.identity("tls").principal("jenkins").build())
                            .credentials(new MesosCredentials.Basic("jenkins", SECRET));
            SchedulerConnection mesos = cluster.connect(config.caBundlePem(ca).build(), trusting);
            await().atMost(WAIT).until(() -> mesos.state() == ConnectionState.SUBSCRIBED);
            await().atMost(WAIT).until(() -> !trusting.offers().isEmpty());
            assertThat(mesos.master().orElseThrow().isHttps()).isTrue();

            Recorder jdkTrust = new Recorder();
            SchedulerConnection untrusted =
                    cluster.connect(
                            SimCluster.client(
                                            MasterDetector.fromString(
                                                    cluster.sim.leaderUrl().toString(), "https"),
                                            SimCluster.identity("tls-default-trust")
                                                    .principal("jenkins")
                                                    .build())
                                    .credentials(new MesosCredentials.Basic("jenkins", SECRET))
                                    .build(),
                            jdkTrust);
            await().atMost(WAIT).until(() -> !jdkTrust.disconnects.isEmpty());
            assertThat(untrusted.state()).isNotEqualTo(ConnectionState.SUBSCRIBED);
            assertThat(jdkTrust.disconnects.get(0)).containsIgnoringCase("SSL");
        }
    }

    private static MasterDetector gateway(SimCluster cluster) {
        return MasterDetector.fromString(cluster.sim.gatewayUrl().orElseThrow().toString(), "http");
    }

    private static KeyPair rsaKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }
}
