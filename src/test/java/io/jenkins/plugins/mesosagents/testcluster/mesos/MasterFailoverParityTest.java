package io.jenkins.plugins.mesosagents.testcluster.mesos;

import static io.jenkins.plugins.mesosagents.testcluster.mesos.SimCalls.framework;
import static io.jenkins.plugins.mesosagents.testcluster.mesos.SimCalls.launch;
import static io.jenkins.plugins.mesosagents.testcluster.mesos.SimCalls.shellTask;
import static io.jenkins.plugins.mesosagents.testcluster.mesos.TaskLifecycleTestSupport.ackUntil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo.Capability.Type;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a real 1.11.0 master does to a framework's calls while it does not know a task: after a
 * failover before the task's agent reregistered, or while the agent is unreachable
 * (src/master/master.cpp Master::kill 5688-5763, Master::acknowledge 5833-5920, Master::reconcile
 * 8939-9152); plus the agent's status update backoff and the bounded list of removed frameworks.
 */
class MasterFailoverParityTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir Path work;
    MesosSimulator sim;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private void start(AmnesiaWindow amnesia, Duration retry) throws Exception {
        sim =
                MesosSimulator.start(
                        MesosSimConfig.builder(work.resolve("cluster"))
                                .heartbeatInterval(Duration.ofMillis(200))
                                .allocationInterval(Duration.ofMillis(100))
                                .statusUpdateRetryInterval(retry)
                                .killGracePeriod(Duration.ofMillis(500))
                                .amnesia(amnesia)
                                .agent(AgentConfig.of("a1.local", 4, 4096))
                                .agent(AgentConfig.of("a2.local", 4, 4096))
                                .build());
    }

    /** One outstanding offer from each agent. */
    private static java.util.Map<String, Offer> offers(SimClient c, int agents)
            throws InterruptedException {
        java.util.Map<String, Offer> out = new java.util.HashMap<>();
        while (out.size() < agents) {
            for (Offer o : c.await(Event.Type.OFFERS, WAIT).getOffers().getOffersList()) {
                out.put(o.getAgentId().getValue(), o);
            }
        }
        return out;
    }

    /** No update for the task arrives within the time (the master stays silent). */
    private static void assertSilentFor(SimClient c, String taskId, long millis)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            Event e = c.events.poll(10, TimeUnit.MILLISECONDS);
            if (e != null && e.getType() == Event.Type.UPDATE) {
                assertThat(e.getUpdate().getStatus().getTaskId().getValue())
                        .as("update while the master should be silent: %s", e.getUpdate())
                        .isNotEqualTo(taskId);
            }
        }
    }

    private static Call kill(SimClient c, String taskId, String agentId) {
        return SimCalls.kill(c, taskId, AgentID.newBuilder().setValue(agentId).build(), -1);
    }

    private static SimClient resubscribe(MesosSimulator sim, FrameworkInfo info, String id)
            throws Exception {
        SimClient c =
                SimClient.subscribe(
                        sim.leaderUrl(),
                        info.toBuilder().setId(FrameworkID.newBuilder().setValue(id)).build(),
                        false);
        c.await(Event.Type.SUBSCRIBED, WAIT);
        return c;
    }

    @Test
    void afterAnAmnesiaFailoverTheLeaderKnowsATaskOnlyOnceItsAgentReregistered() throws Exception {
        start(
                new AmnesiaWindow(Duration.ofMillis(2500), Duration.ofMillis(6000)),
                Duration.ofMillis(300));
        String a1 = sim.agentIds().get(0);
        String a2 = sim.agentIds().get(1);
        FrameworkInfo info = framework("amnesia", Type.PARTITION_AWARE);
        String fwId;
        long pid;
        TaskStatus unacked;
        try (SimClient c = SimClient.subscribe(sim.leaderUrl(), info, false)) {
            var offers = offers(c, 2);
            Offer o1 = offers.get(a1);
            c.send(launch(c, o1, shellTask("t1", o1, "sleep 60"), shellTask("t3", o1, "sleep 60")));
            ackUntil(c, "t1", TaskState.TASK_RUNNING);
            // t3's first update stays unacknowledged until after the failover
            unacked = c.awaitUpdate("t3", TaskState.TASK_STARTING, WAIT);
            Offer o2 = offers.get(a2);
            c.send(launch(c, o2, shellTask("t2", o2, "sleep 60")));
            ackUntil(c, "t2", TaskState.TASK_RUNNING);
            fwId = c.frameworkId;
            pid = sim.task("t1").orElseThrow().pid();
            sim.failoverLeader();
            await().atMost(WAIT).until(() -> c.ended);
        }
        assertThat(sim.agentsReregistering()).isTrue();
        try (SimClient c = resubscribe(sim, info, fwId)) {
            // (2) of master.cpp:9044-9058: agent recovered, task unknown: no answer at all
            c.send(SimCalls.reconcile(c, "t1", a1, "ghost", null));
            // implicit reconciliation answers only what the leader knows: nothing yet
            c.send(SimCalls.reconcile(c));
            // KILL of an unknown task is that same explicit reconciliation (master.cpp:5700-5716)
            c.send(kill(c, "t1", a1));
            // ACKNOWLEDGE for an agent that is not registered is dropped (master.cpp:5848-5856)
            c.send(SimCalls.ack(c, unacked));
            assertSilentFor(c, "t1", 1200);
            assertThat(c.seen)
                    .noneMatch(
                            e ->
                                    e.getType() == Event.Type.UPDATE
                                            && List.of("t1", "t2", "t3", "ghost")
                                                    .contains(
                                                            e.getUpdate()
                                                                    .getStatus()
                                                                    .getTaskId()
                                                                    .getValue()));
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
            assertThat(sim.stateJson()).doesNotContain("\"t1\"");

            // a1 reregisters first: its paused updates resume with the dropped ACK's update again
            TaskStatus again = c.awaitUpdate("t3", TaskState.TASK_STARTING, WAIT);
            assertThat(again.getUuid()).isEqualTo(unacked.getUuid());
            assertThat(sim.agentsReregistering()).as("a2 has not reregistered yet").isTrue();
            c.send(SimCalls.reconcile(c, "t1", a1, "ghost", a1, "ghost2", null));
            assertThat(c.awaitReconciliation("t1", TaskState.TASK_RUNNING, WAIT).getMessage())
                    .isEqualTo("Reconciliation: Latest task state");
            // (3): agent registered, task unknown
            assertThat(c.awaitReconciliation("ghost", TaskState.TASK_GONE, WAIT).getMessage())
                    .isEqualTo("Reconciliation: Task is unknown to the agent");
            // no agent given while a2 is still recovered: silence for ghost2
            c.send(SimCalls.reconcile(c));
            List<String> implicit = new ArrayList<>();
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(800);
            while (System.nanoTime() < until) {
                Event e = c.events.poll(10, TimeUnit.MILLISECONDS);
                if (e != null && e.getType() == Event.Type.UPDATE) {
                    TaskStatus s = e.getUpdate().getStatus();
                    assertThat(s.getTaskId().getValue()).isNotEqualTo("ghost2");
                    if (!s.hasUuid()) {
                        implicit.add(s.getTaskId().getValue());
                    } else {
                        c.send(SimCalls.ack(c, s));
                    }
                }
            }
            assertThat(implicit).contains("t1", "t3").doesNotContain("t2");

            c.send(kill(c, "t1", a1));
            ackUntil(c, "t1", TaskState.TASK_KILLED);
            await().atMost(WAIT)
                    .until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));

            await().atMost(WAIT).until(() -> !sim.agentsReregistering());
            c.send(SimCalls.reconcile(c, "t2", a2, "ghost2", null));
            c.awaitReconciliation("t2", TaskState.TASK_RUNNING, WAIT);
            // (6): every agent is back and none is named
            assertThat(c.awaitReconciliation("ghost2", TaskState.TASK_UNKNOWN, WAIT).getMessage())
                    .isEqualTo("Reconciliation: Task is unknown");
        }
    }

    @Test
    void withoutAmnesiaTheNewLeaderKnowsEveryTaskAtOnce() throws Exception {
        start(null, Duration.ofMillis(300));
        FrameworkInfo info = framework("plain", Type.PARTITION_AWARE);
        String fwId;
        try (SimClient c = SimClient.subscribe(sim.leaderUrl(), info, false)) {
            Offer o = offers(c, 2).get(sim.agentIds().get(0));
            c.send(launch(c, o, shellTask("t1", o, "sleep 60")));
            ackUntil(c, "t1", TaskState.TASK_RUNNING);
            fwId = c.frameworkId;
            sim.failoverLeader();
            await().atMost(WAIT).until(() -> c.ended);
        }
        assertThat(sim.agentsReregistering()).isFalse();
        try (SimClient c = resubscribe(sim, info, fwId)) {
            c.send(SimCalls.reconcile(c, "t1", sim.agentIds().get(0)));
            c.awaitReconciliation("t1", TaskState.TASK_RUNNING, WAIT);
        }

        // the control API turns amnesia on for the next failover (test-cluster users)
        assertThat(sim.control("POST", "/sim/amnesia", "first-millis=5").status()).isEqualTo(400);
        assertThat(sim.control("POST", "/sim/amnesia", "first-millis=900&last-millis=100").status())
                .isEqualTo(400);
        assertThat(
                        sim.control("POST", "/sim/amnesia", "first-millis=1500&last-millis=1500")
                                .status())
                .isEqualTo(200);
        assertThat(sim.control("POST", "/sim/failover", null).status()).isEqualTo(200);
        assertThat(sim.agentsReregistering()).isTrue();
        try (SimClient c = resubscribe(sim, info, fwId)) {
            c.send(SimCalls.reconcile(c, "t1", sim.agentIds().get(0)));
            assertSilentFor(c, "t1", 500);
            await().atMost(WAIT).until(() -> !sim.agentsReregistering());
            c.send(SimCalls.reconcile(c, "t1", sim.agentIds().get(0)));
            c.awaitReconciliation("t1", TaskState.TASK_RUNNING, WAIT);
        }
        assertThat(sim.control("POST", "/sim/amnesia", "off").status()).isEqualTo(200);
        sim.failoverLeader();
        assertThat(sim.agentsReregistering()).isFalse();
    }

    @Test
    void anAgentPartitionedBeforeItReregisteredStaysUnreachableUntilItHeals() throws Exception {
        start(
                new AmnesiaWindow(Duration.ofMillis(800), Duration.ofMillis(800)),
                Duration.ofMillis(300));
        String a1 = sim.agentIds().get(0);
        FrameworkInfo info = framework("cut-off", Type.PARTITION_AWARE);
        String fwId;
        try (SimClient c = SimClient.subscribe(sim.leaderUrl(), info, false)) {
            Offer o = offers(c, 2).get(a1);
            c.send(launch(c, o, shellTask("t1", o, "sleep 60")));
            ackUntil(c, "t1", TaskState.TASK_RUNNING);
            fwId = c.frameworkId;
            sim.failoverLeader();
        }
        sim.partitionAgent("a1.local");
        Thread.sleep(1_200); // past the reregistration a1 would have made
        try (SimClient c = resubscribe(sim, info, fwId)) {
            c.send(SimCalls.reconcile(c, "t1", a1));
            assertThat(c.awaitReconciliation("t1", TaskState.TASK_UNREACHABLE, WAIT).getMessage())
                    .isEqualTo("Reconciliation: Task is unreachable");
            sim.healAgent("a1.local");
            c.send(SimCalls.reconcile(c, "t1", a1));
            c.awaitReconciliation("t1", TaskState.TASK_RUNNING, WAIT);
        }
    }

    @Test
    void clusterJsonTurnsAmnesiaOnAndBoundsTheRemovedFrameworks() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        MesosSimConfig cfg =
                MesosSimConfig.fromJson(
                        json.readTree(
                                "{\"failoverAmnesia\": {\"firstMillis\": 2000, \"lastMillis\":"
                                        + " 30000}, \"maxCompletedFrameworks\": 7}"),
                        work);
        assertThat(cfg.amnesia())
                .isEqualTo(new AmnesiaWindow(Duration.ofSeconds(2), Duration.ofSeconds(30)));
        assertThat(cfg.maxCompletedFrameworks()).isEqualTo(7);
        MesosSimConfig plain = MesosSimConfig.fromJson(json.readTree("{}"), work);
        assertThat(plain.amnesia()).isNull();
        assertThat(plain.maxCompletedFrameworks()).isEqualTo(50);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () ->
                                MesosSimConfig.fromJson(
                                        json.readTree(
                                                "{\"failoverAmnesia\": {\"firstMillis\": 2000}}"),
                                        work))
                .hasMessageContaining("mesos.failoverAmnesia")
                .hasMessageContaining("lastMillis");
    }

    @Test
    void killOfATaskOnAnUnreachableAgentIsAnsweredUnreachableAndImplicitReconcileLeavesItOut()
            throws Exception {
        start(null, Duration.ofMillis(300));
        String a1 = sim.agentIds().get(0);
        String a2 = sim.agentIds().get(1);
        try (SimClient c =
                SimClient.subscribe(
                        sim.leaderUrl(), framework("partitioned", Type.PARTITION_AWARE), false)) {
            var offers = offers(c, 2);
            Offer o1 = offers.get(a1);
            c.send(launch(c, o1, shellTask("cut", o1, "sleep 60")));
            ackUntil(c, "cut", TaskState.TASK_RUNNING);
            Offer o2 = offers.get(a2);
            c.send(launch(c, o2, shellTask("fine", o2, "sleep 60")));
            ackUntil(c, "fine", TaskState.TASK_RUNNING);
            long pid = sim.task("cut").orElseThrow().pid();

            sim.partitionAgent("a1.local");
            c.awaitUpdate("cut", TaskState.TASK_UNREACHABLE, WAIT);

            c.send(kill(c, "cut", a1));
            // master.cpp:5700-5716 then (4) of Master::reconcile, 9076-9101
            TaskStatus s = c.awaitReconciliation("cut", TaskState.TASK_UNREACHABLE, WAIT);
            assertThat(s.getMessage()).isEqualTo("Reconciliation: Task is unreachable");
            assertThat(s.getReason()).isEqualTo(TaskStatus.Reason.REASON_RECONCILIATION);
            assertThat(s.hasUnreachableTime()).isTrue();
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);

            c.send(SimCalls.reconcile(c));
            c.awaitReconciliation("fine", TaskState.TASK_RUNNING, WAIT);
            assertSilentFor(c, "cut", 800);

            sim.healAgent("a1.local");
            c.send(SimCalls.reconcile(c));
            c.awaitReconciliation("cut", TaskState.TASK_RUNNING, WAIT);
            c.send(kill(c, "cut", a1));
            ackUntil(c, "cut", TaskState.TASK_KILLED);
        }
    }

    @Test
    void anUnacknowledgedUpdateIsResentWithDoublingIntervals() throws Exception {
        start(null, Duration.ofMillis(200));
        try (SimClient c = SimClient.subscribe(sim.leaderUrl(), framework("deaf"), false)) {
            Offer o = offers(c, 2).get(sim.agentIds().get(0));
            c.send(launch(c, o, shellTask("t", o, "sleep 60")));
            List<Long> arrivals = new ArrayList<>();
            TaskStatus first = null;
            while (arrivals.size() < 5) {
                TaskStatus s = c.awaitUpdate("t", TaskState.TASK_STARTING, WAIT);
                arrivals.add(System.nanoTime());
                if (first == null) {
                    first = s;
                }
                assertThat(s.getUuid()).isEqualTo(first.getUuid());
            }
            List<Long> gaps = new ArrayList<>();
            for (int i = 1; i < arrivals.size(); i++) {
                gaps.add(TimeUnit.NANOSECONDS.toMillis(arrivals.get(i) - arrivals.get(i - 1)));
            }
            // 200, 400, 800, 1600 ms: task_status_update_manager.cpp:485-490 (bounds loose enough
            // for a loaded machine, tight enough to tell doubling from a fixed interval: 800 ms)
            long span = TimeUnit.NANOSECONDS.toMillis(arrivals.get(4) - arrivals.get(0));
            assertThat(span).as("gaps %s", gaps).isBetween(2_400L, 4_500L);
            assertThat(gaps.get(3)).as("gaps %s", gaps).isBetween(1_200L, 2_400L);
            assertThat(gaps.get(3)).as("gaps %s", gaps).isGreaterThan(gaps.get(0) * 3);
            // an acknowledgement lets the next update through at once, again at the minimum
            c.send(SimCalls.ack(c, first));
            TaskStatus running = c.awaitUpdate("t", TaskState.TASK_RUNNING, WAIT);
            long sent = System.nanoTime();
            TaskStatus resent = c.awaitUpdate("t", TaskState.TASK_RUNNING, WAIT);
            assertThat(resent.getUuid()).isEqualTo(running.getUuid());
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent))
                    .isBetween(100L, 400L);
        }
    }

    @Test
    void aRemovedFrameworkIsRefusedUntilFiftyLaterRemovalsPushItOutOfTheList() throws Exception {
        start(null, Duration.ofMillis(300));
        List<String> removed = new ArrayList<>();
        for (int i = 0; i <= sim.config().maxCompletedFrameworks(); i++) {
            try (SimClient c = SimClient.subscribe(sim.leaderUrl(), framework("f" + i), false)) {
                c.await(Event.Type.SUBSCRIBED, WAIT);
                removed.add(c.frameworkId);
                c.send(SimCalls.call(c, Call.Type.TEARDOWN).build());
                await().atMost(WAIT).until(() -> c.ended);
            }
        }
        // the oldest of 51 fell out of the 50 the master keeps: it is taken as a framework of a
        // former leader and subscribes under its id (master.cpp:2802-2813)
        try (SimClient c = resubscribe(sim, framework("f0"), removed.get(0))) {
            assertThat(c.frameworkId).isEqualTo(removed.get(0));
        }
        // master.cpp:2605-2612 for one still in the list
        FrameworkInfo second =
                framework("f1").toBuilder()
                        .setId(FrameworkID.newBuilder().setValue(removed.get(1)))
                        .build();
        try (SimClient c = SimClient.subscribe(sim.leaderUrl(), second, false)) {
            assertThat(c.await(Event.Type.ERROR, WAIT).getError().getMessage())
                    .isEqualTo("Framework has been removed");
        }
    }
}
