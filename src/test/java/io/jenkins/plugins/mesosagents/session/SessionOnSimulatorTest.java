package io.jenkins.plugins.mesosagents.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.engine.LaunchFailedException;
import io.jenkins.plugins.mesosagents.engine.LaunchedAgent;
import io.jenkins.plugins.mesosagents.engine.PersistedState;
import io.jenkins.plugins.mesosagents.engine.PlannedAgent;
import io.jenkins.plugins.mesosagents.engine.TemplateStatus;
import io.jenkins.plugins.mesosagents.engine.WaitReason;
import io.jenkins.plugins.mesosagents.testcluster.mesos.AgentConfig;
import io.jenkins.plugins.mesosagents.testcluster.mesos.TaskView;

import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The provisioning engine through the real session ({@link MesosSchedulerSession} + {@link
 * JsonFileEngineStore}) against the simulated Mesos master, whose agents run each task as a local
 * process (a fake {@code java} that sleeps, see {@link SessionCluster}). Every wait is bounded;
 * {@link SessionCluster#close()} stops every process.
 */
class SessionOnSimulatorTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir Path dir;

    private SessionCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private SessionCluster start(AgentConfig... agents) throws Exception {
        var sim = SessionCluster.fastSimulator(dir);
        for (AgentConfig a : agents) {
            sim.agent(a);
        }
        cluster = SessionCluster.start(dir, sim);
        return cluster;
    }

    private List<PlannedAgent> provision(
            MesosSchedulerSession session, String template, int count) {
        List<PlannedAgent> planned =
                session.provision(template, count, cluster.namer())
                        .orTimeout(10, TimeUnit.SECONDS)
                        .join();
        // the cloud's launcher says so once Jenkins added the node
        planned.forEach(p -> session.nodeReady(p.name()));
        return planned;
    }

    private static LaunchedAgent running(PlannedAgent p) {
        return p.running().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    private static LaunchFailedException failure(CompletableFuture<?> f) {
        await().atMost(WAIT).until(f::isDone);
        assertThat(f).isCompletedExceptionally();
        Throwable t = f.handle((ok, e) -> e).join();
        Throwable cause = t instanceof CompletionException ? t.getCause() : t;
        assertThat(cause).isInstanceOf(LaunchFailedException.class);
        return (LaunchFailedException) cause;
    }

    private Map<String, String> states() {
        return cluster.mesos.tasks().stream()
                .collect(Collectors.toMap(TaskView::taskId, TaskView::state, (a, b) -> b));
    }

    @Test
    void launchedAgentRunsWithTheInboundCommandAndReportsItsHost() throws Exception {
        start(AgentConfig.of("a1.local", 4, 4096));
        Path store = dir.resolve("state.json");
        MesosSchedulerSession session =
                cluster.session(
                        cluster.engine(cluster.jenkinsUrl()).build(),
                        store,
                        List.of(cluster.template("linux").build()));

        List<PlannedAgent> planned = provision(session, "linux", 2);
        assertThat(planned).hasSize(2);
        for (PlannedAgent p : planned) {
            LaunchedAgent agent = running(p);
            assertThat(agent.hostname()).isEqualTo("a1.local");
            assertThat(agent.taskId()).isEqualTo(p.name());
            assertThat(agent.mesosAgentId()).isEqualTo(cluster.mesos.agentIds().get(0));
            assertThat(session.running(p.name())).isCompletedWithValue(agent);
            TaskView task = cluster.mesos.task(p.name()).orElseThrow();
            assertThat(task.state()).isEqualTo("TASK_RUNNING");
            await().atMost(WAIT).until(() -> Files.exists(task.sandbox().resolve("java-args")));
            String args = cluster.javaArgs(task);
            assertThat(args.lines())
                    .containsSubsequence(
                            "-jar",
                            task.sandbox().resolve("agent.jar").toString(),
                            "-url",
                            cluster.jenkinsUrl(),
                            "-name",
                            p.name())
                    .contains("-webSocket");
            assertThat(args).doesNotContain("secret-");
            assertThat(task.environment().get("JENKINS_SECRET")).startsWith("secret-");
            assertThat(Files.readAllBytes(task.sandbox().resolve("agent.jar")))
                    .startsWith((byte) 'P', (byte) 'K');
        }
        // the state that must survive a restart is on disk: the framework id and both tasks
        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            PersistedState saved =
                                    new JsonFileEngineStore(store).load().orElseThrow();
                            assertThat(saved.frameworkId())
                                    .isEqualTo(session.snapshot().frameworkId())
                                    .isNotEmpty();
                            assertThat(saved.tasks())
                                    .extracting(PersistedState.PersistedTask::state)
                                    .containsOnly("TASK_RUNNING")
                                    .hasSize(2);
                        });

        // Jenkins is done with one: its task is killed and Jenkins is not told it was lost
        session.release(planned.get(0).name());
        await().atMost(WAIT).until(() -> "TASK_KILLED".equals(states().get(planned.get(0).name())));
        assertThat(cluster.mesos.task(planned.get(0).name()).orElseThrow().processAlive())
                .isFalse();
        assertThat(states().get(planned.get(1).name())).isEqualTo("TASK_RUNNING");
        await().atMost(WAIT).until(() -> session.snapshot().trackedTasks() == 1);
        assertThat(cluster.nodes.lost).isEmpty();
        assertThat(cluster.mesos.tasks()).hasSize(2);
    }

    @Test
    void launchTimeoutFailsTheAgentWithTheReasonAndKillsItsTask() throws Exception {
        start(AgentConfig.of("a1.local", 4, 4096));
        // agent.jar never finishes downloading: the task stays STAGING on the agent
        MesosSchedulerSession session =
                cluster.session(
                        cluster.engine(cluster.stalledJenkinsUrl()).build(),
                        dir.resolve("state.json"),
                        List.of(
                                cluster.template("slow")
                                        .launchTimeout(Duration.ofSeconds(1))
                                        .build()));

        PlannedAgent p = provision(session, "slow", 1).get(0);
        await().atMost(WAIT).until(() -> cluster.mesos.task(p.name()).isPresent());
        LaunchFailedException e = failure(p.running());
        assertThat(e.failure()).isEqualTo(LaunchFailedException.Cause.LAUNCH_TIMEOUT);
        assertThat(e.getMessage())
                .contains(p.name(), "no TASK_RUNNING within the launch timeout", "a1.local");
        assertThat(cluster.mesos.task(p.name()).orElseThrow().state()).isNotEqualTo("TASK_RUNNING");

        cluster.releaseStalledDownloads();
        await().atMost(WAIT).until(() -> "TASK_KILLED".equals(states().get(p.name())));
        assertThat(cluster.mesos.task(p.name()).orElseThrow().processAlive()).isFalse();
        await().atMost(WAIT).until(() -> session.snapshot().trackedTasks() == 0);
        assertThat(cluster.mesos.tasks()).hasSize(1);
    }

    @Test
    void tasksThatCannotStartBackTheTemplateOffAndSayWhy() throws Exception {
        start(AgentConfig.of("a1.local", 4, 4096));
        // a wrong Jenkins URL: the fetcher gets 404 for agent.jar, every task fails before it runs
        MesosSchedulerSession session =
                cluster.session(
                        cluster.engine(cluster.brokenJenkinsUrl()).build(),
                        dir.resolve("state.json"),
                        List.of(
                                cluster.template("broken")
                                        .launchTimeout(Duration.ofSeconds(2))
                                        .build()));

        for (int i = 0; i < 3; i++) {
            PlannedAgent p = provision(session, "broken", 1).get(0);
            LaunchFailedException e = failure(p.running());
            assertThat(e.failure()).isEqualTo(LaunchFailedException.Cause.TASK_FAILED);
            assertThat(e.getMessage()).contains(p.name(), "TASK_FAILED", "HTTP 404");
        }
        TemplateStatus status = session.snapshot().templates().get("broken");
        assertThat(status.consecutiveFailures()).isEqualTo(3);
        assertThat(status.backingOffUntil()).isNotNull();
        assertThat(status.lastFailure()).contains("HTTP 404");

        // while backing off nothing is launched; the waiting agent fails with the back-off as its
        // reason
        PlannedAgent waiting = provision(session, "broken", 1).get(0);
        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            TemplateStatus s = session.snapshot().templates().get("broken");
                            assertThat(s.waiting()).isNotNull();
                            assertThat(s.waiting().reason()).isEqualTo(WaitReason.BACKING_OFF);
                            assertThat(s.waiting().detail())
                                    .contains("3 consecutive launch failures", "HTTP 404");
                        });
        LaunchFailedException e = failure(waiting.running());
        assertThat(e.failure()).isEqualTo(LaunchFailedException.Cause.NO_MATCHING_OFFER);
        assertThat(e.getMessage()).contains(waiting.name(), "backing off");
        assertThat(cluster.mesos.tasks()).hasSize(3);
    }

    @Test
    void agentsThatCrashRightAfterConnectingBackTheTemplateOff() throws Exception {
        start(AgentConfig.of("a1.local", 4, 4096));
        MesosSchedulerSession session =
                cluster.session(
                        cluster.engine(cluster.jenkinsUrl()).build(),
                        dir.resolve("state.json"),
                        List.of(
                                cluster.template("crashing")
                                        .env("FAKE_AGENT", "crash-soon")
                                        .launchTimeout(Duration.ofSeconds(2))
                                        .build()));

        for (int i = 0; i < 3; i++) {
            PlannedAgent p = provision(session, "crashing", 1).get(0);
            cluster.nodes.owned.add(p.name());
            running(p);
            session.agentConnected(p.name()); // what the launcher says once the agent is online
            await().atMost(WAIT).until(() -> "TASK_FAILED".equals(states().get(p.name())));
            await().atMost(WAIT).until(() -> cluster.nodes.lost.containsKey(p.name()));
        }
        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            TemplateStatus status = session.snapshot().templates().get("crashing");
                            assertThat(status.consecutiveFailures()).isEqualTo(3);
                            assertThat(status.backingOffUntil()).isNotNull();
                            assertThat(status.lastFailure()).contains("exited with status 3");
                        });
        PlannedAgent waiting = provision(session, "crashing", 1).get(0);
        LaunchFailedException e = failure(waiting.running());
        assertThat(e.getMessage()).contains("backing off", "exited with status 3");
        assertThat(cluster.mesos.tasks()).hasSize(3);
    }

    @Test
    void agentsThatNeverConnectAreFailedConnectionsNotCrashes() throws Exception {
        start(AgentConfig.of("a1.local", 4, 4096));
        MesosSchedulerSession session =
                cluster.session(
                        cluster.engine(cluster.jenkinsUrl()).build(),
                        dir.resolve("state.json"),
                        List.of(cluster.template("refused").env("FAKE_AGENT", "crash").build()));

        for (int i = 0; i < 4; i++) {
            PlannedAgent p = provision(session, "refused", 1).get(0);
            cluster.nodes.owned.add(p.name());
            await().atMost(WAIT).until(() -> cluster.nodes.lost.containsKey(p.name()));
            cluster.nodes.owned.remove(p.name()); // Jenkins removes the node it was told is lost
            assertThat(cluster.nodes.events())
                    .filteredOn(e -> e.startsWith("lost " + p.name()))
                    .first()
                    .asString()
                    .contains("never connected to Jenkins", "exited with status 3");
        }
        TemplateStatus status = session.snapshot().templates().get("refused");
        assertThat(status.consecutiveFailures()).isZero();
        assertThat(status.backingOffUntil()).isNull();
    }

    @Test
    void tasksJenkinsDoesNotKnowAreKilledAfterTheGracePeriod() throws Exception {
        start(AgentConfig.of("a1.local", 4, 4096));
        Path store = dir.resolve("state.json");
        MesosSchedulerSession session =
                cluster.session(
                        cluster.engine(cluster.jenkinsUrl()).build(),
                        store,
                        List.of(cluster.template("linux").build()));
        List<PlannedAgent> planned = provision(session, "linux", 2);
        String known = planned.get(0).name();
        String orphan = planned.get(1).name();
        cluster.nodes.owned.add(known);
        running(planned.get(0));
        running(planned.get(1));
        long runningAt = System.nanoTime();

        await().atMost(WAIT).until(() -> "TASK_KILLED".equals(states().get(orphan)));
        assertThat(Duration.ofNanos(System.nanoTime() - runningAt))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(states().get(known)).isEqualTo("TASK_RUNNING");
        assertThat(cluster.nodes.lost).isEmpty();
        session.close();

        // a task of this framework that the store does not list (state lost mid-write): killed on
        // resubscribing
        String frameworkId = new JsonFileEngineStore(store).load().orElseThrow().frameworkId();
        new JsonFileEngineStore(store).save(new PersistedState(frameworkId, List.of()));
        MesosSchedulerSession next =
                cluster.session(
                        cluster.engine(cluster.jenkinsUrl()).build(),
                        store,
                        List.of(cluster.template("linux").build()));
        await().atMost(WAIT).until(() -> "TASK_KILLED".equals(states().get(known)));
        assertThat(next.snapshot().frameworkId()).isEqualTo(frameworkId);
        assertThat(cluster.liveTasks()).isEmpty();
    }

    @Test
    void agentGoneIsReportedToJenkinsAndAPartitionThatHealsIsNot() throws Exception {
        // each host fits exactly one agent
        start(AgentConfig.of("a1.local", 0.5, 512), AgentConfig.of("a2.local", 0.5, 512));
        MesosSchedulerSession session =
                cluster.session(
                        // GONE_BY_OPERATOR "may still be running": waited for this long first
                        cluster.engine(cluster.jenkinsUrl())
                                .agentReregisterTimeout(Duration.ofSeconds(3))
                                .build(),
                        dir.resolve("state.json"),
                        List.of(cluster.template("linux").build()));
        List<PlannedAgent> planned = provision(session, "linux", 2);
        Map<String, String> hostOf =
                planned.stream()
                        .map(SessionOnSimulatorTest::running)
                        .collect(
                                Collectors.toMap(
                                        LaunchedAgent::hostname, LaunchedAgent::agentName));
        assertThat(hostOf).containsOnlyKeys("a1.local", "a2.local");
        cluster.nodes.owned.addAll(hostOf.values());

        cluster.mesos.partitionAgent("a2.local");
        await().atMost(WAIT)
                .until(() -> "TASK_UNREACHABLE".equals(states().get(hostOf.get("a2.local"))));
        cluster.mesos.healAgent("a2.local");
        await().atMost(WAIT)
                .until(() -> "TASK_RUNNING".equals(states().get(hostOf.get("a2.local"))));

        cluster.mesos.removeAgent("a1.local");
        String gone = hostOf.get("a1.local");
        await().atMost(WAIT).until(() -> cluster.nodes.lost.containsKey(gone));
        // the GONE_BY_OPERATOR update, or a reconciliation round that raced it, reports the loss
        assertThat(cluster.nodes.lost.get(gone))
                .satisfiesAnyOf(
                        reason -> assertThat(reason).contains("a1.local", "TASK_GONE_BY_OPERATOR"),
                        reason -> assertThat(reason).contains("no longer exists"));
        await().atMost(WAIT).until(() -> session.snapshot().trackedTasks() == 1);
        // a reconciliation round later the healed agent is still Jenkins', alive and not reported
        Thread.sleep(2500);
        assertThat(cluster.nodes.lost).containsOnlyKeys(gone);
        assertThat(states().get(hostOf.get("a2.local"))).isEqualTo("TASK_RUNNING");
        assertThat(cluster.mesos.tasks()).hasSize(2);
    }

    @Test
    void masterFailoverThroughZooKeeperKeepsRunningTasksAndLaunchesNoDuplicates() throws Exception {
        try (TestingServer zk = new TestingServer(true)) {
            var sim =
                    SessionCluster.fastSimulator(dir)
                            .masters(2)
                            .zookeeper(zk.getConnectString())
                            .agent(AgentConfig.of("a1.local", 4, 4096));
            cluster = SessionCluster.start(dir, sim);
            MesosSchedulerSession session =
                    cluster.session(
                            cluster.engine(cluster.jenkinsUrl()).build(),
                            dir.resolve("state.json"),
                            List.of(cluster.template("linux").build()),
                            "zk://" + zk.getConnectString() + "/mesos");
            List<PlannedAgent> planned = provision(session, "linux", 2);
            planned.forEach(SessionOnSimulatorTest::running);
            planned.forEach(p -> cluster.nodes.owned.add(p.name()));
            String frameworkId = session.snapshot().frameworkId();
            var before = cluster.mesos.leaderUrl();
            Map<String, Long> pids =
                    cluster.mesos.tasks().stream()
                            .collect(Collectors.toMap(TaskView::taskId, TaskView::pid));

            cluster.mesos.failoverLeader();
            assertThat(cluster.mesos.leaderUrl()).isNotEqualTo(before);
            await().atMost(WAIT)
                    .until(
                            () ->
                                    session.status()
                                                    .detail()
                                                    .contains(
                                                            String.valueOf(
                                                                    cluster.mesos
                                                                            .leaderUrl()
                                                                            .getPort()))
                                            && session.snapshot().subscribed());
            assertThat(session.snapshot().frameworkId()).isEqualTo(frameworkId);

            // one more agent on the new leader; the two old ones untouched
            PlannedAgent third = provision(session, "linux", 1).get(0);
            cluster.nodes.owned.add(third.name());
            running(third);
            Thread.sleep(2500); // a reconciliation round and an orphan check on the new leader
            assertThat(cluster.mesos.tasks()).hasSize(3);
            assertThat(cluster.tasksIn("TASK_RUNNING"))
                    .extracting(TaskView::taskId)
                    .containsExactlyInAnyOrder(
                            planned.get(0).name(), planned.get(1).name(), third.name());
            pids.forEach(
                    (id, pid) ->
                            assertThat(cluster.mesos.task(id).orElseThrow().pid()).isEqualTo(pid));
            assertThat(cluster.nodes.lost).isEmpty();
            assertThat(session.snapshot().trackedTasks()).isEqualTo(3);
            cluster.close();
            cluster = null;
        }
    }

    @Test
    void masterFailoverBehindRedirectsKeepsRunningTasks() throws Exception {
        // no ZooKeeper: the user lists both masters; the one that does not lead answers 307 to the
        // leader
        var sim =
                SessionCluster.fastSimulator(dir)
                        .masters(2)
                        .agent(AgentConfig.of("a1.local", 4, 4096));
        cluster = SessionCluster.start(dir, sim);
        String masters =
                cluster.mesos.masterUrls().stream()
                        .map(Object::toString)
                        .collect(Collectors.joining(","));
        MesosSchedulerSession session =
                cluster.session(
                        cluster.engine(cluster.jenkinsUrl()).build(),
                        dir.resolve("state.json"),
                        List.of(cluster.template("linux").build()),
                        masters);
        List<PlannedAgent> planned = provision(session, "linux", 2);
        planned.forEach(p -> cluster.nodes.owned.add(p.name()));
        planned.forEach(SessionOnSimulatorTest::running);
        String frameworkId = session.snapshot().frameworkId();
        var before = cluster.mesos.leaderUrl();

        cluster.mesos.failoverLeader();
        assertThat(cluster.mesos.leaderUrl()).isNotEqualTo(before);
        await().atMost(WAIT)
                .until(
                        () ->
                                session.status()
                                                .detail()
                                                .contains(
                                                        String.valueOf(
                                                                cluster.mesos
                                                                        .leaderUrl()
                                                                        .getPort()))
                                        && session.snapshot().subscribed());
        assertThat(session.snapshot().frameworkId()).isEqualTo(frameworkId);
        PlannedAgent third = provision(session, "linux", 1).get(0);
        cluster.nodes.owned.add(third.name());
        running(third);
        Thread.sleep(2500); // a reconciliation round and an orphan check on the new leader
        assertThat(cluster.mesos.tasks()).hasSize(3);
        assertThat(cluster.tasksIn("TASK_RUNNING")).hasSize(3);
        assertThat(cluster.nodes.lost).isEmpty();
    }

    @Test
    void restartedSessionKeepsItsFrameworkAndTasksWithoutDuplicatesOrKills() throws Exception {
        start(AgentConfig.of("a1.local", 4, 4096));
        Path store = dir.resolve("state.json");
        List<AgentTemplate> templates = List.of(cluster.template("linux").build());
        MesosSchedulerSession first =
                cluster.session(cluster.engine(cluster.jenkinsUrl()).build(), store, templates);
        List<PlannedAgent> planned = provision(first, "linux", 2);
        planned.forEach(SessionOnSimulatorTest::running);
        planned.forEach(p -> cluster.nodes.owned.add(p.name()));
        String frameworkId = first.snapshot().frameworkId();
        Map<String, Long> pids =
                cluster.mesos.tasks().stream()
                        .collect(Collectors.toMap(TaskView::taskId, TaskView::pid));
        first.close(); // at once: a clean shutdown must not lose what the last second changed
        assertThat(new JsonFileEngineStore(store).load().orElseThrow().tasks()).hasSize(2);

        MesosSchedulerSession second =
                cluster.session(cluster.engine(cluster.jenkinsUrl()).build(), store, templates);
        await().atMost(WAIT).until(() -> second.snapshot().subscribed());
        assertThat(second.snapshot().frameworkId()).isEqualTo(frameworkId);
        assertThat(second.snapshot().trackedTasks()).isEqualTo(2);
        Thread.sleep(2500); // reconciliation, then a full orphan grace period
        assertThat(cluster.mesos.tasks()).hasSize(2);
        assertThat(cluster.tasksIn("TASK_RUNNING")).hasSize(2);
        pids.forEach(
                (id, pid) -> assertThat(cluster.mesos.task(id).orElseThrow().pid()).isEqualTo(pid));
        assertThat(cluster.nodes.lost).isEmpty();
        assertThat(second.snapshot().templates().get("linux").running()).isEqualTo(2);
        LaunchedAgent recovered = second.running(planned.get(1).name()).get(10, TimeUnit.SECONDS);
        assertThat(recovered.hostname()).isEqualTo("a1.local");
        assertThat(recovered.taskId()).isEqualTo(planned.get(1).name());

        // the restarted session still owns them: releasing one kills it
        second.release(planned.get(0).name());
        await().atMost(WAIT).until(() -> "TASK_KILLED".equals(states().get(planned.get(0).name())));
        assertThat(states().get(planned.get(1).name())).isEqualTo("TASK_RUNNING");
    }

    @Test
    void capsAreNeverExceeded() throws Exception {
        start(AgentConfig.of("a1.local", 8, 8192), AgentConfig.of("a2.local", 8, 8192));
        MesosSchedulerSession session =
                cluster.session(
                        cluster.engine(cluster.jenkinsUrl()).caps(3, 0, 0).build(),
                        dir.resolve("state.json"),
                        List.of(
                                cluster.template("linux").build(),
                                cluster.template("small").instanceCap(1).build()));

        List<PlannedAgent> planned = provision(session, "linux", 5);
        assertThat(planned).hasSize(3);
        // the two refused agents are explained (as the current reason while agents wait, then in
        // the history)
        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(session.snapshot().templates().get("linux").recent())
                                        .anySatisfy(
                                                d ->
                                                        assertThat(d.reason())
                                                                .isEqualTo(
                                                                        WaitReason.CAP_REACHED)));
        planned.forEach(SessionOnSimulatorTest::running);
        planned.forEach(p -> cluster.nodes.owned.add(p.name()));
        assertThat(provision(session, "linux", 2)).isEmpty();
        assertThat(provision(session, "small", 1)).isEmpty();
        Thread.sleep(1000); // several allocation rounds with offers on both hosts
        assertThat(cluster.mesos.tasks()).hasSize(3);

        session.release(planned.get(0).name());
        await().atMost(WAIT).until(() -> session.snapshot().trackedTasks() == 2);
        List<PlannedAgent> small = provision(session, "small", 3);
        assertThat(small).hasSize(1);
        running(small.get(0));
        assertThat(cluster.mesos.tasks()).hasSize(4);
        assertThat(cluster.liveTasks()).hasSize(3);
    }
}
