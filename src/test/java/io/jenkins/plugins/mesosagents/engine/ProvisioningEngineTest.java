package io.jenkins.plugins.mesosagents.engine;

import static io.jenkins.plugins.mesosagents.engine.MesosFixtures.offer;
import static io.jenkins.plugins.mesosagents.engine.MesosFixtures.offers;
import static io.jenkins.plugins.mesosagents.engine.MesosFixtures.subscribed;
import static io.jenkins.plugins.mesosagents.engine.MesosFixtures.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;

class ProvisioningEngineTest {
    private EngineHarness h;
    private final AgentTemplate linux =
            AgentTemplate.builder("linux")
                    .cpus(1)
                    .memMb(1024)
                    .launchTimeout(Duration.ofMinutes(2))
                    .build();

    @BeforeEach
    void subscribe() {
        h = new EngineHarness(EngineHarness.config().build());
        h.engine.setTemplates(List.of(linux));
        h.engine.onEvent(subscribed());
    }

    private static List<TaskInfo> launched(List<Call> calls) {
        return calls.stream()
                .filter(c -> c.getType() == Call.Type.ACCEPT)
                .flatMap(c -> c.getAccept().getOperationsList().stream())
                .flatMap(op -> op.getLaunch().getTaskInfosList().stream())
                .toList();
    }

    @Test
    void subscribingStartsReconciliationAndSuppressesWithoutDemand() {
        assertThat(h.calls)
                .extracting(Call::getType)
                .containsExactly(Call.Type.RECONCILE, Call.Type.SUPPRESS);
        assertThat(h.calls.get(0).getReconcile().getTasksCount()).isZero();
        assertThat(h.calls)
                .allSatisfy(c -> assertThat(c.getFrameworkId().getValue()).isEqualTo("fw-1"));
        assertThat(h.store.state.frameworkId()).isEqualTo("fw-1");
        assertThat(h.engine.frameworkId()).contains("fw-1");
    }

    /**
     * The connection re-subscribes with the roles it last suppressed (SUBSCRIBE's suppressed_roles,
     * master.cpp 1.11.0 L2706-2708), so after a failover the master may still hold back offers: a
     * build queued while the stream was down must send a REVIVE once subscribed again.
     */
    @Test
    void demandQueuedWhileDisconnectedRevivesAfterResubscribing() {
        assertThat(h.drain()).extracting(Call::getType).endsWith(Call.Type.SUPPRESS);
        h.engine.onDisconnected();
        h.provision("linux", 1);
        assertThat(h.drain()).isEmpty();
        h.engine.onEvent(subscribed());
        assertThat(h.drain()).extracting(Call::getType).contains(Call.Type.REVIVE);
    }

    @Test
    void demandRevivesThenManyAgentsLaunchFromOneOfferAndCompleteWhenRunning() {
        h.drain();
        List<PlannedAgent> planned = h.provision("linux", 3);
        assertThat(planned).hasSize(3);
        assertThat(h.drain()).extracting(Call::getType).containsExactly(Call.Type.REVIVE);

        h.engine.onEvent(offers(offer("o1", "h1", 4, 4096).build()));
        List<Call> calls = h.drain();
        assertThat(calls.stream().filter(c -> c.getType() == Call.Type.ACCEPT)).hasSize(1);
        assertThat(launched(calls))
                .extracting(t -> t.getTaskId().getValue())
                .containsExactly(
                        planned.get(0).name(), planned.get(1).name(), planned.get(2).name());
        assertThat(calls).extracting(Call::getType).endsWith(Call.Type.SUPPRESS);
        assertThat(planned).allSatisfy(p -> assertThat(p.running()).isNotDone());

        h.engine.onEvent(update(planned.get(0).name(), "h1", TaskState.TASK_STARTING));
        h.engine.onEvent(update(planned.get(0).name(), "h1", TaskState.TASK_RUNNING));
        LaunchedAgent agent = planned.get(0).running().join();
        assertThat(agent.hostname()).isEqualTo("h1");
        assertThat(agent.mesosAgentId()).isEqualTo("agent-h1");
        assertThat(h.engine.snapshot().templates().get("linux").running()).isEqualTo(1);
        assertThat(h.engine.snapshot().templates().get("linux").launching()).isEqualTo(2);
    }

    @Test
    void updatesAreIdempotentAndOnlyUuidUpdatesAreAcknowledged() {
        List<PlannedAgent> planned = h.provision("linux", 1);
        h.engine.onEvent(offers(offer("o1", "h1", 4, 4096).build()));
        String id = planned.get(0).name();
        h.drain();

        var running = update(id, "h1", TaskState.TASK_RUNNING);
        h.engine.onEvent(running);
        h.engine.onEvent(running); // at-least-once redelivery
        h.engine.onEvent(update(id, "h1", TaskState.TASK_STARTING)); // stale, arrives late
        assertThat(h.calls(Call.Type.ACKNOWLEDGE)).hasSize(3);
        assertThat(h.calls(Call.Type.ACKNOWLEDGE).get(0).getAcknowledge().getUuid())
                .isEqualTo(running.getUpdate().getStatus().getUuid());
        assertThat(h.engine.snapshot().templates().get("linux").running()).isEqualTo(1);
        assertThat(h.store.state.tasks())
                .singleElement()
                .satisfies(t -> assertThat(t.state()).isEqualTo("TASK_RUNNING"));

        h.drain();
        h.engine.onEvent(
                MesosFixtures.masterUpdate(
                        id,
                        "h1",
                        TaskState.TASK_RUNNING,
                        org.apache.mesos.v1.Protos.TaskStatus.Reason.REASON_RECONCILIATION));
        assertThat(h.calls(Call.Type.ACKNOWLEDGE)).isEmpty();
        assertThat(h.jenkins.lost).isEmpty();
    }

    @Test
    void taskEndingBeforeRunningFailsThePlannedAgentWithTheReason() {
        List<PlannedAgent> planned = h.provision("linux", 1);
        h.engine.onEvent(offers(offer("o1", "h1", 4, 4096).build()));
        h.engine.onEvent(
                update(
                        MesosFixtures.status(planned.get(0).name(), "h1", TaskState.TASK_FAILED)
                                .setReason(
                                        org.apache.mesos.v1.Protos.TaskStatus.Reason
                                                .REASON_CONTAINER_LAUNCH_FAILED)
                                .setMessage("image not found")));
        assertThatThrownBy(() -> planned.get(0).running().join())
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(LaunchFailedException.class)
                .hasMessageContaining(
                        "TASK_FAILED (REASON_CONTAINER_LAUNCH_FAILED): image not found");
        assertThat(((LaunchFailedException) catchCause(planned.get(0))).failure())
                .isEqualTo(LaunchFailedException.Cause.TASK_FAILED);
        assertThat(h.store.state.tasks()).isEmpty();
    }

    private static Throwable catchCause(PlannedAgent p) {
        try {
            p.running().join();
            return null;
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    @Test
    void launchTimeoutKillsTheTaskAndFailsTheAgent() {
        List<PlannedAgent> planned = h.provision("linux", 1);
        h.engine.onEvent(offers(offer("o1", "h1", 4, 4096).build()));
        h.engine.onEvent(update(planned.get(0).name(), "h1", TaskState.TASK_STAGING));
        h.drain();
        h.advance(Duration.ofSeconds(119));
        assertThat(planned.get(0).running()).isNotDone();
        h.advance(Duration.ofSeconds(1));
        assertThat(h.calls(Call.Type.KILL))
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.getKill().getTaskId().getValue())
                                    .isEqualTo(planned.get(0).name());
                            assertThat(c.getKill().getAgentId().getValue()).isEqualTo("agent-h1");
                        });
        assertThat(((LaunchFailedException) catchCause(planned.get(0))).failure())
                .isEqualTo(LaunchFailedException.Cause.LAUNCH_TIMEOUT);
        // the KILLED update that follows is expected: nothing reported to Jenkins
        h.engine.onEvent(update(planned.get(0).name(), "h1", TaskState.TASK_KILLED));
        assertThat(h.jenkins.lost).isEmpty();
        assertThat(h.engine.snapshot().trackedTasks()).isZero();
    }

    @Test
    void agentsWithoutAFittingOfferFailAtTheLaunchTimeoutWithTheDiagnosis() {
        List<PlannedAgent> planned = h.provision("linux", 1);
        h.engine.onEvent(offers(offer("o1", "h1", 0.5, 4096).build()));
        assertThat(h.calls(Call.Type.DECLINE))
                .singleElement()
                .satisfies(
                        c ->
                                assertThat(c.getDecline().getFilters().getRefuseSeconds())
                                        .isEqualTo(5.0));
        TemplateStatus status = h.engine.snapshot().templates().get("linux");
        assertThat(status.waiting().reason()).isEqualTo(WaitReason.INSUFFICIENT_CPUS);
        h.advance(Duration.ofMinutes(2));
        Throwable cause = catchCause(planned.get(0));
        assertThat(((LaunchFailedException) cause).failure())
                .isEqualTo(LaunchFailedException.Cause.NO_MATCHING_OFFER);
        assertThat(cause.getMessage()).contains("needs 1 cpus", "had 0.5 (h1)");
        assertThat(h.engine.snapshot().pendingAgents()).isZero();
    }

    @Test
    void crashLoopBacksTheTemplateOffAndSurfacesTheReason() {
        for (int i = 0; i < 3; i++) {
            List<PlannedAgent> p = h.provision("linux", 1);
            h.engine.onEvent(offers(offer("o" + i, "h1", 4, 4096).build()));
            h.engine.onEvent(
                    update(
                            MesosFixtures.status(p.get(0).name(), "h1", TaskState.TASK_FAILED)
                                    .setMessage("java: not found")));
        }
        h.drain();
        List<PlannedAgent> next = h.provision("linux", 1);
        h.engine.onEvent(offers(offer("o9", "h1", 4, 4096).build()));
        assertThat(h.calls(Call.Type.ACCEPT)).isEmpty();
        TemplateStatus status = h.engine.snapshot().templates().get("linux");
        assertThat(status.consecutiveFailures()).isEqualTo(3);
        assertThat(status.lastFailure()).contains("java: not found");
        assertThat(status.waiting().reason()).isEqualTo(WaitReason.BACKING_OFF);
        assertThat(status.waiting().detail())
                .contains("3 consecutive launch failures", "java: not found");

        h.advance(Duration.ofSeconds(3)); // held offer expires while backing off
        h.drain();
        h.advance(Duration.ofSeconds(30)); // back-off over: revive and launch on the next offer
        assertThat(h.calls(Call.Type.REVIVE)).hasSize(1);
        h.engine.onEvent(offers(offer("o10", "h1", 4, 4096).build()));
        assertThat(launched(h.calls))
                .extracting(t -> t.getTaskId().getValue())
                .containsExactly(next.get(0).name());
        h.engine.onEvent(update(next.get(0).name(), "h1", TaskState.TASK_RUNNING));
        assertThat(h.engine.snapshot().templates().get("linux").consecutiveFailures()).isZero();
    }

    @Test
    void capsNeverOverProvision() {
        h = new EngineHarness(EngineHarness.config().caps(5, 3.5, 0).build());
        h.engine.setTemplates(
                List.of(
                        linux,
                        AgentTemplate.builder("capped")
                                .instanceCap(2)
                                .cpus(0.5)
                                .memMb(512)
                                .build()));
        h.engine.onEvent(subscribed());
        assertThat(h.engine.snapshot().templates().get("capped").admissible()).isEqualTo(2);
        assertThat(h.provision("capped", 5)).hasSize(2);
        assertThat(h.engine.snapshot().templates().get("capped").admissible()).isZero();
        assertThat(h.engine.snapshot().templates().get("linux").admissible()).isEqualTo(2);
        assertThat(h.engine.snapshot().templates().get("capped").waiting().reason())
                .isEqualTo(WaitReason.CAP_REACHED);
        assertThat(h.engine.snapshot().templates().get("capped").waiting().detail())
                .contains("template instance cap 2 reached");
        // 1 cpu used by the two capped agents: 2.5 left -> two more linux agents
        assertThat(h.provision("linux", 5)).hasSize(2);
        assertThat(h.engine.snapshot().templates().get("linux").waiting().detail())
                .contains("cloud cpu cap 3.5");
        h.engine.onEvent(offers(offer("o1", "h1", 16, 16384).build()));
        assertThat(launched(h.calls)).hasSize(4);
        assertThat(h.provision("linux", 1)).isEmpty();
    }

    @Test
    void heldOffersServeNewDemandAtOnceAndAreDeclinedLongAfterTheHoldTime() {
        h.engine.onEvent(offers(offer("o1", "h1", 4, 4096).build()));
        h.drain();
        h.provision("linux", 1);
        assertThat(launched(h.calls)).hasSize(1); // no REVIVE round trip needed
        h.engine.onEvent(offers(offer("o2", "h2", 4, 4096).build()));
        h.drain();
        h.advance(Duration.ofSeconds(1));
        assertThat(h.calls(Call.Type.DECLINE)).isEmpty();
        h.advance(Duration.ofSeconds(1));
        assertThat(h.calls(Call.Type.DECLINE))
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.getDecline().getOfferIds(0).getValue()).isEqualTo("o2");
                            assertThat(c.getDecline().getFilters().getRefuseSeconds())
                                    .isEqualTo(600.0);
                        });
    }

    @Test
    void rescindedOffersAreNeverUsed() {
        h.engine.onEvent(offers(offer("o1", "h1", 4, 4096).build()));
        h.engine.onEvent(MesosFixtures.rescind("o1"));
        h.drain();
        h.provision("linux", 1);
        assertThat(h.calls(Call.Type.ACCEPT)).isEmpty();
        h.advance(Duration.ofSeconds(5));
        assertThat(h.calls(Call.Type.DECLINE)).isEmpty();
    }

    @Test
    void reviveIsDebounced() {
        h.drain();
        h.provision("linux", 1);
        h.provision("linux", 1);
        assertThat(h.calls(Call.Type.REVIVE)).hasSize(1);
        h.advance(Duration.ofMillis(500));
        h.provision("linux", 1);
        assertThat(h.calls(Call.Type.REVIVE)).hasSize(1);
        h.advance(Duration.ofMillis(500));
        assertThat(h.calls(Call.Type.REVIVE)).hasSize(2);
    }

    @Test
    void releaseKillsTheTaskQuietlyAndCancelsPendingAgents() {
        List<PlannedAgent> planned = h.provision("linux", 2);
        h.engine.onEvent(offers(offer("o1", "h1", 1, 4096).build()));
        String launchedName = planned.get(0).name();
        h.engine.onEvent(update(launchedName, "h1", TaskState.TASK_RUNNING));
        h.drain();
        h.engine.release(planned.get(1).name());
        assertThat(((LaunchFailedException) catchCause(planned.get(1))).failure())
                .isEqualTo(LaunchFailedException.Cause.CANCELLED);
        h.engine.release(launchedName);
        h.engine.release(launchedName);
        assertThat(h.calls(Call.Type.KILL)).hasSize(1);
        h.engine.onEvent(update(launchedName, "h1", TaskState.TASK_KILLED));
        assertThat(h.jenkins.lost).isEmpty();
        assertThat(h.engine.snapshot().trackedTasks()).isZero();
    }

    @Test
    void runningAgentWhoseTaskDiesIsReportedLost() {
        List<PlannedAgent> planned = h.provision("linux", 1);
        h.engine.onEvent(offers(offer("o1", "h1", 4, 4096).build()));
        h.engine.onEvent(update(planned.get(0).name(), "h1", TaskState.TASK_RUNNING));
        h.engine.onEvent(
                MesosFixtures.masterUpdate(
                        planned.get(0).name(),
                        "h1",
                        TaskState.TASK_LOST,
                        org.apache.mesos.v1.Protos.TaskStatus.Reason.REASON_AGENT_REMOVED));
        assertThat(h.jenkins.lost)
                .singleElement()
                .asString()
                .contains(planned.get(0).name(), "TASK_LOST", "REASON_AGENT_REMOVED");
    }

    @Test
    void unknownTemplateIsAnErrorAndSecretsNeverReachCallsOutsideTheEnvironment() {
        assertThatThrownBy(() -> h.provision("nope", 1))
                .hasCauseInstanceOf(LaunchFailedException.class)
                .hasMessageContaining("No agent template named 'nope'");
        h.provision("linux", 1);
        h.engine.onEvent(offers(offer("o1", "h1", 4, 4096).build()));
        for (TaskInfo t : launched(h.calls)) {
            assertThat(t.getCommand().getValue()).doesNotContain(EngineHarness.SECRET);
            assertThat(t.getLabels().toString()).doesNotContain(EngineHarness.SECRET);
        }
        assertThat(h.engine.snapshot().toString()).doesNotContain(EngineHarness.SECRET);
    }

    @Test
    void inverseOffersDrainAgentsAndAreAcceptedOnceTheHostIsFree() {
        List<PlannedAgent> planned = h.provision("linux", 1);
        h.engine.onEvent(offers(offer("o1", "h1", 4, 4096).build()));
        h.engine.onEvent(update(planned.get(0).name(), "h1", TaskState.TASK_RUNNING));
        h.drain();
        h.engine.onEvent(MesosFixtures.inverseOffer("io1", "h1"));
        assertThat(h.jenkins.draining).containsExactly(planned.get(0).name());
        assertThat(h.calls(Call.Type.ACCEPT_INVERSE_OFFERS)).isEmpty();
        // no new agent goes to the draining host
        h.provision("linux", 1);
        h.engine.onEvent(offers(offer("o2", "h1", 4, 4096).build()));
        assertThat(h.calls(Call.Type.ACCEPT)).isEmpty();
        assertThat(h.engine.snapshot().templates().get("linux").waiting().reason())
                .isEqualTo(WaitReason.AGENT_DRAINING);
        // Jenkins releases the idle agent; once its task is gone the maintenance is accepted
        h.engine.release(planned.get(0).name());
        h.engine.onEvent(update(planned.get(0).name(), "h1", TaskState.TASK_KILLED));
        assertThat(h.calls(Call.Type.ACCEPT_INVERSE_OFFERS))
                .singleElement()
                .satisfies(
                        c ->
                                assertThat(
                                                c.getAcceptInverseOffers()
                                                        .getInverseOfferIds(0)
                                                        .getValue())
                                        .isEqualTo("io1"));
    }

    @Test
    void stateSavesAreCoalescedDuringBurstsAndFlushedByTheNextTick() {
        h =
                new EngineHarness(
                        EngineHarness.config().persistInterval(Duration.ofSeconds(1)).build());
        h.engine.setTemplates(List.of(linux));
        h.engine.onEvent(subscribed());
        int saves = h.store.saves;
        List<PlannedAgent> planned = h.provision("linux", 4);
        h.engine.onEvent(offers(offer("o1", "h1", 4, 4096).build()));
        for (PlannedAgent p : planned) {
            h.engine.onEvent(update(p.name(), "h1", TaskState.TASK_RUNNING));
        }
        assertThat(h.store.saves).isEqualTo(saves); // within the interval of the SUBSCRIBED save
        h.advance(Duration.ofSeconds(1));
        assertThat(h.store.saves).isEqualTo(saves + 1);
        assertThat(h.store.state.tasks())
                .hasSize(4)
                .allSatisfy(t -> assertThat(t.state()).isEqualTo("TASK_RUNNING"));
    }

    @Test
    void unreachableTaskMayComeBackAndStaleStatesAreIgnored() {
        List<PlannedAgent> planned = h.provision("linux", 1);
        h.engine.onEvent(offers(offer("o1", "h1", 4, 4096).build()));
        String id = planned.get(0).name();
        h.engine.onEvent(update(id, "h1", TaskState.TASK_RUNNING));
        h.engine.onEvent(update(id, "h1", TaskState.TASK_UNREACHABLE));
        h.engine.onEvent(update(id, "h1", TaskState.TASK_RUNNING));
        assertThat(h.store.state.tasks())
                .singleElement()
                .satisfies(t -> assertThat(t.state()).isEqualTo("TASK_RUNNING"));
        h.engine.onEvent(update(id, "h1", TaskState.TASK_KILLING));
        h.engine.onEvent(update(id, "h1", TaskState.TASK_RUNNING)); // older than KILLING: ignored
        assertThat(h.engine.task(id).join())
                .hasValueSatisfying(t -> assertThat(t.state()).isEqualTo("TASK_KILLING"));
        assertThat(h.jenkins.lost).isEmpty();
    }

    @Test
    void killsRequestedWhileDisconnectedAreSentAfterResubscribing() {
        List<PlannedAgent> planned = h.provision("linux", 1);
        h.engine.onEvent(offers(offer("o1", "h1", 4, 4096).build()));
        h.engine.onEvent(update(planned.get(0).name(), "h1", TaskState.TASK_RUNNING));
        h.engine.onDisconnected();
        h.drain();
        h.engine.release(planned.get(0).name());
        assertThat(h.calls).isEmpty(); // nothing can be sent without a subscription
        h.engine.onEvent(subscribed());
        assertThat(h.calls(Call.Type.KILL))
                .singleElement()
                .satisfies(
                        c ->
                                assertThat(c.getKill().getTaskId().getValue())
                                        .isEqualTo(planned.get(0).name()));
    }

    @Test
    void removingATemplateCancelsItsWaitingAgents() {
        List<PlannedAgent> planned = h.provision("linux", 2);
        h.engine.setTemplates(List.of());
        assertThat(planned)
                .allSatisfy(
                        p ->
                                assertThat(((LaunchFailedException) catchCause(p)).failure())
                                        .isEqualTo(LaunchFailedException.Cause.CANCELLED));
        assertThat(h.engine.snapshot().pendingAgents()).isZero();
    }

    @Test
    void frameworkRequirementsFollowTheTemplates() {
        AgentTemplate gpu = AgentTemplate.builder("gpu").gpus(1).role("ml").build();
        AgentTemplate remote =
                AgentTemplate.builder("remote").faultDomain(FaultDomainPlacement.ANYWHERE).build();
        assertThat(ProvisioningEngine.requiredCapabilities(List.of(linux)))
                .containsExactly(
                        org.apache.mesos.v1.Protos.FrameworkInfo.Capability.Type.MULTI_ROLE,
                        org.apache.mesos.v1.Protos.FrameworkInfo.Capability.Type
                                .TASK_KILLING_STATE);
        assertThat(ProvisioningEngine.requiredCapabilities(List.of(linux, gpu, remote)))
                .contains(
                        org.apache.mesos.v1.Protos.FrameworkInfo.Capability.Type.GPU_RESOURCES,
                        org.apache.mesos.v1.Protos.FrameworkInfo.Capability.Type.REGION_AWARE);
        assertThat(ProvisioningEngine.roles(List.of(linux, gpu, remote)))
                .containsExactly("*", "ml");
    }
}
