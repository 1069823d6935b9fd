package io.jenkins.plugins.mesosagents.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jenkins.plugins.mesosagents.engine.LaunchFailedException;
import io.jenkins.plugins.mesosagents.engine.PlannedAgent;
import io.jenkins.plugins.mesosagents.engine.TemplateStatus;
import io.jenkins.plugins.mesosagents.engine.WaitDiagnosis;
import io.jenkins.plugins.mesosagents.testcluster.mesos.AgentConfig;
import io.jenkins.plugins.mesosagents.testcluster.mesos.CallFaults;
import io.jenkins.plugins.mesosagents.testcluster.mesos.TaskView;

import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Refused, failed and hung scheduler calls, injected per call type by the simulated master ({@link
 * CallFaults}), through the real session: the engine's picture (suppressed, revived, killed,
 * reconciled, launched) changes only when the master accepted a call, failures are retried, and the
 * wait reasons and session status name the real cause.
 */
class CallFaultsOnSimulatorTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir Path dir;

    private SessionCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private MesosSchedulerSession start(String template, Duration launchTimeout) throws Exception {
        cluster =
                SessionCluster.start(
                        dir,
                        SessionCluster.fastSimulator(dir)
                                .agent(AgentConfig.of("a1.local", 4, 4096)));
        return cluster.session(
                cluster.engine(cluster.jenkinsUrl()).build(),
                dir.resolve("state.json"),
                List.of(cluster.template(template).launchTimeout(launchTimeout).build()));
    }

    private CallFaults faults() {
        return cluster.mesos.callFaults();
    }

    /** One agent, which Jenkins then owns (so the orphan check leaves its task alone). */
    private PlannedAgent provisionOne(MesosSchedulerSession session, String template) {
        PlannedAgent p =
                session.provision(template, 1, cluster.namer())
                        .orTimeout(10, TimeUnit.SECONDS)
                        .join()
                        .get(0);
        cluster.nodes.owned.add(p.name());
        return p;
    }

    private static String waiting(MesosSchedulerSession session, String template) {
        TemplateStatus s = session.snapshot().templates().get(template);
        WaitDiagnosis d = s == null ? null : s.waiting();
        return d == null ? "" : d.reason().description() + ": " + d.detail();
    }

    private String state(String taskId) {
        return cluster.mesos.task(taskId).map(TaskView::state).orElse("");
    }

    @Test
    void aRefusedReviveIsRetriedAndTheWaitReasonSaysSo() throws Exception {
        MesosSchedulerSession session = start("linux", Duration.ofMinutes(1));
        // no demand yet: the engine suppresses offers (the master accepts that) and declines the
        // offers it held with the long filter, so an agent needs a REVIVE now
        await().atMost(WAIT)
                .until(
                        () ->
                                session.snapshot().subscribed()
                                        && session.snapshot().suppressed()
                                        && session.snapshot().heldOffers() == 0);
        faults().inject(
                        Call.Type.REVIVE,
                        new CallFaults.Answer(400, "revive refused by a proxy"),
                        -1);

        PlannedAgent p = provisionOne(session, "linux");
        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(waiting(session, "linux"))
                                        .contains(
                                                "REVIVE refused by the master: HTTP 400",
                                                "revive refused by a proxy",
                                                "retrying in"));
        assertThat(session.snapshot().suppressed()).as("a refused REVIVE revives nothing").isTrue();
        int refused = faults().applied(Call.Type.REVIVE);
        await().atMost(WAIT).until(() -> faults().applied(Call.Type.REVIVE) > refused);

        faults().clear();
        assertThat(p.running().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join().hostname())
                .isEqualTo("a1.local");
    }

    @Test
    void aRefusedKillIsRetriedUntilTheTaskIsGone() throws Exception {
        MesosSchedulerSession session = start("linux", Duration.ofMinutes(1));
        PlannedAgent p = provisionOne(session, "linux");
        p.running().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        faults().inject(
                        Call.Type.KILL,
                        new CallFaults.Answer(503, "Master has not finished recovery"),
                        3);

        session.release(p.name());
        await().atMost(WAIT).until(() -> "TASK_KILLED".equals(state(p.name())));
        assertThat(faults().applied(Call.Type.KILL)).isEqualTo(3);
        await().atMost(WAIT).until(() -> session.snapshot().trackedTasks() == 0);
    }

    @Test
    void aKillTheMasterAcceptsButDropsIsSentAgainUntilTheTaskEnds() throws Exception {
        // a new leader that does not know the task yet accepts KILL (202) and drops it
        MesosSchedulerSession session = start("linux", Duration.ofMinutes(1));
        PlannedAgent p = provisionOne(session, "linux");
        p.running().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        faults().inject(Call.Type.KILL, new CallFaults.Swallow(), 2);

        session.release(p.name());
        await().atMost(WAIT).until(() -> "TASK_KILLED".equals(state(p.name())));
        assertThat(faults().applied(Call.Type.KILL)).isEqualTo(2);
    }

    @Test
    void aLaunchTimeoutDoesNotClaimAKillTheMasterRefusedAndKeepsKilling() throws Exception {
        cluster =
                SessionCluster.start(
                        dir,
                        SessionCluster.fastSimulator(dir)
                                .agent(AgentConfig.of("a1.local", 4, 4096)));
        MesosSchedulerSession session =
                cluster.session(
                        cluster.engine(cluster.stalledJenkinsUrl()).build(),
                        dir.resolve("state.json"),
                        List.of(
                                cluster.template("slow")
                                        .launchTimeout(Duration.ofSeconds(1))
                                        .build()));
        faults().inject(Call.Type.KILL, new CallFaults.Answer(500, "kill refused"), -1);

        PlannedAgent p = provisionOne(session, "slow");
        await().atMost(WAIT).until(p.running()::isDone);
        Throwable t = p.running().handle((ok, e) -> e).join();
        Throwable cause = t instanceof CompletionException ? t.getCause() : t;
        assertThat(cause).isInstanceOf(LaunchFailedException.class);
        assertThat(cause.getMessage())
                .contains("no TASK_RUNNING within the launch timeout")
                .doesNotContain("was killed");
        // the task is still there and still counts: KILL keeps being retried
        int refused = faults().applied(Call.Type.KILL);
        await().atMost(WAIT).until(() -> faults().applied(Call.Type.KILL) > refused + 1);
        assertThat(session.snapshot().trackedTasks()).isEqualTo(1);

        faults().clear();
        cluster.releaseStalledDownloads();
        await().atMost(WAIT).until(() -> "TASK_KILLED".equals(state(p.name())));
        await().atMost(WAIT).until(() -> session.snapshot().trackedTasks() == 0);
    }

    @Test
    void aRefusedReconcileIsNeverReportedAsAnAgentNotFound() throws Exception {
        cluster =
                SessionCluster.start(
                        dir,
                        SessionCluster.fastSimulator(dir)
                                .agent(AgentConfig.of("a1.local", 4, 4096)));
        cluster.nodes.owned.add("ghost-1"); // Jenkins has a node whose task Mesos does not know
        faults().inject(Call.Type.RECONCILE, new CallFaults.Answer(400, "reconcile refused"), -1);
        MesosSchedulerSession session =
                cluster.session(
                        cluster.engine(cluster.jenkinsUrl()).build(),
                        dir.resolve("state.json"),
                        List.of(cluster.template("linux").build()));

        await().atMost(WAIT).until(() -> faults().applied(Call.Type.RECONCILE) >= 3);
        Thread.sleep(3_000); // orphan grace 2 s, retries every <= 1 s: main reports it by now
        assertThat(cluster.nodes.lost).as("no reconciliation happened").isEmpty();
        assertThat(session.snapshot().subscribed()).isTrue();

        faults().clear();
        await().atMost(WAIT).until(() -> cluster.nodes.lost.containsKey("ghost-1"));
        assertThat(cluster.nodes.lost.get("ghost-1")).contains("not found by reconciliation");
    }

    @Test
    void aPermanentSubscribeRefusalReachesTheStatusAndEveryWaitingAgent() throws Exception {
        cluster =
                SessionCluster.start(
                        dir,
                        SessionCluster.fastSimulator(dir)
                                .agent(AgentConfig.of("a1.local", 4, 4096)));
        faults().inject(
                        Call.Type.SUBSCRIBE,
                        new CallFaults.Answer(
                                400, "Failed to validate scheduler::Call: role 'x/y' is invalid"),
                        -1);
        MesosSchedulerSession session =
                cluster.session(
                        cluster.engine(cluster.jenkinsUrl()).build(),
                        dir.resolve("state.json"),
                        List.of(cluster.template("linux").build()));
        provisionOne(session, "linux");

        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            assertThat(session.status().detail())
                                    .contains("HTTP 400", "role 'x/y' is invalid");
                            assertThat(waiting(session, "linux"))
                                    .contains("SUBSCRIBE", "HTTP 400", "role 'x/y' is invalid")
                                    .doesNotContain("REVIVE");
                        });
    }

    @Test
    void aMasterThatRefusesProtobufWith415IsSpokenToInJson() throws Exception {
        cluster =
                SessionCluster.start(
                        dir,
                        SessionCluster.fastSimulator(dir)
                                .agent(AgentConfig.of("a1.local", 4, 4096)));
        faults().inject(CallFaults.ANY, new CallFaults.RefuseProtobuf(), -1);
        MesosSchedulerSession session =
                cluster.session(
                        cluster.engine(cluster.jenkinsUrl()).build(),
                        dir.resolve("state.json"),
                        List.of(cluster.template("linux").build()));

        PlannedAgent p = provisionOne(session, "linux");
        assertThat(p.running().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join().hostname())
                .isEqualTo("a1.local");
        assertThat(faults().applied(Call.Type.SUBSCRIBE)).isEqualTo(1);
    }

    @Test
    void aHungCallDoesNotHoldBackAKill() throws Exception {
        MesosSchedulerSession session = start("linux", Duration.ofMinutes(1));
        PlannedAgent p = provisionOne(session, "linux");
        p.running().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        // the periodic reconciliation (every 2 s here) meets a master that does not answer
        faults().inject(Call.Type.RECONCILE, new CallFaults.Hang(Duration.ofSeconds(15)), -1);
        await().atMost(WAIT).until(() -> faults().applied(Call.Type.RECONCILE) >= 1);

        session.release(p.name());
        await().atMost(Duration.ofSeconds(4)).until(() -> "TASK_KILLED".equals(state(p.name())));
        faults().clear();
    }

    @Test
    void anAcceptWithoutAnswerIsReconciledBeforeTheAgentIsLaunchedAgain() throws Exception {
        MesosSchedulerSession session = start("linux", Duration.ofSeconds(15));
        faults().inject(Call.Type.ACCEPT, new CallFaults.Drop(), 1);

        PlannedAgent p = provisionOne(session, "linux");
        assertThat(p.running().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join().hostname())
                .isEqualTo("a1.local");
        assertThat(faults().applied(Call.Type.ACCEPT)).isEqualTo(1);
        assertThat(cluster.mesos.tasks()).extracting(TaskView::taskId).containsExactly(p.name());
    }
}
