package io.jenkins.plugins.mesosagents.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.engine.LaunchFailedException;
import io.jenkins.plugins.mesosagents.engine.PlannedAgent;
import io.jenkins.plugins.mesosagents.testcluster.mesos.AgentConfig;
import io.jenkins.plugins.mesosagents.testcluster.mesos.AmnesiaWindow;
import io.jenkins.plugins.mesosagents.testcluster.mesos.CallFaults;
import io.jenkins.plugins.mesosagents.testcluster.mesos.MesosSimConfig;
import io.jenkins.plugins.mesosagents.testcluster.mesos.TaskView;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * The engine against a master that does not know every task at once: a new leader that learns tasks
 * only as their agents reregister, an agent that is unreachable, agents that resend unacknowledged
 * updates with backoff, a removed framework whose id the master no longer remembers. In each, every
 * KILL the engine means reaches the task in the end, and no task is left running.
 */
class AmnesiaFailoverOnSimulatorTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir Path dir;

    private SessionCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static MesosSimConfig.Builder amnesiaSimulator(Path dir, Duration reregister) {
        return SessionCluster.fastSimulator(dir)
                .amnesia(new AmnesiaWindow(reregister, reregister))
                .agent(AgentConfig.of("a1.local", 4, 4096));
    }

    private MesosSchedulerSession session(String jenkinsUrl, AgentTemplate template) {
        MesosSchedulerSession session =
                cluster.session(
                        cluster.engine(jenkinsUrl)
                                // as in production: no periodic round finds a task again soon
                                .reconcileInterval(Duration.ofMinutes(10))
                                .orphanGrace(Duration.ofMinutes(10))
                                .build(),
                        dir.resolve("state.json"),
                        List.of(template));
        await().atMost(WAIT).until(() -> session.snapshot().subscribed());
        return session;
    }

    private PlannedAgent provision(MesosSchedulerSession session, String template) {
        PlannedAgent p =
                session.provision(template, 1, cluster.namer())
                        .orTimeout(10, TimeUnit.SECONDS)
                        .join()
                        .get(0);
        cluster.nodes.owned.add(p.name());
        session.nodeReady(p.name());
        return p;
    }

    private TaskView task(String id) {
        return cluster.mesos.task(id).orElseThrow();
    }

    private void awaitResubscribed(MesosSchedulerSession session) {
        await().atMost(WAIT)
                .until(
                        () ->
                                session.snapshot().subscribed()
                                        && cluster.mesos.agentsReregistering());
    }

    @Test
    void aReleaseKillDroppedByANewLeaderReachesTheTaskOnceItsAgentReregisters() throws Exception {
        cluster = SessionCluster.start(dir, amnesiaSimulator(dir, Duration.ofSeconds(4)));
        MesosSchedulerSession session =
                session(cluster.jenkinsUrl(), cluster.template("linux").build());
        PlannedAgent p = provision(session, "linux");
        p.running().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        session.agentConnected(p.name());

        cluster.mesos.failoverLeader();
        awaitResubscribed(session);
        session.release(p.name());
        Thread.sleep(1_000);
        assertThat(cluster.mesos.agentsReregistering()).isTrue();
        assertThat(task(p.name()).processAlive())
                .as("the new leader does not know the task yet: KILL is dropped")
                .isTrue();

        await().atMost(WAIT).until(() -> !task(p.name()).processAlive());
        assertThat(task(p.name()).state()).isEqualTo("TASK_KILLED");
        await().atMost(WAIT).until(() -> session.snapshot().trackedTasks() == 0);
        assertThat(cluster.nodes.lost).isEmpty();
    }

    @Test
    void aLaunchTimeoutKillDuringAmnesiaReachesTheTaskThatStartedMeanwhile() throws Exception {
        cluster = SessionCluster.start(dir, amnesiaSimulator(dir, Duration.ofSeconds(4)));
        // agent.jar hangs: the task stays STAGING until the download is let go
        MesosSchedulerSession session =
                session(
                        cluster.stalledJenkinsUrl(),
                        cluster.template("slow").launchTimeout(Duration.ofSeconds(2)).build());
        PlannedAgent p = provision(session, "slow");
        await().atMost(WAIT).until(() -> cluster.mesos.task(p.name()).isPresent());

        cluster.mesos.failoverLeader();
        awaitResubscribed(session);
        await().atMost(WAIT).until(() -> p.running().isDone());
        Throwable failure = p.running().handle((ok, e) -> e).join();
        assertThat(failure instanceof CompletionException ? failure.getCause() : failure)
                .isInstanceOfSatisfying(
                        LaunchFailedException.class,
                        e ->
                                assertThat(e.failure())
                                        .isEqualTo(LaunchFailedException.Cause.LAUNCH_TIMEOUT));
        assertThat(cluster.mesos.agentsReregistering())
                .as("the launch timeout's KILL went to a leader that did not know the task")
                .isTrue();
        // the download completes during the amnesia: the task starts, its RUNNING is held back
        cluster.releaseStalledDownloads();
        await().atMost(WAIT).until(() -> task(p.name()).pid() > 0);

        await().atMost(WAIT).until(() -> !cluster.mesos.agentsReregistering());
        await().atMost(WAIT).until(() -> !task(p.name()).processAlive());
        assertThat(task(p.name()).state()).isEqualTo("TASK_KILLED");
        await().atMost(WAIT).until(() -> session.snapshot().trackedTasks() == 0);
    }

    @Test
    void aKillOfATaskOnAnUnreachableAgentIsAnsweredAndRepeatedUntilItHeals() throws Exception {
        cluster =
                SessionCluster.start(
                        dir,
                        SessionCluster.fastSimulator(dir)
                                .agent(AgentConfig.of("a1.local", 4, 4096)));
        MesosSchedulerSession session =
                session(cluster.jenkinsUrl(), cluster.template("linux").build());
        PlannedAgent p = provision(session, "linux");
        p.running().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        session.agentConnected(p.name());
        // a zero hang lets every KILL through and counts it
        cluster.mesos.callFaults().inject("KILL", new CallFaults.Hang(Duration.ZERO), -1);

        cluster.mesos.partitionAgent("a1.local");
        await().atMost(WAIT)
                .until(
                        () ->
                                session.task(p.name())
                                        .join()
                                        .map(t -> t.state().equals("TASK_UNREACHABLE"))
                                        .orElse(false));
        session.release(p.name());
        Thread.sleep(3_000);
        assertThat(task(p.name()).processAlive()).isTrue();
        assertThat(cluster.mesos.callFaults().applied("KILL"))
                .as("KILL is repeated with backoff, not answered TASK_UNREACHABLE in a loop")
                .isBetween(1, 10);

        cluster.mesos.healAgent("a1.local");
        await().atMost(WAIT).until(() -> !task(p.name()).processAlive());
        assertThat(task(p.name()).state()).isEqualTo("TASK_KILLED");
        await().atMost(WAIT).until(() -> session.snapshot().trackedTasks() == 0);
    }

    @Test
    void updatesWhoseAcknowledgementsWereLostAreResentAndAcknowledgedAgain() throws Exception {
        cluster =
                SessionCluster.start(
                        dir,
                        SessionCluster.fastSimulator(dir)
                                .agent(AgentConfig.of("a1.local", 4, 4096)));
        MesosSchedulerSession session =
                session(cluster.jenkinsUrl(), cluster.template("linux").build());
        // the master takes the first three ACKNOWLEDGE calls (202) but they never reach the agent
        cluster.mesos.callFaults().inject("ACKNOWLEDGE", new CallFaults.Swallow(), 3);
        PlannedAgent p = provision(session, "linux");
        p.running().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> task(p.name()).unacknowledgedUpdates() == 0);
        assertThat(session.task(p.name()).join().orElseThrow().state()).isEqualTo("TASK_RUNNING");
        assertThat(cluster.nodes.lost).isEmpty();
    }

    @Test
    void aRemovedFrameworkTheMasterForgotSubscribesUnderItsIdAndItsGoneTaskIsReported()
            throws Exception {
        // --max_completed_frameworks=0: the master remembers no removed framework
        cluster =
                SessionCluster.start(
                        dir,
                        SessionCluster.fastSimulator(dir)
                                .maxCompletedFrameworks(0)
                                .agent(AgentConfig.of("a1.local", 4, 4096)));
        AgentTemplate linux = cluster.template("linux").build();
        MesosSchedulerSession first = session(cluster.jenkinsUrl(), linux);
        String id = first.snapshot().frameworkId();
        PlannedAgent p = provision(first, "linux");
        p.running().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        first.close();
        // Jenkins stays down past the failover timeout: the framework and its task are removed
        cluster.mesos.removeFramework(id);
        await().atMost(WAIT).until(() -> !task(p.name()).processAlive());

        MesosSchedulerSession second = session(cluster.jenkinsUrl(), linux);
        assertThat(second.snapshot().frameworkId()).isEqualTo(id);
        await().atMost(WAIT).until(() -> cluster.nodes.lost.containsKey(p.name()));
        await().atMost(WAIT).until(() -> second.snapshot().trackedTasks() == 0);
        assertThat(cluster.liveTasks()).isEmpty();
    }
}
