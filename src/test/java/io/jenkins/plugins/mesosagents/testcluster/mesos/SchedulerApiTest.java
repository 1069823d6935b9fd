package io.jenkins.plugins.mesosagents.testcluster.mesos;

import static io.jenkins.plugins.mesosagents.testcluster.mesos.SimCalls.call;
import static io.jenkins.plugins.mesosagents.testcluster.mesos.SimCalls.framework;

import static org.assertj.core.api.Assertions.assertThat;

import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import org.apache.mesos.v1.Protos.FrameworkInfo.Capability.Type;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

class SchedulerApiTest {
    static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir Path work;
    MesosSimulator sim;

    @BeforeEach
    void start() throws Exception {
        sim =
                MesosSimulator.start(
                        MesosSimConfig.builder(work)
                                .heartbeatInterval(Duration.ofMillis(200))
                                .allocationInterval(Duration.ofMillis(100))
                                .statusUpdateRetryInterval(Duration.ofMillis(300))
                                .region("local")
                                .agent(
                                        AgentConfig.of("a1.local", 2, 1024)
                                                .withAttributes(
                                                        Map.of(
                                                                "rack", "r1", "cores", "8", "jdk",
                                                                "{17,21}", "slots", "[1-4]"))
                                                .withDomain("local", "za")
                                                .withReservation(
                                                        "ci",
                                                        new AgentConfig.Reservation(
                                                                1, 512, 0, 0, "")))
                                .agent(AgentConfig.of("gpu.local", 4, 2048).withGpus(1))
                                .agent(
                                        AgentConfig.of("far.local", 1, 512)
                                                .withDomain("remote", "zx"))
                                .build());
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void protobufSubscribeStreamsSubscribedThenImmediateAndPeriodicHeartbeats() throws Exception {
        try (SimClient c = SimClient.subscribe(sim.leaderUrl(), framework("pb"), false)) {
            assertThat(c.response.header("Content-Type")).isEqualTo("application/x-protobuf");
            assertThat(c.streamId).matches("[0-9a-f-]{36}");
            Event first = c.events.poll(5, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(first.getType()).isEqualTo(Event.Type.SUBSCRIBED);
            assertThat(first.getSubscribed().getHeartbeatIntervalSeconds()).isEqualTo(0.2);
            assertThat(first.getSubscribed().getMasterInfo().getAddress().getPort())
                    .isEqualTo(sim.leaderUrl().getPort());
            assertThat(c.events.poll(5, java.util.concurrent.TimeUnit.SECONDS).getType())
                    .isEqualTo(Event.Type.HEARTBEAT);
            long t0 = System.nanoTime();
            c.await(Event.Type.HEARTBEAT, WAIT);
            c.await(Event.Type.HEARTBEAT, WAIT);
            assertThat(Duration.ofNanos(System.nanoTime() - t0))
                    .isBetween(Duration.ofMillis(150), Duration.ofSeconds(3));
        }
    }

    @Test
    void jsonSubscribeUsesRecordIoAndSnakeCaseWithDeclaredDefaults() throws Exception {
        String body =
                "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":{\"user\":\"u\",\"name\":\"json\"}}}";
        Request req =
                new Request.Builder()
                        .url(sim.leaderUrl() + "/api/v1/scheduler")
                        .post(RequestBody.create(body.getBytes(StandardCharsets.UTF_8), null))
                        .header("Content-Type", "application/json")
                        .header("Accept", "application/json")
                        .build();
        try (Response r = SimClient.HTTP.newCall(req).execute()) {
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
            assertThat(r.header("Mesos-Stream-Id")).isNotBlank();
            assertThat(r.header("Content-Length")).isNull();
            InputStream in = r.body().byteStream();
            String first = readRecord(in);
            assertThat(first)
                    .startsWith("{\"type\":\"SUBSCRIBED\"")
                    .contains("\"framework_id\":{\"value\":")
                    .contains("\"heartbeat_interval_seconds\":0.2")
                    .contains("\"master_info\"");
            assertThat(readRecord(in)).isEqualTo("{\"type\":\"HEARTBEAT\"}");
            // offers: stout emits declared defaults, e.g. Resource.Value ranges; check snake_case
            // keys of an offer
            String offers = readRecord(in);
            while (offers.contains("HEARTBEAT")) {
                offers = readRecord(in);
            }
            assertThat(offers)
                    .startsWith("{\"type\":\"OFFERS\"")
                    .contains("\"agent_id\"")
                    .contains("\"hostname\"")
                    .doesNotContain("agentId");
        }
    }

    private static String readRecord(InputStream in) throws Exception {
        StringBuilder len = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            assertThat(b).as("stream ended inside a record header").isNotNegative();
            assertThat((char) b).as("RecordIO length must be decimal digits").isBetween('0', '9');
            len.append((char) b);
        }
        int n = Integer.parseInt(len.toString());
        assertThat(n).isPositive();
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }

    @Test
    void offersDescribeAgentsAndHonourGpuRegionAndRoleRules() throws Exception {
        try (SimClient plain = SimClient.subscribe(sim.leaderUrl(), framework("plain"), true)) {
            List<Offer> plainOffers = collectOffers(plain, 1);
            assertThat(plainOffers).extracting(Offer::getHostname).containsExactly("a1.local");
            Offer o = plainOffers.get(0);
            assertThat(o.hasAllocationInfo()).isFalse();
            assertThat(o.getDomain().getFaultDomain().getRegion().getName()).isEqualTo("local");
            assertThat(o.getDomain().getFaultDomain().getZone().getName()).isEqualTo("za");
            assertThat(o.getResourcesList())
                    .allMatch(r -> r.getRole().equals("*"))
                    .anyMatch(r -> r.getName().equals("cpus") && r.getScalar().getValue() == 2.0)
                    .anyMatch(
                            r ->
                                    r.getName().equals("ports")
                                            && r.getRanges().getRange(0).getBegin() == 31000
                                            && r.getRanges().getRange(0).getEnd() == 32000);
            assertThat(o.getAttributesList())
                    .anyMatch(
                            a ->
                                    a.getName().equals("rack")
                                            && a.getType() == Value.Type.TEXT
                                            && a.getText().getValue().equals("r1"))
                    .anyMatch(a -> a.getName().equals("cores") && a.getScalar().getValue() == 8)
                    .anyMatch(
                            a ->
                                    a.getName().equals("jdk")
                                            && a.getSet().getItemList().equals(List.of("17", "21")))
                    .anyMatch(
                            a ->
                                    a.getName().equals("slots")
                                            && a.getRanges().getRange(0).getEnd() == 4);

            // plain holds a1's unreserved resources, so the MULTI_ROLE framework sees a1's "ci"
            // reservation only
            SimClient multi =
                    SimClient.subscribe(
                            sim.leaderUrl(),
                            framework(
                                    "multi",
                                    Type.MULTI_ROLE,
                                    Type.GPU_RESOURCES,
                                    Type.REGION_AWARE,
                                    Type.RESERVATION_REFINEMENT),
                            false);
            List<Offer> multiOffers = collectOffers(multi, 3);
            assertThat(multiOffers)
                    .extracting(Offer::getHostname)
                    .containsExactlyInAnyOrder("a1.local", "gpu.local", "far.local");
            Offer a1 =
                    multiOffers.stream()
                            .filter(x -> x.getHostname().equals("a1.local"))
                            .findFirst()
                            .orElseThrow();
            assertThat(a1.getAllocationInfo().getRole()).isEqualTo("ci");
            assertThat(a1.getResourcesList())
                    .allMatch(r -> r.getAllocationInfo().getRole().equals("ci"))
                    .allMatch(
                            r ->
                                    r.getReservationsCount() == 1
                                            && r.getReservations(0).getRole().equals("ci")
                                            && !r.hasRole())
                    .anyMatch(r -> r.getName().equals("cpus") && r.getScalar().getValue() == 1.0);
            Offer gpu =
                    multiOffers.stream()
                            .filter(x -> x.getHostname().equals("gpu.local"))
                            .findFirst()
                            .orElseThrow();
            assertThat(gpu.getResourcesList())
                    .anyMatch(r -> r.getName().equals("gpus") && r.getScalar().getValue() == 1)
                    .allMatch(r -> r.getReservationsCount() == 0);
            multi.close();
        }
    }

    private static List<Offer> collectOffers(SimClient c, int atLeast) throws InterruptedException {
        List<Offer> out = new java.util.ArrayList<>();
        while (out.size() < atLeast) {
            out.addAll(c.await(Event.Type.OFFERS, WAIT).getOffers().getOffersList());
        }
        return out;
    }

    @Test
    void declineFilterSuppressAndReviveControlOffers() throws Exception {
        try (SimClient c = SimClient.subscribe(sim.leaderUrl(), framework("filters"), false)) {
            Offer o = c.await(Event.Type.OFFERS, WAIT).getOffers().getOffers(0);
            c.send(SimCalls.decline(c, o.getId(), 60));
            c.events.clear();
            Thread.sleep(600); // six allocation intervals
            assertThat(c.events).noneMatch(e -> e.getType() == Event.Type.OFFERS);
            c.send(call(c, Call.Type.REVIVE).setRevive(Call.Revive.getDefaultInstance()).build());
            Offer again = c.await(Event.Type.OFFERS, WAIT).getOffers().getOffers(0);
            assertThat(again.getId()).isNotEqualTo(o.getId());

            c.send(
                    call(c, Call.Type.SUPPRESS)
                            .setSuppress(Call.Suppress.getDefaultInstance())
                            .build());
            c.send(SimCalls.decline(c, again.getId(), 0));
            c.events.clear();
            Thread.sleep(600);
            assertThat(c.events).noneMatch(e -> e.getType() == Event.Type.OFFERS);
            c.send(call(c, Call.Type.REVIVE).setRevive(Call.Revive.getDefaultInstance()).build());
            c.await(Event.Type.OFFERS, WAIT);
        }
    }

    @Test
    void rescindedOfferLaunchGivesUuidlessLostOrDropped() throws Exception {
        try (SimClient plain = SimClient.subscribe(sim.leaderUrl(), framework("plain"), false)) {
            Offer p = plain.await(Event.Type.OFFERS, WAIT).getOffers().getOffers(0);
            sim.rescindOffer(p.getId().getValue());
            assertThat(plain.await(Event.Type.RESCIND, WAIT).getRescind().getOfferId())
                    .isEqualTo(p.getId());
            plain.send(SimCalls.launch(plain, p, SimCalls.shellTask("t1", p, "true")));
            TaskStatus lost = plain.awaitUpdate("t1", TaskState.TASK_LOST, WAIT);
            assertThat(lost.hasUuid()).isFalse();
            assertThat(lost.getReason()).isEqualTo(TaskStatus.Reason.REASON_INVALID_OFFERS);
            assertThat(lost.getSource()).isEqualTo(TaskStatus.Source.SOURCE_MASTER);
            assertThat(lost.getMessage()).contains("is no longer valid");
        }
        // the first framework is gone (its offers with it), so the partition-aware one gets a1
        try (SimClient aware =
                SimClient.subscribe(
                        sim.leaderUrl(), framework("aware", Type.PARTITION_AWARE), true)) {
            Offer a =
                    aware.await(Event.Type.OFFERS, Duration.ofSeconds(10)).getOffers().getOffers(0);
            sim.rescindOffers();
            aware.send(SimCalls.launch(aware, a, SimCalls.shellTask("t2", a, "true")));
            TaskStatus dropped = aware.awaitUpdate("t2", TaskState.TASK_DROPPED, WAIT);
            assertThat(dropped.hasUuid()).isFalse();
        }
    }

    @Test
    void taskThatDoesNotFitTheOfferIsTaskError() throws Exception {
        try (SimClient c = SimClient.subscribe(sim.leaderUrl(), framework("big"), false)) {
            Offer o = c.await(Event.Type.OFFERS, WAIT).getOffers().getOffers(0);
            var task =
                    SimCalls.shellTask("huge", o, "true").toBuilder()
                            .clearResources()
                            .addResources(SimCalls.scalar("cpus", 64, null))
                            .build();
            c.send(SimCalls.launch(c, o, task));
            TaskStatus err = c.awaitUpdate("huge", TaskState.TASK_ERROR, WAIT);
            assertThat(err.getReason()).isEqualTo(TaskStatus.Reason.REASON_TASK_INVALID);
            assertThat(err.getMessage()).contains("more resources").contains("cpus");
            assertThat(err.hasUuid()).isFalse();
        }
    }

    @Test
    void errorResponsesMatchTheMaster() throws Exception {
        String url = sim.leaderUrl() + "/api/v1/scheduler";
        String sub =
                "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":{\"user\":\"u\",\"name\":\"n\"}}}";
        assertThat(exchange(new Request.Builder().url(url).get().build()).code()).isEqualTo(405);
        assertThat(exchange(post(url, sub, null)).body())
                .isEqualTo("Expecting 'Content-Type' to be present");
        assertThat(exchange(post(url, sub, "application/json; charset=utf-8")).code())
                .isEqualTo(415);
        assertThat(exchange(post(url, "{not json", "application/json")).body())
                .startsWith("Failed to parse body into JSON");
        String camel =
                "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"frameworkInfo\":{\"user\":\"u\",\"name\":\"n\"}}}";
        assertThat(exchange(post(url, camel, "application/json")).body())
                .startsWith("Failed to convert JSON into Call protobuf: Missing required fields");
        assertThat(exchange(post(url, "garbage", "application/x-protobuf")).body())
                .isEqualTo("Failed to parse body into Call protobuf");
        assertThat(
                        exchange(
                                        post(url, sub, "application/json")
                                                .newBuilder()
                                                .header("Accept", "text/html")
                                                .build())
                                .code())
                .isEqualTo(406);
        SimClient.Reply withStream =
                exchange(
                        post(url, sub, "application/json")
                                .newBuilder()
                                .header("Mesos-Stream-Id", "x")
                                .build());
        assertThat(withStream.code()).isEqualTo(400);
        assertThat(withStream.body()).contains("should not include the 'Mesos-Stream-Id'");
        String noFw = "{\"type\":\"REVIVE\"}";
        assertThat(exchange(post(url, noFw, "application/json")).body())
                .isEqualTo(
                        "Failed to validate scheduler::Call: Expecting 'framework_id' to be"
                                + " present");
        String unknownFw = "{\"type\":\"REVIVE\",\"framework_id\":{\"value\":\"nope\"}}";
        assertThat(exchange(post(url, unknownFw, "application/json")).body())
                .isEqualTo("Framework cannot be found");

        try (SimClient c = SimClient.subscribe(sim.leaderUrl(), framework("errors"), false)) {
            c.await(Event.Type.SUBSCRIBED, WAIT);
            String fw =
                    "{\"type\":\"REVIVE\",\"framework_id\":{\"value\":\"" + c.frameworkId + "\"}}";
            SimClient.Reply missing = exchange(post(url, fw, "application/json"));
            assertThat(missing.code()).isEqualTo(400);
            assertThat(missing.body()).contains("should include the 'Mesos-Stream-Id'");
            SimClient.Reply wrong =
                    exchange(
                            post(url, fw, "application/json")
                                    .newBuilder()
                                    .header("Mesos-Stream-Id", "other")
                                    .build());
            assertThat(wrong.body()).contains("didn't match");
            assertThat(
                            exchange(
                                            post(url, fw, "application/json")
                                                    .newBuilder()
                                                    .header("Mesos-Stream-Id", c.streamId)
                                                    .build())
                                    .code())
                    .isEqualTo(202);
            String badAck =
                    "{\"type\":\"ACKNOWLEDGE\",\"framework_id\":{\"value\":\""
                            + c.frameworkId
                            + "\"},\"acknowledge\":{\"agent_id\":{\"value\":\"a\"},\"task_id\":{\"value\":\"t\"},\"uuid\":\"AAEC\"}}";
            assertThat(exchange(post(url, badAck, "application/json")).body())
                    .contains("Not a valid UUID");
            String unknownType =
                    "{\"type\":\"UNKNOWN\",\"framework_id\":{\"value\":\"" + c.frameworkId + "\"}}";
            assertThat(
                            exchange(
                                            post(url, unknownType, "application/json")
                                                    .newBuilder()
                                                    .header("Mesos-Stream-Id", c.streamId)
                                                    .build())
                                    .code())
                    .isEqualTo(501);
            String update =
                    "{\"type\":\"UPDATE_FRAMEWORK\",\"framework_id\":{\"value\":\""
                            + c.frameworkId
                            + "\"},"
                            + "\"update_framework\":{\"framework_info\":{\"id\":{\"value\":\""
                            + c.frameworkId
                            + "\"},\"user\":\"jenkins\",\"name\":\"renamed\",\"principal\":\"jenkins\",\"failover_timeout\":60}}}";
            assertThat(
                            exchange(
                                            post(url, update, "application/json")
                                                    .newBuilder()
                                                    .header("Mesos-Stream-Id", c.streamId)
                                                    .build())
                                    .code())
                    .isEqualTo(200);

            String fwId = c.frameworkId;
            sim.dropStreams();
            String revive = "{\"type\":\"REVIVE\",\"framework_id\":{\"value\":\"" + fwId + "\"}}";
            SimClient.Reply notSubscribed =
                    exchange(
                            post(url, revive, "application/json")
                                    .newBuilder()
                                    .header("Mesos-Stream-Id", c.streamId)
                                    .build());
            assertThat(notSubscribed.code()).isEqualTo(403);
            assertThat(notSubscribed.body()).isEqualTo("Framework is not subscribed");
        }
    }

    @Test
    void invalidFrameworkInfoIsAnErrorEventAfterThe200() throws Exception {
        var info = framework("bad").toBuilder().addRoles("ci").build(); // roles without MULTI_ROLE
        try (SimClient c = SimClient.subscribe(sim.leaderUrl(), info, false)) {
            Event e = c.await(Event.Type.ERROR, WAIT);
            assertThat(e.getError().getMessage()).contains("MULTI_ROLE");
            org.awaitility.Awaitility.await().atMost(WAIT).until(() -> c.ended);
        }
    }

    static Request post(String url, String body, String contentType) {
        Request.Builder b =
                new Request.Builder()
                        .url(url)
                        .post(RequestBody.create(body.getBytes(StandardCharsets.UTF_8), null));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return b.build();
    }

    static SimClient.Reply exchange(Request r) throws Exception {
        try (Response resp = SimClient.NO_REDIRECTS.newCall(r).execute()) {
            return new SimClient.Reply(resp.code(), resp.body().string(), resp.headers());
        }
    }
}
