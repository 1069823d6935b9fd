package io.jenkins.plugins.mesosagents.testcluster.mesos;

import static io.jenkins.plugins.mesosagents.testcluster.mesos.SimCalls.framework;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

class FaultInjectionTest {
    static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir Path work;

    @Test
    void silencedStreamsStayOpenButSendNothingThenResume() throws Exception {
        try (MesosSimulator sim =
                        MesosSimulator.start(
                                MesosSimConfig.builder(work)
                                        .heartbeatInterval(Duration.ofMillis(100))
                                        .agent(AgentConfig.of("a", 1, 512))
                                        .build());
                SimClient c = SimClient.subscribe(sim.leaderUrl(), framework("quiet"), false)) {
            c.await(Event.Type.HEARTBEAT, WAIT);
            sim.silenceStreams(Duration.ofMillis(800));
            Thread.sleep(100);
            c.events.clear();
            Thread.sleep(500);
            assertThat(c.events).isEmpty();
            assertThat(c.ended).isFalse();
            c.await(Event.Type.HEARTBEAT, WAIT);
        }
    }

    @Test
    void resubscribingAfterHeartbeatLossKeepsTasksAndEndsTheSilentStream() throws Exception {
        try (MesosSimulator sim =
                MesosSimulator.start(
                        MesosSimConfig.builder(work)
                                .heartbeatInterval(Duration.ofMillis(100))
                                .allocationInterval(Duration.ofMillis(100))
                                .agent(AgentConfig.of("a", 1, 512))
                                .build())) {
            var info = framework("watchdog");
            SimClient first = SimClient.subscribe(sim.leaderUrl(), info, false);
            var offer = first.await(Event.Type.OFFERS, WAIT).getOffers().getOffers(0);
            first.send(
                    SimCalls.launch(first, offer, SimCalls.shellTask("keep", offer, "sleep 30")));
            TaskLifecycleTestSupport.ackUntil(
                    first, "keep", org.apache.mesos.v1.Protos.TaskState.TASK_RUNNING);
            long pid = sim.task("keep").orElseThrow().pid();
            sim.silenceStreams(Duration.ofSeconds(30));
            Thread.sleep(300);
            first.events.clear();
            Thread.sleep(500); // a client's watchdog would now give up on this stream
            assertThat(first.events).isEmpty();
            var again =
                    info.toBuilder()
                            .setId(
                                    org.apache.mesos.v1.Protos.FrameworkID.newBuilder()
                                            .setValue(first.frameworkId))
                            .build();
            try (SimClient second = SimClient.subscribe(sim.leaderUrl(), again, true)) {
                assertThat(
                                second.await(Event.Type.SUBSCRIBED, WAIT)
                                        .getSubscribed()
                                        .getFrameworkId()
                                        .getValue())
                        .isEqualTo(first.frameworkId);
                second.await(Event.Type.HEARTBEAT, WAIT);
                await().atMost(WAIT).until(() -> first.ended);
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
            } finally {
                first.close();
            }
        }
    }

    @Test
    void garbageAndControlEndpointWorkOverHttp() throws Exception {
        try (MesosSimulator sim =
                        MesosSimulator.start(
                                MesosSimConfig.builder(work)
                                        .heartbeatInterval(Duration.ofMillis(100))
                                        .agent(AgentConfig.of("a", 1, 512))
                                        .build());
                SimClient c = SimClient.subscribe(sim.leaderUrl(), framework("garbage"), false)) {
            c.await(Event.Type.SUBSCRIBED, WAIT);
            assertThat(control(sim, "/sim/garbage")).isEqualTo(200);
            await().atMost(WAIT).until(() -> c.readError != null);
            assertThat(c.readError).isInstanceOf(NumberFormatException.class);
            assertThat(control(sim, "/sim/agents/a/partition")).isEqualTo(200);
            assertThat(sim.stateJson()).contains("\"unreachable_slaves\":1");
            assertThat(control(sim, "/sim/agents/nope/remove")).isEqualTo(400);
            assertThat(control(sim, "/sim/unavailable")).isEqualTo(400);
            assertThat(control(sim, "/sim/unavailable?millis=300")).isEqualTo(200);
            assertThat(
                            SchedulerApiTest.exchange(
                                            SchedulerApiTest.post(
                                                    sim.leaderUrl() + "/api/v1/scheduler",
                                                    "{}",
                                                    "application/json"))
                                    .code())
                    .isEqualTo(503);
        }
    }

    @Test
    void callFaultsAreScriptableOverTheControlApi() throws Exception {
        try (MesosSimulator sim =
                MesosSimulator.start(
                        MesosSimConfig.builder(work).agent(AgentConfig.of("a", 1, 512)).build())) {
            assertThat(control(sim, "/sim/calls/REVIVE?status=400&body=no%20revive&times=1"))
                    .isEqualTo(200);
            assertThat(control(sim, "/sim/calls/KILL?hang-millis=250")).isEqualTo(200);
            assertThat(control(sim, "/sim/calls/*?refuse-protobuf")).isEqualTo(200);
            assertThat(control(sim, "/sim/calls/STATE?drop&times=2")).isEqualTo(200);
            assertThat(control(sim, "/sim/calls/NOPE?drop")).isEqualTo(400);
            assertThat(control(sim, "/sim/calls/KILL")).isEqualTo(400);

            CallFaults f = sim.callFaults();
            assertThat(f.take("REVIVE", true)).isEqualTo(new CallFaults.Answer(400, "no revive"));
            assertThat(f.take("REVIVE", true)).isEqualTo(new CallFaults.RefuseProtobuf());
            assertThat(f.take("REVIVE", false)).as("JSON passes a protobuf refusal").isNull();
            assertThat(f.take("KILL", true)).isEqualTo(new CallFaults.Hang(Duration.ofMillis(250)));
            assertThat(f.take(CallFaults.STATE, false)).isEqualTo(new CallFaults.Drop());
            assertThat(f.applied("REVIVE")).isEqualTo(2);

            assertThat(control(sim, "/sim/calls/clear")).isEqualTo(200);
            assertThat(f.take("KILL", true)).isNull();
            assertThat(f.take(CallFaults.STATE, false))
                    .as("one drop was left, then cleared")
                    .isNull();
        }
    }

    private static int control(MesosSimulator sim, String path) throws Exception {
        try (Response r =
                SimClient.HTTP
                        .newCall(
                                new Request.Builder()
                                        .url(sim.leaderUrl() + path)
                                        .post(RequestBody.create(new byte[0], null))
                                        .build())
                        .execute()) {
            return r.code();
        }
    }
}
