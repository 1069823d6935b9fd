package io.jenkins.plugins.mesosagents.mesos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import static java.nio.charset.StandardCharsets.UTF_8;

import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

class SchedulerConnectionTest {
    static final Backoff FAST =
            new Backoff(Duration.ofMillis(20), Duration.ofMillis(200), 2.0, 0.2);
    static final FrameworkIdentity JENKINS =
            FrameworkIdentity.builder("jenkins", "jenkins")
                    .role("ci")
                    .role("gpu-ci")
                    .principal("jenkins")
                    .hostname("jenkins.example.com")
                    .webuiUrl("https://jenkins.example.com/")
                    .build();

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private final RecordingListener listener = new RecordingListener();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    private FakeMaster master() throws Exception {
        FakeMaster master = new FakeMaster();
        cleanup.add(master);
        return master;
    }

    private SchedulerConfig.Builder config(FakeMaster... masters) {
        List<okhttp3.HttpUrl> urls = new ArrayList<>();
        for (FakeMaster m : masters) {
            urls.add(m.url());
        }
        return SchedulerConfig.builder(new StaticMasterDetector(urls), JENKINS)
                .backoff(FAST)
                .requestTimeout(Duration.ofSeconds(2));
    }

    private SchedulerConnection start(SchedulerConfig config) {
        SchedulerConnection connection = SchedulerConnection.start(config, listener);
        cleanup.add(connection);
        return connection;
    }

    static Event offers(int n) {
        Event.Offers.Builder offers = Event.Offers.newBuilder();
        for (int i = 0; i < n; i++) {
            offers.addOffers(
                    Offer.newBuilder()
                            .setId(OfferID.newBuilder().setValue("offer-" + i))
                            .setFrameworkId(FrameworkID.newBuilder().setValue("fw-1"))
                            .setAgentId(AgentID.newBuilder().setValue("agent-" + i))
                            .setHostname("agent" + i + ".example.com"));
        }
        return Event.newBuilder().setType(Event.Type.OFFERS).setOffers(offers).build();
    }

    @ParameterizedTest
    @EnumSource(Encoding.class)
    void subscribesAndSendsCallsWithTheStreamIdInEitherEncoding(Encoding encoding)
            throws Exception {
        FakeMaster master = master();
        master.onSubscribe(
                (request, stream) -> {
                    stream.open();
                    stream.send(master.subscribed("fw-1"));
                    stream.send(offers(2));
                    if (encoding == Encoding.JSON) { // fields from a newer master must be ignored
                        stream.sendRecord(
                                ("{\"type\":\"RESCIND\",\"rescind\":{\"offer_id\":{\"value\":\"offer-0\"}},"
                                     + "\"field_from_the_future\":{\"x\":1}}")
                                        .getBytes(UTF_8));
                    }
                    stream.heartbeatsUntilGone();
                });
        SchedulerConnection connection = start(config(master).encoding(encoding).build());

        FakeMaster.Recorded subscribe = master.nextSubscribe();
        assertThat(subscribe.contentType())
                .isEqualTo(encoding.mediaType()); // exactly: no "; charset=utf-8"
        assertThat(subscribe.accept()).isEqualTo(encoding.mediaType());
        assertThat(subscribe.streamIdHeader()).isNull();
        assertThat(subscribe.call().hasFrameworkId()).isFalse();
        FrameworkInfo info = subscribe.call().getSubscribe().getFrameworkInfo();
        assertThat(info.getName()).isEqualTo("jenkins");
        assertThat(info.getUser()).isEqualTo("jenkins");
        assertThat(info.getRolesList()).containsExactly("ci", "gpu-ci");
        assertThat(info.hasRole()).isFalse();
        assertThat(info.getPrincipal()).isEqualTo("jenkins");
        assertThat(info.getHostname()).isEqualTo("jenkins.example.com");
        assertThat(info.getWebuiUrl()).isEqualTo("https://jenkins.example.com/");
        assertThat(info.getCheckpoint()).isTrue();
        assertThat(info.getFailoverTimeout()).isEqualTo(604800.0);
        assertThat(info.getCapabilitiesList())
                .extracting(FrameworkInfo.Capability::getType)
                .containsExactly(
                        FrameworkInfo.Capability.Type.MULTI_ROLE,
                        FrameworkInfo.Capability.Type.PARTITION_AWARE,
                        FrameworkInfo.Capability.Type.REGION_AWARE);

        assertThat(listener.await("subscribed")).isEqualTo("subscribed: fw-1 at " + master.url());
        assertThat(listener.await("event")).isEqualTo("event: OFFERS");
        if (encoding == Encoding.JSON) {
            assertThat(listener.await("event")).isEqualTo("event: RESCIND");
        }
        assertThat(listener.events.get(0).getOffers().getOffersList())
                .extracting(o -> o.getId().getValue())
                .containsExactly("offer-0", "offer-1");
        assertThat(connection.state()).isEqualTo(ConnectionState.SUBSCRIBED);
        assertThat(connection.frameworkId()).contains("fw-1");

        connection
                .decline(
                        List.of(OfferID.newBuilder().setValue("offer-1").build()),
                        SchedulerConnection.refuseFor(Duration.ofSeconds(30)))
                .get(5, TimeUnit.SECONDS);
        FakeMaster.Recorded decline = master.nextCall();
        assertThat(decline.contentType()).isEqualTo(encoding.mediaType());
        assertThat(decline.streamIdHeader()).isEqualTo(master.streamId);
        assertThat(decline.call().getFrameworkId().getValue()).isEqualTo("fw-1");
        assertThat(decline.clientPort())
                .as("calls use a connection of their own")
                .isNotEqualTo(subscribe.clientPort());
        assertThat(decline.call().getDecline().getFilters().getRefuseSeconds()).isEqualTo(30.0);
        await().atMost(Duration.ofSeconds(5))
                .until(
                        () ->
                                listener.events.stream()
                                        .anyMatch(e -> e.getType() == Event.Type.HEARTBEAT));
        assertThat(listener.threads).allMatch(t -> t.equals("mesos-events-jenkins"));
    }

    @Test
    void followsA307ToTheLeaderAndSendsCallsThere() throws Exception {
        FakeMaster follower = master();
        FakeMaster leader = master();
        follower.onSubscribe(
                (request, stream) ->
                        stream.reject(
                                307,
                                "",
                                Map.of(
                                        "Location",
                                        "//127.0.0.1:" + leader.port() + "/api/v1/scheduler")));
        SchedulerConnection connection = start(config(follower).build());

        assertThat(listener.await("subscribed")).isEqualTo("subscribed: fw-1 at " + leader.url());
        assertThat(leader.nextSubscribe().call().getSubscribe().getFrameworkInfo().getName())
                .isEqualTo("jenkins");
        assertThat(connection.master()).contains(leader.url());
        connection.revive(List.of()).get(5, TimeUnit.SECONDS);
        assertThat(leader.nextCall().call().getType()).isEqualTo(Call.Type.REVIVE);
        assertThat(follower.calls).isEmpty();
    }

    @Test
    void aGatewayUrlIsNeverLeftForTheMasterA307PointsTo() throws Exception {
        // DC/OS Admin Router proxies /mesos/ to the leader; a 307 from a non-leader names its
        // //host:5050, which bypasses the gateway (and its TLS and auth): retry the gateway instead
        FakeMaster gateway = master();
        gateway.servePrefix("/mesos");
        FakeMaster behind = master();
        gateway.onSubscribe(
                (request, stream) ->
                        stream.reject(
                                307,
                                "",
                                Map.of(
                                        "Location",
                                        "//127.0.0.1:" + behind.port() + "/api/v1/scheduler")));
        SchedulerConnection connection =
                start(
                        SchedulerConfig.builder(
                                        new StaticMasterDetector(
                                                List.of(gateway.url().resolve("/mesos"))),
                                        JENKINS)
                                .backoff(FAST)
                                .requestTimeout(Duration.ofSeconds(2))
                                .build());

        assertThat(listener.await("disconnected")).contains("307").contains("gateway");
        assertThat(listener.await("subscribed")).isEqualTo("subscribed: fw-1 at " + gateway.url());
        assertThat(gateway.subscribeNanos).hasSize(2);
        assertThat(behind.subscribeNanos).isEmpty();
        connection.revive(List.of()).get(5, TimeUnit.SECONDS);
        assertThat(gateway.nextCall().call().getType()).isEqualTo(Call.Type.REVIVE);
    }

    @Test
    void retries503WithBackoffThenSubscribes() throws Exception {
        FakeMaster master = master();
        for (int i = 0; i < 2; i++) {
            master.onSubscribe(
                    (request, stream) -> stream.reject(503, "No leader elected", Map.of()));
        }
        start(config(master).build());

        assertThat(listener.await("disconnected"))
                .contains("HTTP 503")
                .contains("No leader elected");
        assertThat(listener.await("disconnected")).contains("HTTP 503");
        listener.await("subscribed");
        assertThat(master.subscribeNanos).hasSize(3);
        long firstGapMs = (master.subscribeNanos.get(1) - master.subscribeNanos.get(0)) / 1_000_000;
        long secondGapMs =
                (master.subscribeNanos.get(2) - master.subscribeNanos.get(1)) / 1_000_000;
        assertThat(firstGapMs).isGreaterThanOrEqualTo(16); // 20 ms − 20 % jitter
        assertThat(secondGapMs).isGreaterThanOrEqualTo(32); // 40 ms − 20 % jitter
    }

    @Test
    void resubscribesWithTheSameFrameworkIdWhenHeartbeatsStop() throws Exception {
        FakeMaster master = master();
        master.heartbeatSeconds = 0.05;
        master.onSubscribe(
                (request, stream) -> {
                    stream.open();
                    stream.send(
                            master.subscribed(
                                    "fw-42")); // heartbeat 50 ms → silence for 250 ms means dead
                    stream.stayQuiet(Duration.ofSeconds(10));
                });
        FrameworkIdStore store = FrameworkIdStore.inMemory();
        SchedulerConnection connection = start(config(master).frameworkIdStore(store).build());

        assertThat(listener.await("subscribed")).startsWith("subscribed: fw-42");
        assertThat(store.load()).contains("fw-42");
        assertThat(listener.await("disconnected")).contains("nothing received from the master for");
        FakeMaster.Recorded first = master.nextSubscribe();
        FakeMaster.Recorded second = master.nextSubscribe();
        assertThat(first.call().hasFrameworkId()).isFalse();
        assertThat(second.call().getFrameworkId().getValue()).isEqualTo("fw-42");
        assertThat(second.call().getSubscribe().getFrameworkInfo().getId().getValue())
                .isEqualTo("fw-42");
        assertThat(listener.await("subscribed")).startsWith("subscribed: fw-42");
        assertThat(connection.state()).isEqualTo(ConnectionState.SUBSCRIBED);
    }

    @Test
    void reconnectsCleanlyAfterMalformedRecordIo() throws Exception {
        FakeMaster master = master();
        master.onSubscribe(
                (request, stream) -> {
                    stream.open();
                    stream.send(master.subscribed("fw-7"));
                    stream.sendRaw("<html>proxy error</html>\n".getBytes(UTF_8));
                    stream.stayQuiet(Duration.ofSeconds(10));
                });
        SchedulerConnection connection = start(config(master).build());

        listener.await("subscribed");
        assertThat(listener.await("disconnected")).contains("is corrupt").contains("found '<'");
        assertThat(listener.await("subscribed")).startsWith("subscribed: fw-7");
        master.nextSubscribe();
        assertThat(master.nextSubscribe().call().getFrameworkId().getValue()).isEqualTo("fw-7");
        assertThat(connection.state()).isEqualTo(ConnectionState.SUBSCRIBED);
    }

    @Test
    void frameworkRemovedIsFinal() throws Exception {
        FakeMaster master = master();
        master.onSubscribe(
                (request, stream) -> {
                    stream.open();
                    stream.send(FakeMaster.error("Framework has been removed"));
                });
        SchedulerConnection connection = start(config(master).build());

        assertThat(listener.await("removed")).isEqualTo("removed: Framework has been removed");
        assertThat(connection.state()).isEqualTo(ConnectionState.FRAMEWORK_REMOVED);
        assertThat(connection.decline(List.of(), null))
                .failsWithin(Duration.ofSeconds(1))
                .withThrowableOfType(ExecutionException.class)
                .withMessageContaining("not subscribed")
                .withMessageContaining("FRAMEWORK_REMOVED");
        Thread.sleep(300); // FAST backoff would have re-subscribed several times by now
        assertThat(master.subscribes).hasSize(1);
    }

    @Test
    void failedOverStopsTheOldStream() throws Exception {
        FakeMaster master = master();
        master.onSubscribe(
                (request, stream) -> {
                    stream.open();
                    stream.send(master.subscribed("fw-9"));
                    stream.send(FakeMaster.error("Framework failed over"));
                    stream.stayQuiet(Duration.ofSeconds(10));
                });
        SchedulerConnection connection = start(config(master).build());

        listener.await("subscribed");
        assertThat(listener.await("failedOver")).contains("Framework failed over");
        assertThat(connection.state()).isEqualTo(ConnectionState.FAILED_OVER);
        Thread.sleep(300);
        assertThat(master.subscribes).hasSize(1);
    }

    @Test
    void otherErrorEventsAreReportedAndRetried() throws Exception {
        FakeMaster master = master();
        master.onSubscribe(
                (request, stream) -> {
                    stream.open();
                    stream.send(
                            FakeMaster.error(
                                    "Framework is not authorized to receive offers for role 'ci'"));
                });
        start(config(master).build());

        assertThat(listener.await("error")).contains("not authorized");
        assertThat(listener.await("subscribed")).startsWith("subscribed: fw-");
    }

    @Test
    void sendsEveryCallTypeWithItsPayload() throws Exception {
        FakeMaster master = master();
        SchedulerConnection connection = start(config(master).build());
        listener.await("subscribed");
        OfferID offer = OfferID.newBuilder().setValue("o1").build();
        AgentID agent = AgentID.newBuilder().setValue("a1").build();
        TaskID task = TaskID.newBuilder().setValue("t1").build();
        TaskInfo taskInfo =
                TaskInfo.newBuilder().setName("agent-1").setTaskId(task).setAgentId(agent).build();

        connection
                .launch(
                        List.of(offer),
                        List.of(taskInfo),
                        SchedulerConnection.refuseFor(Duration.ofSeconds(5)))
                .get();
        Call accept = master.nextCall().call();
        assertThat(accept.getType()).isEqualTo(Call.Type.ACCEPT);
        assertThat(accept.getAccept().getOfferIds(0)).isEqualTo(offer);
        assertThat(accept.getAccept().getOperations(0).getType())
                .isEqualTo(Offer.Operation.Type.LAUNCH);
        assertThat(accept.getAccept().getOperations(0).getLaunch().getTaskInfos(0))
                .isEqualTo(taskInfo);
        assertThat(accept.getAccept().getFilters().getRefuseSeconds()).isEqualTo(5.0);

        connection.suppress(List.of("ci")).get();
        Call suppress = master.nextCall().call();
        assertThat(suppress.getSuppress().getRolesList()).containsExactly("ci");
        connection.revive(List.of("gpu-ci")).get();
        assertThat(master.nextCall().call().getRevive().getRolesList()).containsExactly("gpu-ci");
        connection.kill(task, agent).get();
        Call kill = master.nextCall().call();
        assertThat(kill.getKill().getTaskId()).isEqualTo(task);
        assertThat(kill.getKill().getAgentId()).isEqualTo(agent);
        connection
                .reconcile(
                        List.of(
                                Call.Reconcile.Task.newBuilder()
                                        .setTaskId(task)
                                        .setAgentId(agent)
                                        .build()))
                .get();
        assertThat(master.nextCall().call().getReconcile().getTasksList()).hasSize(1);
        connection.reconcileAll().get();
        Call implicit = master.nextCall().call();
        assertThat(implicit.getType()).isEqualTo(Call.Type.RECONCILE);
        assertThat(implicit.hasReconcile()).isTrue();
        assertThat(implicit.getReconcile().getTasksCount()).isZero();
        connection.acceptInverseOffers(List.of(offer), null).get();
        assertThat(master.nextCall().call().getAcceptInverseOffers().getInverseOfferIds(0))
                .isEqualTo(offer);
        connection
                .declineInverseOffers(
                        List.of(offer), SchedulerConnection.refuseFor(Duration.ofMinutes(1)))
                .get();
        assertThat(
                        master.nextCall()
                                .call()
                                .getDeclineInverseOffers()
                                .getFilters()
                                .getRefuseSeconds())
                .isEqualTo(60.0);
        connection.updateFramework(JENKINS, Set.of("ci")).get();
        Call update = master.nextCall().call();
        assertThat(update.getUpdateFramework().getFrameworkInfo().getId().getValue())
                .isEqualTo("fw-1");
        assertThat(update.getFrameworkId().getValue()).isEqualTo("fw-1");
        assertThat(update.getUpdateFramework().getSuppressedRolesList()).containsExactly("ci");
        connection
                .send(
                        Call.newBuilder()
                                .setType(Call.Type.MESSAGE)
                                .setMessage(
                                        Call.Message.newBuilder()
                                                .setAgentId(agent)
                                                .setExecutorId(
                                                        org.apache.mesos.v1.Protos.ExecutorID
                                                                .newBuilder()
                                                                .setValue("e"))
                                                .setData(
                                                        com.google.protobuf.ByteString.copyFromUtf8(
                                                                "hi")))
                                .build())
                .get();
        assertThat(master.nextCall().call().getMessage().getData().toStringUtf8()).isEqualTo("hi");
        connection.teardown().get();
        assertThat(master.nextCall().call().getType()).isEqualTo(Call.Type.TEARDOWN);
        assertThat(connection.state()).isEqualTo(ConnectionState.CLOSED);
    }

    @Test
    void suppressedRolesAreRememberedAcrossResubscription() throws Exception {
        FakeMaster master = master();
        master.heartbeatSeconds = 0.05;
        java.util.concurrent.CountDownLatch suppressed = new java.util.concurrent.CountDownLatch(1);
        master.onSubscribe(
                (request, stream) -> {
                    stream.open();
                    stream.send(master.subscribed("fw-3"));
                    while (!suppressed.await(
                            50, TimeUnit.MILLISECONDS)) { // alive until the SUPPRESS went through
                        stream.send(Event.newBuilder().setType(Event.Type.HEARTBEAT).build());
                    }
                    stream.stayQuiet(Duration.ofSeconds(10)); // then dies by heartbeat timeout
                });
        SchedulerConnection connection = start(config(master).build());
        listener.await("subscribed");
        connection.suppress(List.of("gpu-ci")).get(5, TimeUnit.SECONDS);
        suppressed.countDown();
        listener.await("disconnected");
        listener.await("subscribed");
        master.nextSubscribe();
        assertThat(master.nextSubscribe().call().getSubscribe().getSuppressedRolesList())
                .containsExactly("gpu-ci");
    }

    /**
     * UPDATE_FRAMEWORK replaces the suppressed roles (allocator/mesos/hierarchical.cpp 1.11.0
     * L959-965): a role suppressed now stays suppressed if kept, a dropped role is not listed (the
     * master refuses suppressed roles outside the framework's roles), and a new role is left
     * unsuppressed unless every current role was.
     */
    @Test
    void updateFrameworkKeepsTheRolesSuppressedNow() throws Exception {
        FakeMaster master = master();
        SchedulerConnection connection = start(config(master).build());
        listener.await("subscribed");
        connection.suppress(List.of("gpu-ci")).get(5, TimeUnit.SECONDS);
        master.nextCall();
        FrameworkIdentity moreRoles = JENKINS.withRoles(List.of("ci", "gpu-ci", "arm-ci"));
        connection.updateFramework(moreRoles).get(5, TimeUnit.SECONDS);
        assertThat(master.nextCall().call().getUpdateFramework().getSuppressedRolesList())
                .containsExactly("gpu-ci");
        connection.suppress(List.of()).get(5, TimeUnit.SECONDS); // every role
        master.nextCall();
        connection
                .updateFramework(JENKINS.withRoles(List.of("ci", "x86-ci")))
                .get(5, TimeUnit.SECONDS);
        assertThat(master.nextCall().call().getUpdateFramework().getSuppressedRolesList())
                .containsExactly("ci", "x86-ci");
    }

    @Test
    void acknowledgesOnlyUpdatesCarryingAUuid() throws Exception {
        FakeMaster master = master();
        SchedulerConnection connection = start(config(master).build());
        listener.await("subscribed");
        TaskStatus.Builder status =
                TaskStatus.newBuilder()
                        .setTaskId(TaskID.newBuilder().setValue("t1"))
                        .setState(TaskState.TASK_RUNNING)
                        .setAgentId(AgentID.newBuilder().setValue("a1"));

        assertThat(connection.acknowledge(status.build()))
                .failsWithin(Duration.ofSeconds(1))
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(IllegalArgumentException.class)
                .withMessageContaining("has no uuid and must not be acknowledged");
        byte[] uuid = new byte[16];
        uuid[0] = 7;
        connection
                .acknowledge(status.setUuid(com.google.protobuf.ByteString.copyFrom(uuid)).build())
                .get(5, TimeUnit.SECONDS);
        Call ack = master.nextCall().call();
        assertThat(ack.getType()).isEqualTo(Call.Type.ACKNOWLEDGE);
        assertThat(ack.getAcknowledge().getUuid().toByteArray()).isEqualTo(uuid);
        assertThat(ack.getAcknowledge().getTaskId().getValue()).isEqualTo("t1");
        assertThat(ack.getAcknowledge().getAgentId().getValue()).isEqualTo("a1");
        assertThat(master.calls).isEmpty(); // the uuid-less one never left the client
    }

    @Test
    void failedCallsCarryStatusBodyAndCallType() throws Exception {
        FakeMaster master = master();
        master.callStatus = r -> 400;
        SchedulerConnection connection = start(config(master).build());
        listener.await("subscribed");

        assertThat(connection.decline(List.of(OfferID.newBuilder().setValue("gone").build()), null))
                .failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(
                        MesosCallException.class,
                        e -> {
                            assertThat(e.status()).isEqualTo(400);
                            assertThat(e.callType()).isEqualTo(Call.Type.DECLINE);
                            assertThat(e.body()).contains("scripted failure");
                            assertThat(e.getMessage())
                                    .contains("DECLINE call to " + master.url())
                                    .contains("HTTP 400")
                                    .contains(
                                            "Failed to validate scheduler::Call: scripted failure");
                        });
    }

    @Test
    void callsBeforeSubscriptionFailFast() throws Exception {
        FakeMaster master = master();
        master.onSubscribe((request, stream) -> stream.stayQuiet(Duration.ofSeconds(10)));
        SchedulerConnection connection = start(config(master).build());
        master.nextSubscribe();
        assertThatThrownBy(
                        () ->
                                connection
                                        .kill(TaskID.newBuilder().setValue("t").build(), null)
                                        .get())
                .hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("KILL: framework jenkins is not subscribed");
    }

    @Test
    void triesTheNextMasterAtOnceWhenOneIsDown() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        FakeMaster up = master();
        okhttp3.HttpUrl down = okhttp3.HttpUrl.get("http://127.0.0.1:" + closedPort);
        start(
                SchedulerConfig.builder(new StaticMasterDetector(List.of(down, up.url())), JENKINS)
                        .backoff(
                                new Backoff(
                                        Duration.ofSeconds(30),
                                        Duration.ofSeconds(30),
                                        2,
                                        0)) // a backoff would show
                        .requestTimeout(Duration.ofSeconds(2))
                        .build());
        assertThat(listener.await("subscribed")).isEqualTo("subscribed: fw-1 at " + up.url());
    }

    @Test
    void aMasterThatAcceptsButNeverAnswersIsLeftAfterTheRequestTimeout() throws Exception {
        FakeMaster master = master();
        master.onSubscribe((request, stream) -> stream.stayQuiet(Duration.ofSeconds(10)));
        start(config(master).requestTimeout(Duration.ofMillis(300)).build());
        assertThat(listener.await("disconnected"))
                .contains("nothing received from the master")
                .contains("limit 300 ms");
        listener.await("subscribed");
    }

    @Test
    void closeStopsEveryThreadItStarted() throws Exception {
        FakeMaster master = master();
        FrameworkIdentity identity = FrameworkIdentity.builder("close-test", "jenkins").build();
        SchedulerConnection connection =
                SchedulerConnection.start(
                        SchedulerConfig.builder(
                                        new StaticMasterDetector(List.of(master.url())), identity)
                                .backoff(FAST)
                                .build(),
                        listener);
        listener.await("subscribed");
        assertThat(threadsNamed("close-test")).isNotEmpty();
        connection.close();
        assertThat(connection.state()).isEqualTo(ConnectionState.CLOSED);
        await().atMost(Duration.ofSeconds(5)).until(() -> threadsNamed("close-test").isEmpty());
    }

    private static List<String> threadsNamed(String part) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.contains(part))
                .toList();
    }

    @Test
    void survivesAFrameworkIdStoreThatFails() throws Exception {
        FakeMaster master = master();
        java.util.concurrent.atomic.AtomicInteger writes =
                new java.util.concurrent.atomic.AtomicInteger();
        FrameworkIdStore memory = FrameworkIdStore.inMemory();
        FrameworkIdStore flaky =
                new FrameworkIdStore() {
                    @Override
                    public java.util.Optional<String> load() {
                        return memory.load();
                    }

                    @Override
                    public void store(String frameworkId) {
                        if (writes.incrementAndGet() == 1) {
                            throw new IllegalStateException("disk full");
                        }
                        memory.store(frameworkId);
                    }

                    @Override
                    public void clear() {
                        memory.clear();
                    }
                };
        SchedulerConnection connection = start(config(master).frameworkIdStore(flaky).build());
        assertThat(listener.await("error"))
                .contains("Could not persist framework id fw-1")
                .contains("disk full");
        listener.await("subscribed"); // the id is stored before the listener hears of it
        assertThat(connection.state()).isEqualTo(ConnectionState.SUBSCRIBED);
        assertThat(connection.frameworkId()).contains("fw-1");
        assertThat(master.subscribes).hasSize(1); // the stream was kept
    }

    @Test
    void callsReachTheMasterInTheOrderTheyWereMade() throws Exception {
        FakeMaster master = master();
        SchedulerConnection connection = start(config(master).build());
        listener.await("subscribed");
        List<java.util.concurrent.CompletableFuture<Void>> futures = new ArrayList<>();
        List<Call.Type> sent = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            boolean suppress = i % 2 == 0;
            futures.add(
                    suppress
                            ? connection.suppress(List.of("ci"))
                            : connection.revive(List.of("ci")));
            sent.add(suppress ? Call.Type.SUPPRESS : Call.Type.REVIVE);
        }
        java.util.concurrent.CompletableFuture.allOf(
                        futures.toArray(java.util.concurrent.CompletableFuture[]::new))
                .get(10, TimeUnit.SECONDS);
        List<Call.Type> received = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            received.add(master.nextCall().call().getType());
        }
        assertThat(received).isEqualTo(sent);
    }

    @Test
    void understandsBothRedirectLocationForms() {
        okhttp3.HttpUrl from = okhttp3.HttpUrl.get("http://m1:5050/api/v1/scheduler");
        assertThat(SubscriptionLoop.redirectTarget(from, "//m2:5051/api/v1/scheduler"))
                .hasToString("http://m2:5051/api/v1/scheduler");
        assertThat(SubscriptionLoop.redirectTarget(from, "//m2:5051"))
                .hasToString("http://m2:5051/api/v1/scheduler");
        assertThat(SubscriptionLoop.redirectTarget(from, "m3:5052"))
                .hasToString("http://m3:5052/api/v1/scheduler");
        assertThat(SubscriptionLoop.redirectTarget(from, "https://m4/api/v1/scheduler"))
                .hasToString("https://m4/api/v1/scheduler");
        assertThat(SubscriptionLoop.redirectTarget(from, "")).isNull();
        assertThat(
                        HttpUrls.schedulerEndpoint(
                                okhttp3.HttpUrl.get("https://dcos.example.com/mesos")))
                .hasToString("https://dcos.example.com/mesos/api/v1/scheduler");
        assertThat(
                        HttpUrls.schedulerEndpoint(
                                okhttp3.HttpUrl.get("https://dcos.example.com/mesos/")))
                .hasToString("https://dcos.example.com/mesos/api/v1/scheduler");
    }
}
