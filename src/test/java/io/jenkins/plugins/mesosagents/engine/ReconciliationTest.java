package io.jenkins.plugins.mesosagents.engine;

import static io.jenkins.plugins.mesosagents.engine.MesosFixtures.masterUpdate;
import static io.jenkins.plugins.mesosagents.engine.MesosFixtures.offer;
import static io.jenkins.plugins.mesosagents.engine.MesosFixtures.offers;
import static io.jenkins.plugins.mesosagents.engine.MesosFixtures.subscribed;
import static io.jenkins.plugins.mesosagents.engine.MesosFixtures.update;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus.Reason;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

/** Reconciliation, orphans and restart with persisted state. */
class ReconciliationTest {
    private final AgentTemplate linux = AgentTemplate.builder("linux").cpus(1).memMb(1024).build();

    /** Runs an engine to three RUNNING agents known to Jenkins and returns it. */
    private EngineHarness withRunningAgents(EngineHarness.MemoryStore store) {
        EngineHarness h = new EngineHarness(EngineHarness.config().build(), store);
        h.engine.setTemplates(List.of(linux));
        h.engine.onEvent(subscribed());
        List<PlannedAgent> planned = h.provision("linux", 3);
        h.engine.onEvent(
                offers(offer("o1", "h1", 2, 4096).build(), offer("o2", "h2", 2, 4096).build()));
        for (PlannedAgent p : planned) {
            String host = p.running().isDone() ? "?" : hostOf(h, p.name());
            h.engine.onEvent(update(p.name(), host, TaskState.TASK_RUNNING));
            h.jenkins.names.add(p.name());
        }
        assertThat(planned).allSatisfy(p -> assertThat(p.running()).isCompleted());
        return h;
    }

    private static String hostOf(EngineHarness h, String task) {
        return h.calls(Call.Type.ACCEPT).stream()
                .flatMap(
                        c -> c.getAccept().getOperations(0).getLaunch().getTaskInfosList().stream())
                .filter(t -> t.getTaskId().getValue().equals(task))
                .findFirst()
                .orElseThrow()
                .getAgentId()
                .getValue()
                .substring("agent-".length());
    }

    @Test
    void explicitReconciliationRetriesWithBackoffUntilEveryTaskAnswered() {
        EngineHarness.MemoryStore store = new EngineHarness.MemoryStore();
        EngineHarness h = withRunningAgents(store);
        h.drain();
        h.engine.onDisconnected();
        h.engine.onEvent(subscribed()); // re-subscription (e.g. master failover)
        List<Call> reconciles = h.calls(Call.Type.RECONCILE);
        assertThat(reconciles).hasSize(2);
        assertThat(reconciles.get(0).getReconcile().getTasksCount()).isEqualTo(3);
        assertThat(reconciles.get(1).getReconcile().getTasksCount())
                .isZero(); // implicit: finds orphans
        assertThat(reconciles.get(0).getReconcile().getTasks(0).getAgentId().getValue())
                .startsWith("agent-h");
        assertThat(h.engine.snapshot().reconciling()).isTrue();

        String first = reconciles.get(0).getReconcile().getTasks(0).getTaskId().getValue();
        String firstHost =
                reconciles.get(0).getReconcile().getTasks(0).getAgentId().getValue().substring(6);
        h.clock.advance(Duration.ofMillis(1));
        h.engine.onEvent(
                masterUpdate(
                        first, firstHost, TaskState.TASK_RUNNING, Reason.REASON_RECONCILIATION));
        h.drain();
        h.advance(Duration.ofSeconds(5));
        assertThat(h.calls(Call.Type.RECONCILE))
                .singleElement()
                .satisfies(
                        c ->
                                assertThat(c.getReconcile().getTasksList())
                                        .hasSize(2)
                                        .noneMatch(t -> t.getTaskId().getValue().equals(first)));
        h.drain();
        h.advance(Duration.ofSeconds(5)); // backoff doubled to 10 s
        assertThat(h.calls(Call.Type.RECONCILE)).isEmpty();
        h.advance(Duration.ofSeconds(5));
        assertThat(h.calls(Call.Type.RECONCILE)).hasSize(1);

        for (var t : h.calls(Call.Type.RECONCILE).get(0).getReconcile().getTasksList()) {
            h.engine.onEvent(
                    masterUpdate(
                            t.getTaskId().getValue(),
                            t.getAgentId().getValue().substring(6),
                            TaskState.TASK_RUNNING,
                            Reason.REASON_RECONCILIATION));
        }
        h.drain();
        h.advance(Duration.ofSeconds(20));
        assertThat(h.calls(Call.Type.RECONCILE)).isEmpty();
        assertThat(h.engine.snapshot().reconciling()).isFalse();
        assertThat(h.calls(Call.Type.ACKNOWLEDGE)).isEmpty();
        // periodic round
        h.advance(Duration.ofMinutes(15));
        assertThat(h.calls(Call.Type.RECONCILE)).isNotEmpty();
    }

    @Test
    void restartKeepsRunningTasksAndLaunchesNoDuplicates() {
        EngineHarness.MemoryStore store = new EngineHarness.MemoryStore();
        EngineHarness before = withRunningAgents(store);
        assertThat(store.state.tasks())
                .hasSize(3)
                .allSatisfy(t -> assertThat(t.state()).isEqualTo("TASK_RUNNING"));

        // a new engine (Jenkins restarted) over the same store; Jenkins kept its three nodes
        EngineHarness after =
                new EngineHarness(EngineHarness.config().caps(4, 0, 0).build(), store);
        after.jenkins.names.addAll(before.jenkins.names);
        after.engine.setTemplates(List.of(linux));
        assertThat(after.engine.frameworkId()).contains("fw-1");
        assertThat(after.engine.snapshot().trackedTasks()).isEqualTo(3);
        String known = before.jenkins.names.iterator().next();
        assertThat(after.engine.task(known).join())
                .hasValueSatisfying(
                        t -> {
                            assertThat(t.state()).isEqualTo("TASK_RUNNING");
                            assertThat(t.running()).isTrue();
                            assertThat(t.templateName()).isEqualTo("linux");
                        });
        assertThat(after.engine.task("linux-unknown").join()).isEmpty();
        after.engine.onEvent(subscribed());
        assertThat(after.calls(Call.Type.RECONCILE).get(0).getReconcile().getTasksCount())
                .isEqualTo(3);
        after.clock.advance(Duration.ofMillis(1));
        for (var t : after.calls(Call.Type.RECONCILE).get(0).getReconcile().getTasksList()) {
            after.engine.onEvent(
                    masterUpdate(
                            t.getTaskId().getValue(),
                            t.getAgentId().getValue().substring(6),
                            TaskState.TASK_RUNNING,
                            Reason.REASON_RECONCILIATION));
        }
        // recovered tasks count against the caps: only one more agent fits under maxAgents=4
        AgentNamer fresh =
                t ->
                        new AgentIdentity(
                                "linux-after-" + after.engine.snapshot().pendingAgents(),
                                SecretValue.of(EngineHarness.SECRET));
        assertThat(after.engine.provision("linux", 3, fresh).join()).hasSize(1);
        after.engine.onEvent(offers(offer("o9", "h9", 8, 8192).build()));
        assertThat(after.calls(Call.Type.ACCEPT))
                .singleElement()
                .satisfies(
                        c ->
                                assertThat(
                                                c.getAccept()
                                                        .getOperations(0)
                                                        .getLaunch()
                                                        .getTaskInfosCount())
                                        .isEqualTo(1));
        after.engine.onEvent(update("linux-after-0", "h9", TaskState.TASK_RUNNING));
        after.jenkins.names.add("linux-after-0");
        after.advance(Duration.ofMinutes(5));
        assertThat(after.engine.snapshot().reconciling())
                .isFalse(); // round completed, Jenkins check ran
        assertThat(after.calls(Call.Type.KILL)).isEmpty();
        assertThat(after.jenkins.lost).isEmpty();
        assertThat(store.state.tasks()).hasSize(4);
    }

    @Test
    void tasksUnknownToTheEngineAreKilledAsOrphans() {
        EngineHarness h = new EngineHarness(EngineHarness.config().build());
        h.engine.setTemplates(List.of(linux));
        h.engine.onEvent(subscribed());
        h.drain();
        // implicit reconciliation reports a task from a previous life that was never persisted
        h.engine.onEvent(
                masterUpdate(
                        "linux-old", "h5", TaskState.TASK_RUNNING, Reason.REASON_RECONCILIATION));
        assertThat(h.calls(Call.Type.KILL))
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.getKill().getTaskId().getValue()).isEqualTo("linux-old");
                            assertThat(c.getKill().getAgentId().getValue()).isEqualTo("agent-h5");
                        });
        h.drain();
        h.engine.onEvent(
                masterUpdate(
                        "linux-old", "h5", TaskState.TASK_KILLED, Reason.REASON_RECONCILIATION));
        assertThat(h.calls(Call.Type.KILL)).isEmpty();
    }

    @Test
    void runningTasksJenkinsDoesNotKnowAreKilledAfterTheGraceAndLostAgentsAreReported() {
        EngineHarness.MemoryStore store = new EngineHarness.MemoryStore();
        EngineHarness h = withRunningAgents(store);
        List<String> names = List.copyOf(h.jenkins.names);
        h.jenkins.names.remove(names.get(0)); // Jenkins forgot this node: its task is an orphan
        h.jenkins.names.add("linux-ghost"); // Jenkins has a node whose task is gone
        h.drain();
        h.advance(
                Duration.ofSeconds(
                        5)); // the round asks again for tasks not heard of since it began
        for (var t : h.calls(Call.Type.RECONCILE).get(0).getReconcile().getTasksList()) {
            h.engine.onEvent(
                    masterUpdate(
                            t.getTaskId().getValue(),
                            t.getAgentId().getValue().substring(6),
                            TaskState.TASK_RUNNING,
                            Reason.REASON_RECONCILIATION));
        }
        h.drain();
        h.advance(
                Duration.ofSeconds(
                        10)); // nothing outstanding -> round complete, Jenkins check starts
        assertThat(h.jenkins.lost).singleElement().asString().startsWith("linux-ghost: ");
        h.advance(Duration.ofSeconds(30));
        assertThat(h.calls(Call.Type.KILL)).isEmpty(); // within the 60 s grace
        h.advance(Duration.ofSeconds(30));
        assertThat(h.calls(Call.Type.KILL))
                .singleElement()
                .satisfies(
                        c ->
                                assertThat(c.getKill().getTaskId().getValue())
                                        .isEqualTo(names.get(0)));
        assertThat(h.jenkins.lost).hasSize(1); // reported once
        h.engine.onEvent(update(names.get(0), "h1", TaskState.TASK_KILLED));
        assertThat(h.engine.snapshot().trackedTasks()).isEqualTo(2);
    }

    @Test
    void recoveredTaskThatNeverStartsIsKilledAtTheLaunchTimeout() {
        EngineHarness.MemoryStore store = new EngineHarness.MemoryStore();
        store.state =
                new PersistedState(
                        "fw-1",
                        List.of(
                                new PersistedState.PersistedTask(
                                        "linux-9",
                                        "linux-9",
                                        "linux",
                                        "agent-h1",
                                        "h1",
                                        "TASK_STAGING",
                                        0,
                                        1,
                                        1024)));
        EngineHarness h = new EngineHarness(EngineHarness.config().build(), store);
        h.engine.setTemplates(List.of(linux));
        h.jenkins.names.add("linux-9");
        h.engine.onEvent(subscribed());
        h.drain();
        h.advance(Duration.ofMinutes(5));
        assertThat(h.calls(Call.Type.KILL))
                .singleElement()
                .satisfies(
                        c -> assertThat(c.getKill().getTaskId().getValue()).isEqualTo("linux-9"));
        assertThat(h.jenkins.lost).singleElement().asString().contains("launch timeout");
    }
}
