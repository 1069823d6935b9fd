package io.jenkins.plugins.mesosagents.engine;

import static io.jenkins.plugins.mesosagents.engine.MesosFixtures.offer;
import static io.jenkins.plugins.mesosagents.engine.MesosFixtures.offers;
import static io.jenkins.plugins.mesosagents.engine.MesosFixtures.subscribed;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

/**
 * Agents a Jenkins cloud admits are held out of offer matching until their node exists: Jenkins
 * adds a provisioned node only at NodeProvisioner's next update() (jenkins-2.479.3
 * core/src/main/java/hudson/slaves/NodeProvisioner.java:226-248, the planned node's future is read
 * and {@code jenkins.addNode(node)} called there), and an inbound agent connecting to a node that
 * does not exist yet is refused and does not retry.
 */
class NodeReadyTest {
    private EngineHarness h;

    @BeforeEach
    void subscribe() {
        h = new EngineHarness(EngineHarness.config().build());
        h.engine.setTemplates(
                List.of(AgentTemplate.builder("linux").cpus(1).memMb(1024).instanceCap(2).build()));
        h.engine.onEvent(subscribed());
        h.drain();
    }

    private List<PlannedAgent> provisionHeld(int count) {
        return h.engine.provision("linux", count, h.namer(), true).join();
    }

    private static List<String> launchedNames(List<Call> calls) {
        return calls.stream()
                .filter(c -> c.getType() == Call.Type.ACCEPT)
                .flatMap(c -> c.getAccept().getOperationsList().stream())
                .flatMap(op -> op.getLaunch().getTaskInfosList().stream())
                .map(TaskInfo::getTaskId)
                .map(id -> id.getValue())
                .toList();
    }

    @Test
    void aHeldAgentCountsAgainstTheCapsButLaunchesOnlyOnceItsNodeIsReady() {
        List<PlannedAgent> planned = provisionHeld(2);
        assertThat(planned).hasSize(2);
        assertThat(provisionHeld(1)).as("held agents count against the instance cap").isEmpty();

        h.engine.onEvent(offers(offer("o1", "h1", 4, 4096).build()));
        assertThat(launchedNames(h.calls)).as("no node yet: no task").isEmpty();

        h.engine.nodeReady(planned.get(1).name());
        assertThat(launchedNames(h.drain()))
                .as("a held offer serves the agent as soon as its node exists")
                .containsExactly(planned.get(1).name());

        h.engine.onEvent(offers(offer("o2", "h1", 4, 4096).build()));
        assertThat(launchedNames(h.drain())).isEmpty();
        h.engine.nodeReady(planned.get(0).name());
        assertThat(launchedNames(h.drain())).containsExactly(planned.get(0).name());
    }

    @Test
    void aHeldAgentWhoseNodeNeverAppearsFailsAtTheLaunchTimeoutAndReleaseCancelsIt() {
        List<PlannedAgent> planned = provisionHeld(2);
        h.engine.release(planned.get(0).name());
        assertThat(planned.get(0).running()).isCompletedExceptionally();

        h.advance(AgentTemplate.DEFAULT_LAUNCH_TIMEOUT.plus(Duration.ofSeconds(1)));
        assertThat(planned.get(1).running()).isCompletedExceptionally();
        assertThat(h.calls(Call.Type.ACCEPT)).isEmpty();
        assertThat(h.engine.snapshot().pendingAgents()).isZero();
    }

    @Test
    void provisionWithoutHoldingLaunchesAtOnceAsBefore() {
        List<PlannedAgent> planned = h.provision("linux", 1);
        h.engine.onEvent(offers(offer("o1", "h1", 4, 4096).build()));
        assertThat(launchedNames(h.calls)).containsExactly(planned.get(0).name());
    }
}
