package io.jenkins.plugins.mesosagents.mesos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import static java.nio.charset.StandardCharsets.UTF_8;

import okhttp3.HttpUrl;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Leader detection against a real ZooKeeper (curator-test), with znodes written the way Mesos
 * masters write them.
 */
class ZooKeeperMasterDetectorTest {
    private TestingServer zookeeper;
    private CuratorFramework masters; // plays the Mesos masters' contender side
    private ZooKeeperMasterDetector detector;

    @BeforeEach
    void startZooKeeper() throws Exception {
        zookeeper = new TestingServer(true); // ephemeral port
        masters =
                CuratorFrameworkFactory.newClient(
                        zookeeper.getConnectString(), new RetryOneTime(100));
        masters.start();
        masters.blockUntilConnected();
    }

    @AfterEach
    void stop() throws Exception {
        if (detector != null) {
            detector.close();
        }
        masters.close();
        zookeeper.close();
    }

    /** The JSON a Mesos 1.x master stores: JSON::protobuf(MasterInfo). */
    static String masterInfoJson(String host, int port) {
        return "{\"address\":{\"hostname\":\""
                + host
                + "\",\"ip\":\""
                + host
                + "\",\"port\":"
                + port
                + "},"
                + "\"hostname\":\""
                + host
                + "\",\"id\":\""
                + java.util.UUID.randomUUID()
                + "\",\"ip\":16777343,"
                + "\"pid\":\"master@"
                + host
                + ":"
                + port
                + "\",\"port\":"
                + port
                + ",\"version\":\"1.11.0\","
                + "\"capabilities\":[{\"type\":\"AGENT_UPDATE\"}],\"a_field_from_a_newer_mesos\":true}";
    }

    String register(String path, String host, int port) throws Exception {
        return masters.create()
                .creatingParentsIfNeeded()
                .withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
                .forPath(path + "/json.info_", masterInfoJson(host, port).getBytes(UTF_8));
    }

    @Test
    void followsTheLowestSequenceAndWatchesForChanges() throws Exception {
        masters.create().creatingParentsIfNeeded().forPath("/mesos/log_replicas", new byte[0]);
        String first = register("/mesos", "10.0.0.1", 5050);
        String second = register("/mesos", "10.0.0.2", 5051);
        // a legacy binary member with a lower sequence number would lead for old detectors;
        // json.info_ only counts
        masters.create()
                .withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
                .forPath("/mesos/info_", new byte[] {1, 2});
        assertThat(first).endsWith("json.info_0000000001");

        detector =
                ZooKeeperMasterDetector.fromUrl(
                        "zk://" + zookeeper.getConnectString() + "/mesos", "http");
        AtomicInteger changes = new AtomicInteger();
        detector.onChange(changes::incrementAndGet);
        detector.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> !detector.candidates().isEmpty());
        assertThat(detector.candidates()).containsExactly(HttpUrl.get("http://10.0.0.1:5050/"));

        masters.delete().forPath(first); // the leader dies: its ephemeral znode goes away
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                detector.candidates()
                                        .equals(List.of(HttpUrl.get("http://10.0.0.2:5051/"))));
        String third = register("/mesos", "10.0.0.3", 5052); // a newer contender does not take over
        Thread.sleep(200);
        assertThat(detector.candidates()).containsExactly(HttpUrl.get("http://10.0.0.2:5051/"));

        masters.delete().forPath(third); // not the leader: no change
        masters.delete().forPath(second);
        await().atMost(Duration.ofSeconds(10)).until(() -> detector.candidates().isEmpty());
        assertThat(changes.get()).isEqualTo(3); // leader 1, leader 2, none
    }

    @Test
    void usesTheMastersIpWhenItsHostnameDoesNotResolve() throws Exception {
        // what a master started with --hostname that Jenkins cannot resolve writes (its address
        // carries both, Mesos 1.11.0 src/common/protobuf_utils.cpp:633-647 createMasterInfo); ".invalid"
        // never resolves (RFC 2606)
        String json =
                masterInfoJson("no-such-master.invalid", 5050)
                        .replaceFirst(
                                "\"ip\":\"no-such-master.invalid\"", "\"ip\":\"127.0.0.1\"");
        masters.create()
                .creatingParentsIfNeeded()
                .withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
                .forPath("/unresolved/json.info_", json.getBytes(UTF_8));
        detector =
                new ZooKeeperMasterDetector(
                        zookeeper.getConnectString(), "/unresolved", null, "http");
        detector.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> !detector.candidates().isEmpty());
        assertThat(detector.candidates()).containsExactly(HttpUrl.get("http://127.0.0.1:5050/"));
    }

    @Test
    void noticesThePathBeingCreatedLater() throws Exception {
        detector =
                new ZooKeeperMasterDetector(
                        zookeeper.getConnectString(), "/later/mesos", null, "https");
        detector.start();
        Thread.sleep(200);
        assertThat(detector.candidates()).isEmpty();
        register("/later/mesos", "master.example.com", 5050);
        await().atMost(Duration.ofSeconds(10)).until(() -> !detector.candidates().isEmpty());
        assertThat(detector.candidates())
                .containsExactly(HttpUrl.get("https://master.example.com:5050/"));
    }

    @Test
    void leaderFailoverMovesTheSchedulerConnectionWithItsFrameworkId() throws Exception {
        try (FakeMaster a = new FakeMaster();
                FakeMaster b = new FakeMaster()) {
            String leaderA = register("/mesos", "127.0.0.1", a.port());
            detector =
                    ZooKeeperMasterDetector.fromUrl(
                            "zk://" + zookeeper.getConnectString() + "/mesos", "http");
            detector.start();
            RecordingListener listener = new RecordingListener();
            try (SchedulerConnection connection =
                    SchedulerConnection.start(
                            SchedulerConfig.builder(detector, SchedulerConnectionTest.JENKINS)
                                    .backoff(SchedulerConnectionTest.FAST)
                                    .build(),
                            listener)) {
                assertThat(listener.await("subscribed"))
                        .isEqualTo("subscribed: fw-1 at " + a.url());
                register("/mesos", "127.0.0.1", b.port());
                masters.delete().forPath(leaderA); // A loses leadership; its stream is still open

                assertThat(listener.await("disconnected")).contains("leading master changed");
                assertThat(listener.await("subscribed"))
                        .isEqualTo("subscribed: fw-1 at " + b.url());
                FakeMaster.Recorded resubscribe = b.nextSubscribe();
                assertThat(resubscribe.call().getFrameworkId().getValue()).isEqualTo("fw-1");
                assertThat(connection.master()).contains(b.url());
            }
            detector = null; // closed by the connection
        }
    }

    @Test
    void readsDigestProtectedZnodesWithTheCredentialsOfTheUrl() throws Exception {
        masters.create().forPath("/secure", new byte[0]);
        org.apache.zookeeper.data.ACL readOnlyForMesos =
                new org.apache.zookeeper.data.ACL(
                        org.apache.zookeeper.ZooDefs.Perms.READ,
                        new org.apache.zookeeper.data.Id(
                                "digest",
                                org.apache.zookeeper.server.auth.DigestAuthenticationProvider
                                        .generateDigest("mesos:zk-pass")));
        masters.create()
                .withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
                .withACL(List.of(readOnlyForMesos))
                .forPath("/secure/json.info_", masterInfoJson("10.0.0.9", 5050).getBytes(UTF_8));

        try (ZooKeeperMasterDetector anonymous =
                ZooKeeperMasterDetector.fromUrl(
                        "zk://" + zookeeper.getConnectString() + "/secure", "http")) {
            anonymous.start();
            detector =
                    ZooKeeperMasterDetector.fromUrl(
                            "zk://mesos:zk-pass@" + zookeeper.getConnectString() + "/secure",
                            "http");
            detector.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> !detector.candidates().isEmpty());
            assertThat(detector.candidates()).containsExactly(HttpUrl.get("http://10.0.0.9:5050/"));
            Thread.sleep(
                    200); // both read the same znodes at the same time; only one may read the data
            assertThat(anonymous.candidates())
                    .as("no read permission without credentials")
                    .isEmpty();
        }
        assertThat(detector.toString()).doesNotContain("zk-pass");
    }

    @Test
    void parsesUrlsAndKeepsCredentialsOutOfMessages() {
        assertThatThrownBy(
                        () ->
                                ZooKeeperMasterDetector.fromUrl(
                                        "zk://jenkins:s3cret@zk1:2181", "http"))
                .hasMessageContaining("expected zk://host:2181")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(
                        () ->
                                ZooKeeperMasterDetector.fromUrl(
                                        "zk://nopassword@zk1:2181/mesos", "http"))
                .hasMessageContaining("user:password");
        ZooKeeperMasterDetector parsed =
                ZooKeeperMasterDetector.fromUrl(
                        "zk://jenkins:s3cret@zk1:2181,zk2:2181/mesos/", "http");
        assertThat(parsed.toString()).isEqualTo("ZooKeeperMasterDetector[zk1:2181,zk2:2181/mesos]");
        parsed.close();
        assertThatThrownBy(() -> MasterDetector.fromString("ftp://m1:5050", "http"))
                .hasMessageContaining("Invalid Mesos master address 'ftp://m1:5050'");
        assertThatThrownBy(() -> MasterDetector.fromString("http://u:pw@m1:5050", "http"))
                .hasMessageContaining("carries user information")
                .hasMessageNotContaining("pw");
        assertThat(
                        MasterDetector.fromString(" http://m1:5050, https://m2:5050/mesos ", "http")
                                .candidates())
                .containsExactly(
                        HttpUrl.get("http://m1:5050/"), HttpUrl.get("https://m2:5050/mesos"));
    }

    @Test
    void fallsBackToTheDeprecatedFieldsOfMasterInfo() {
        ZooKeeperMasterDetector d =
                new ZooKeeperMasterDetector("127.0.0.1:1", "/mesos", null, "http");
        try {
            assertThat(
                            d.urlOf(
                                    MasterInfo.newBuilder()
                                            .setId("x")
                                            .setIp(16777343)
                                            .setPort(5050)
                                            .build()))
                    .hasToString("http://127.0.0.1:5050/");
            assertThat(
                            d.urlOf(
                                    MasterInfo.newBuilder()
                                            .setId("x")
                                            .setIp(0)
                                            .setHostname("m.example")
                                            .setPort(5051)
                                            .build()))
                    .hasToString("http://m.example:5051/");
        } finally {
            d.close();
        }
    }
}
