package io.jenkins.plugins.mesosagents.engine;

import static io.jenkins.plugins.mesosagents.engine.MesosFixtures.masterUpdate;
import static io.jenkins.plugins.mesosagents.engine.MesosFixtures.offer;
import static io.jenkins.plugins.mesosagents.engine.MesosFixtures.offers;
import static io.jenkins.plugins.mesosagents.engine.MesosFixtures.subscribed;
import static io.jenkins.plugins.mesosagents.engine.MesosFixtures.update;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * An ACCEPT the master took (202) for an offer that was gone by then — rescinded, or lost in a
 * master failover — launches nothing: Mesos 1.11.0 src/master/master.cpp:3944-4015 answers each of
 * its tasks with TASK_DROPPED (TASK_LOST without PARTITION_AWARE), source master, reason
 * REASON_INVALID_OFFERS, "Task launched with invalid offers". The agents are launched again on the
 * next offer; the race is the cluster's, not the template's, so it neither fails them nor counts
 * towards the template's crash-loop back-off. Found by the chaos soak (docs/reliability.md).
 */
class InvalidOfferDropTest {
    private final AgentTemplate linux = AgentTemplate.builder("linux").cpus(1).memMb(1024).build();
    private EngineHarness h;

    @BeforeEach
    void subscribe() {
        h = new EngineHarness(EngineHarness.config().build());
        h.engine.setTemplates(List.of(linux));
        h.engine.onEvent(subscribed());
    }

    @Test
    void tasksDroppedForAnInvalidOfferAreLaunchedAgainWithoutBackOff() {
        h.engine.onEvent(offers(offer("o1", "h1", 4, 4096).build()));
        List<PlannedAgent> planned = h.provision("linux", 3);
        assertThat(h.calls(Call.Type.ACCEPT)).hasSize(1);

        for (PlannedAgent p : planned) {
            h.engine.onEvent(
                    masterUpdate(
                            p.name(),
                            "h1",
                            TaskState.TASK_DROPPED,
                            TaskStatus.Reason.REASON_INVALID_OFFERS));
        }
        assertThat(planned).allSatisfy(p -> assertThat(p.running()).isNotDone());
        assertThat(h.jenkins.lost).isEmpty();
        assertThat(h.engine.snapshot().pendingAgents()).isEqualTo(3);

        h.engine.onEvent(offers(offer("o2", "h2", 4, 4096).build()));
        assertThat(h.calls(Call.Type.ACCEPT)).hasSize(2);
        assertThat(h.calls(Call.Type.ACCEPT).get(1).getAccept().getOperations(0).getLaunch()
                        .getTaskInfosCount())
                .isEqualTo(3);
        for (PlannedAgent p : planned) {
            h.engine.onEvent(update(p.name(), "h2", TaskState.TASK_RUNNING));
        }
        assertThat(planned).allSatisfy(p -> assertThat(p.running()).isCompleted());
    }

    @Test
    void withoutPartitionAwarenessTheSameDropIsTaskLost() {
        h.engine.onEvent(offers(offer("o1", "h1", 4, 4096).build()));
        PlannedAgent p = h.provision("linux", 1).get(0);
        h.engine.onEvent(
                masterUpdate(
                        p.name(),
                        "h1",
                        TaskState.TASK_LOST,
                        TaskStatus.Reason.REASON_INVALID_OFFERS));
        assertThat(p.running()).isNotDone();
        h.engine.onEvent(offers(offer("o2", "h1", 4, 4096).build()));
        h.engine.onEvent(update(p.name(), "h1", TaskState.TASK_RUNNING));
        assertThat(p.running()).isCompleted();
    }

    @Test
    void aDropAfterTheAgentWasReleasedLaunchesNothing() {
        h.engine.onEvent(offers(offer("o1", "h1", 4, 4096).build()));
        PlannedAgent p = h.provision("linux", 1).get(0);
        h.engine.release(p.name());
        h.engine.onEvent(
                masterUpdate(
                        p.name(),
                        "h1",
                        TaskState.TASK_DROPPED,
                        TaskStatus.Reason.REASON_INVALID_OFFERS));
        h.engine.onEvent(offers(offer("o2", "h1", 4, 4096).build()));
        assertThat(h.calls(Call.Type.ACCEPT)).hasSize(1);
        assertThat(h.engine.snapshot().trackedTasks()).isZero();
        assertThat(h.engine.snapshot().pendingAgents()).isZero();
    }
}
