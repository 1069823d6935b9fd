package io.jenkins.plugins.mesosagents.engine;

import static io.jenkins.plugins.mesosagents.engine.MesosFixtures.offer;
import static io.jenkins.plugins.mesosagents.engine.MesosFixtures.offers;
import static io.jenkins.plugins.mesosagents.engine.MesosFixtures.status;
import static io.jenkins.plugins.mesosagents.engine.MesosFixtures.subscribed;
import static io.jenkins.plugins.mesosagents.engine.MesosFixtures.update;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

/**
 * The engine believes a call took effect only when the master accepted it: refused or unanswered
 * SUPPRESS, REVIVE, KILL, RECONCILE, DECLINE and ACCEPT leave its picture as it was, are retried
 * with backoff, and are what waiting agents are told.
 */
class CallOutcomeTest {
    private final AgentTemplate linux = AgentTemplate.builder("linux").cpus(1).memMb(1024).build();
    private EngineHarness h;

    @BeforeEach
    void subscribe() {
        h = new EngineHarness(EngineHarness.config().build());
        h.engine.setTemplates(List.of(linux));
        h.engine.onEvent(subscribed());
    }

    /** Advances the clock a second at a time, ticking each time, as the session's ticker does. */
    private void run(Duration total) {
        for (long s = 0; s < total.toSeconds(); s++) {
            h.advance(Duration.ofSeconds(1));
        }
    }

    private String waiting() {
        WaitDiagnosis d = h.engine.snapshot().templates().get("linux").waiting();
        return d == null ? "" : d.reason() + ": " + d.detail();
    }

    @Test
    void aRefusedSuppressLeavesOffersFlowingAndIsRetried() {
        h.refuse(Call.Type.SUPPRESS, 400, "nope");
        h.engine.onEvent(subscribed()); // a new subscription: suppression starts over
        assertThat(h.engine.snapshot().suppressed()).isFalse();
        int tries = h.calls(Call.Type.SUPPRESS).size();
        run(Duration.ofSeconds(20));
        assertThat(h.calls(Call.Type.SUPPRESS).size()).isGreaterThan(tries + 1);
        assertThat(h.engine.snapshot().suppressed()).isFalse();
        h.refusals.clear();
        run(Duration.ofSeconds(20));
        assertThat(h.engine.snapshot().suppressed()).isTrue();
    }

    @Test
    void aRefusedReviveIsExplainedToWaitingAgentsAndRetried() {
        h.advance(Duration.ofSeconds(1));
        assertThat(h.engine.snapshot().suppressed()).isTrue();
        h.refuse(Call.Type.REVIVE, 400, "bad role");
        h.drain();

        h.provision("linux", 1);
        assertThat(h.calls(Call.Type.REVIVE)).hasSize(1);
        assertThat(h.engine.snapshot().suppressed()).isTrue();
        assertThat(waiting())
                .startsWith("MESOS_CALL_FAILED: REVIVE refused by the master: HTTP 400 bad role")
                .containsPattern("retrying in [0-9.]+ s");
        run(Duration.ofSeconds(20));
        assertThat(h.calls(Call.Type.REVIVE).size()).isBetween(3, 12);

        h.refusals.clear();
        run(Duration.ofSeconds(20));
        assertThat(h.engine.snapshot().suppressed()).isFalse();
        assertThat(waiting()).doesNotContain("REVIVE refused");
    }

    @Test
    void aKillIsRepeatedUntilATerminalUpdateAndARefusalIsShown() {
        h.engine.onEvent(offers(offer("o1", "h1", 4, 4096).build()));
        PlannedAgent p = h.provision("linux", 1).get(0);
        h.engine.onEvent(update(p.name(), "h1", TaskState.TASK_RUNNING));
        h.refuse(Call.Type.KILL, 503, "Master has not finished recovery");
        h.drain();

        h.engine.release(p.name());
        assertThat(h.calls(Call.Type.KILL)).hasSize(1);
        AgentTask task = h.engine.task(p.name()).join().orElseThrow();
        assertThat(task.killProblem()).contains("KILL refused by the master: HTTP 503");
        assertThat(h.engine.snapshot().unkillable())
                .singleElement()
                .asString()
                .contains(p.name(), "cannot be killed yet", "HTTP 503");
        run(Duration.ofSeconds(30));
        int refused = h.calls(Call.Type.KILL).size();
        assertThat(refused).isBetween(4, 15); // backoff, not a hot loop
        assertThat(h.engine.snapshot().trackedTasks())
                .as("still counts against the caps")
                .isEqualTo(1);
        assertThat(h.jenkins.notes) // once in the agent's log, not per retry
                .singleElement()
                .asString()
                .contains(p.name(), "cannot be killed: KILL refused by the master: HTTP 503");

        // accepted but dropped silently (a new leader that does not know the task yet): again
        h.refusals.clear();
        run(Duration.ofSeconds(30));
        assertThat(h.calls(Call.Type.KILL).size()).isGreaterThan(refused + 1);
        assertThat(h.engine.snapshot().unkillable()).isEmpty();
        // a non-terminal update of a task being killed re-kills at once
        int before = h.calls(Call.Type.KILL).size();
        h.engine.onEvent(update(p.name(), "h1", TaskState.TASK_RUNNING));
        assertThat(h.calls(Call.Type.KILL)).hasSize(before + 1);

        h.engine.onEvent(update(p.name(), "h1", TaskState.TASK_KILLED));
        int last = h.calls(Call.Type.KILL).size();
        run(Duration.ofMinutes(2));
        assertThat(h.calls(Call.Type.KILL)).hasSize(last);
        assertThat(h.engine.snapshot().trackedTasks()).isZero();
    }

    @Test
    void reconciliationIsOnlyConcludedFromAcceptedCalls() {
        h.refuse(Call.Type.RECONCILE, 400, "refused");
        h.engine.onEvent(subscribed()); // a new round, refused
        h.jenkins.names.add("ghost");
        h.advance(Duration.ofMinutes(5));
        assertThat(h.jenkins.lost).isEmpty();
        assertThat(h.engine.snapshot().reconciling()).isTrue();

        h.refusals.clear();
        h.advance(Duration.ofMinutes(1));
        h.advance(Duration.ofMinutes(1));
        assertThat(h.jenkins.lost)
                .singleElement()
                .asString()
                .contains("ghost", "not found by reconciliation");
    }

    @Test
    void aRefusedAcceptQueuesTheAgentAgainAndGivesTheOfferBack() {
        h.refuse(Call.Type.ACCEPT, 400, "Failed to validate");
        h.engine.onEvent(offers(offer("o1", "h1", 4, 4096).build()));
        PlannedAgent p = h.provision("linux", 1).get(0);

        assertThat(h.calls(Call.Type.ACCEPT)).hasSize(1);
        assertThat(h.engine.snapshot().trackedTasks()).isZero();
        assertThat(h.engine.snapshot().pendingAgents()).isEqualTo(1);
        assertThat(h.calls(Call.Type.DECLINE))
                .anySatisfy(
                        d -> assertThat(d.getDecline().getOfferIds(0).getValue()).isEqualTo("o1"));
        assertThat(waiting()).contains("ACCEPT refused by the master: HTTP 400");

        h.refusals.clear();
        h.engine.onEvent(offers(offer("o2", "h1", 4, 4096).build()));
        assertThat(h.calls(Call.Type.ACCEPT)).hasSize(2);
        h.engine.onEvent(update(p.name(), "h1", TaskState.TASK_RUNNING));
        assertThat(p.running()).isCompleted();
    }

    @Test
    void anUnansweredAcceptIsReconciledAndRelaunchedOnlyWhenMesosDoesNotKnowTheTask() {
        h.refuse(Call.Type.ACCEPT, 0, "timeout");
        h.engine.onEvent(offers(offer("o1", "h1", 4, 4096).build()));
        h.drain();
        PlannedAgent p = h.provision("linux", 1).get(0);
        assertReconcileNamed(p.name());
        assertThat(h.engine.snapshot().pendingAgents()).isZero();

        // reconciliation: Mesos never heard of it, so it is launched again, not failed
        h.engine.onEvent(
                update(
                        status(p.name(), "h1", TaskState.TASK_LOST)
                                .setReason(TaskStatus.Reason.REASON_RECONCILIATION)
                                .clearUuid()));
        assertThat(p.running()).isNotDone();
        assertThat(h.engine.snapshot().pendingAgents()).isEqualTo(1);
        h.refusals.clear();
        h.engine.onEvent(offers(offer("o2", "h1", 4, 4096).build()));
        h.engine.onEvent(update(p.name(), "h1", TaskState.TASK_RUNNING));
        assertThat(p.running()).isCompleted();
    }

    /**
     * A 202 only says the master took the ACCEPT; a master that then loses it (it failed over
     * before persisting anything, or dropped the call) does not know the task, and explicit
     * reconciliation answers "Task is unknown" (master.cpp 1.11.0 L9029-9130; it waits instead
     * while the task's agent has not re-registered). A task that never had an update never ran:
     * launch it again instead of failing the build's agent. A task that did start is not.
     */
    @Test
    void anAcceptedLaunchMesosNeverHeardOfIsLaunchedAgain() {
        h.engine.onEvent(offers(offer("o1", "h1", 4, 4096).build()));
        h.drain();
        PlannedAgent lost = h.provision("linux", 1).get(0);
        assertThat(h.calls(Call.Type.ACCEPT)).hasSize(1);
        unknownToReconciliation(lost.name(), "Reconciliation: Task is unknown");
        assertThat(lost.running()).isNotDone();
        assertThat(h.engine.snapshot().pendingAgents()).isEqualTo(1);
        h.engine.onEvent(offers(offer("o2", "h1", 4, 4096).build()));
        assertThat(h.calls(Call.Type.ACCEPT)).hasSize(2);
        h.engine.onEvent(update(lost.name(), "h1", TaskState.TASK_RUNNING));
        assertThat(lost.running()).isCompleted();

        PlannedAgent started = h.provision("linux", 1).get(0);
        h.engine.onEvent(offers(offer("o3", "h1", 4, 4096).build()));
        h.engine.onEvent(update(started.name(), "h1", TaskState.TASK_STARTING));
        unknownToReconciliation(started.name(), "Reconciliation: Task is unknown to the agent");
        assertThat(started.running()).isCompletedExceptionally();
        assertThat(h.engine.snapshot().pendingAgents()).isZero();
    }

    /**
     * A RECONCILE sent while the ACCEPT is still unanswered travels on another connection and may
     * reach the master first: its "Task is unknown" says nothing about the launch, which the ACCEPT
     * may still make. Launching again could start the same task id twice, so the agent fails with
     * Mesos' reason instead.
     */
    @Test
    void anUnknownAnswerToAReconcileThatMayHaveOvertakenTheAcceptIsNotALaunchAgain() {
        h =
                new EngineHarness(
                        EngineHarness.config().reconcileInterval(Duration.ofSeconds(30)).build());
        h.engine.setTemplates(List.of(linux));
        h.engine.onEvent(subscribed());
        h.holding.add(Call.Type.ACCEPT);
        h.engine.onEvent(offers(offer("o1", "h1", 4, 4096).build()));
        h.drain();
        PlannedAgent p = h.provision("linux", 1).get(0);
        assertThat(h.calls(Call.Type.ACCEPT)).hasSize(1);
        run(Duration.ofSeconds(31)); // a periodic reconciliation round names the task
        assertThat(p.running()).isNotDone();
        assertReconcileNamed(p.name());
        h.heldAnswers.forEach(answer -> answer.complete(null)); // 202
        unknownToReconciliation(p.name(), "Reconciliation: Task is unknown");
        assertThat(p.running()).isCompletedExceptionally();
        assertThat(h.engine.snapshot().pendingAgents()).isZero();
    }

    /**
     * Reconciliation's answer for a task the master does not know (master.cpp 1.11.0 L9029-9130).
     */
    private void unknownToReconciliation(String task, String message) {
        h.engine.onEvent(
                update(
                        status(task, "h1", TaskState.TASK_LOST)
                                .setReason(TaskStatus.Reason.REASON_RECONCILIATION)
                                .setMessage(message)
                                .clearUuid()));
    }

    private void assertReconcileNamed(String task) {
        assertThat(h.calls(Call.Type.RECONCILE))
                .anySatisfy(
                        r ->
                                assertThat(r.getReconcile().getTasksList())
                                        .anySatisfy(
                                                t ->
                                                        assertThat(t.getTaskId().getValue())
                                                                .isEqualTo(task)));
    }

    @Test
    void aRefusedDeclineIsRetriedUntilTheOfferIsRescinded() {
        h.refuse(Call.Type.DECLINE, 500, "oops");
        h.engine.onEvent(offers(offer("o1", "h1", 4, 4096).build()));
        h.advance(Duration.ofSeconds(3)); // held 2 s, then declined
        int declines = h.calls(Call.Type.DECLINE).size();
        assertThat(declines).isEqualTo(1);
        run(Duration.ofSeconds(20));
        assertThat(h.calls(Call.Type.DECLINE).size()).isGreaterThan(declines + 1);
        h.engine.onEvent(MesosFixtures.rescind("o1"));
        int afterRescind = h.calls(Call.Type.DECLINE).size();
        run(Duration.ofMinutes(2));
        assertThat(h.calls(Call.Type.DECLINE)).hasSize(afterRescind);
    }

    @Test
    void whileNotSubscribedWaitingAgentsAreToldWhy() {
        h.engine.onDisconnected(
                "SUBSCRIBE call to http://m:5050/api/v1/scheduler failed: HTTP 400 bad role");
        h.provision("linux", 1);
        assertThat(waiting())
                .isEqualTo(
                        "NOT_SUBSCRIBED: SUBSCRIBE call to http://m:5050/api/v1/scheduler failed:"
                                + " HTTP 400 bad role");
    }
}
