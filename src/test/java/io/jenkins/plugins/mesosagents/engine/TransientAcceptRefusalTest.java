package io.jenkins.plugins.mesosagents.engine;

import static io.jenkins.plugins.mesosagents.engine.MesosFixtures.offer;
import static io.jenkins.plugins.mesosagents.engine.MesosFixtures.offers;
import static io.jenkins.plugins.mesosagents.engine.MesosFixtures.subscribed;
import static io.jenkins.plugins.mesosagents.engine.MesosFixtures.update;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * A master that refuses ACCEPTs for a moment with a 5xx (503 "Master has not finished recovery"
 * right after a failover, a proxy's 500/502) or a 307 (it no longer leads) says nothing about the
 * template: the agent is queued
 * again, and the template is not put into crash-loop back-off (production: 30 s, doubling to 10
 * min) as three failed launches of its own would. A 4xx (the master refusing the task itself, e.g.
 * "Failed to validate") still counts. Found by the chaos soak: after a 503 burst, agents failed
 * with "backing off until … after 3 consecutive launch failures" (docs/reliability.md).
 */
class TransientAcceptRefusalTest {
    private final AgentTemplate linux = AgentTemplate.builder("linux").cpus(1).memMb(1024).build();
    private EngineHarness h;

    @BeforeEach
    void subscribe() {
        h = new EngineHarness(EngineHarness.config().build());
        h.engine.setTemplates(List.of(linux));
        h.engine.onEvent(subscribed());
    }

    private PlannedAgent refusedThreeTimes(int status, String answer) {
        h.refuse(Call.Type.ACCEPT, status, answer);
        PlannedAgent p = h.provision("linux", 1).get(0);
        for (int i = 1; i <= 3; i++) {
            h.engine.onEvent(offers(offer("o" + i, "h1", 4, 4096).build()));
            assertThat(h.calls(Call.Type.ACCEPT)).hasSize(i);
        }
        h.refusals.clear();
        return p;
    }

    @Test
    void fiveHundredsFromTheMasterDoNotBackTheTemplateOff() {
        PlannedAgent p = refusedThreeTimes(503, "Master has not finished recovery");
        h.engine.onEvent(offers(offer("o4", "h1", 4, 4096).build()));
        assertThat(h.calls(Call.Type.ACCEPT)).hasSize(4);
        h.engine.onEvent(update(p.name(), "h1", TaskState.TASK_RUNNING));
        assertThat(p.running()).isCompleted();
    }

    @Test
    void aMasterThatNoLongerLeadsDoesNotBackTheTemplateOff() {
        PlannedAgent p = refusedThreeTimes(307, "");
        h.engine.onEvent(offers(offer("o4", "h1", 4, 4096).build()));
        assertThat(h.calls(Call.Type.ACCEPT)).hasSize(4);
        h.engine.onEvent(update(p.name(), "h1", TaskState.TASK_RUNNING));
        assertThat(p.running()).isCompleted();
    }

    @Test
    void theMasterRefusingTheTaskItselfStillBacksOff() {
        PlannedAgent p = refusedThreeTimes(400, "Failed to validate scheduler::Call");
        h.engine.onEvent(offers(offer("o4", "h1", 4, 4096).build()));
        assertThat(h.calls(Call.Type.ACCEPT)).hasSize(3);
        assertThat(p.running()).isNotDone();
        assertThat(h.engine.snapshot().templates().get("linux").waiting().detail())
                .contains("backing off until", "3 consecutive launch failures", "HTTP 400");
    }
}
