package io.jenkins.plugins.mesosagents.testcluster.mesos;

import static io.jenkins.plugins.mesosagents.testcluster.mesos.SimCalls.framework;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Duplicated and delayed agent status updates ({@link UpdateFaults}) as a scheduler sees them. */
class UpdateFaultsTest {
    @TempDir Path work;

    private MesosSimulator start(Duration retry) throws Exception {
        return MesosSimulator.start(
                MesosSimConfig.builder(work)
                        .heartbeatInterval(Duration.ofMillis(100))
                        .allocationInterval(Duration.ofMillis(100))
                        .statusUpdateRetryInterval(retry)
                        .agent(AgentConfig.of("a", 1, 512))
                        .build());
    }

    private static List<TaskStatus> updates(SimClient c, String taskId) {
        return c.seen.stream()
                .filter(e -> e.getType() == Event.Type.UPDATE)
                .map(e -> e.getUpdate().getStatus())
                .filter(s -> s.getTaskId().getValue().equals(taskId))
                .toList();
    }

    @Test
    void aDuplicatedUpdateArrivesTwiceWithTheSameUuid() throws Exception {
        try (MesosSimulator sim = start(Duration.ofSeconds(30));
                SimClient c = SimClient.subscribe(sim.leaderUrl(), framework("dup"), false)) {
            var offer = c.await(Event.Type.OFFERS, Duration.ofSeconds(5)).getOffers().getOffers(0);
            sim.updateFaults().duplicateNext(1);
            c.send(SimCalls.launch(c, offer, SimCalls.shellTask("t", offer, "sleep 30")));
            c.await(
                    e ->
                            e.getType() == Event.Type.UPDATE
                                    && e.getUpdate().getStatus().getTaskId().getValue().equals("t"),
                    Duration.ofSeconds(10));
            Thread.sleep(300);
            List<TaskStatus> seen = updates(c, "t");
            assertThat(seen).hasSize(2);
            assertThat(seen.get(0).getUuid()).isEqualTo(seen.get(1).getUuid());
            assertThat(sim.updateFaults().duplicated()).isEqualTo(1);
        }
    }

    @Test
    void aDelayedUpdateArrivesOnceWithTheRetry() throws Exception {
        try (MesosSimulator sim = start(Duration.ofMillis(1500));
                SimClient c = SimClient.subscribe(sim.leaderUrl(), framework("late"), false)) {
            var offer = c.await(Event.Type.OFFERS, Duration.ofSeconds(5)).getOffers().getOffers(0);
            sim.updateFaults().delayNext(1);
            long sent = System.nanoTime();
            c.send(SimCalls.launch(c, offer, SimCalls.shellTask("t", offer, "sleep 30")));
            c.await(
                    e ->
                            e.getType() == Event.Type.UPDATE
                                    && e.getUpdate().getStatus().getTaskId().getValue().equals("t"),
                    Duration.ofSeconds(10));
            long millis = (System.nanoTime() - sent) / 1_000_000;
            assertThat(millis).as("arrived with the retry 1.5 s later").isGreaterThanOrEqualTo(1400);
            Thread.sleep(300);
            assertThat(updates(c, "t")).hasSize(1);
            assertThat(sim.updateFaults().delayed()).isEqualTo(1);
        }
    }
}
