package io.jenkins.plugins.mesosagents.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.engine.LaunchedAgent;
import io.jenkins.plugins.mesosagents.engine.PlannedAgent;
import io.jenkins.plugins.mesosagents.testcluster.mesos.AgentConfig;
import io.jenkins.plugins.mesosagents.testcluster.mesos.TaskView;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The session as the Jenkins cloud now drives it, against the simulated master: tasks are launched
 * only once the node is ready; after a Jenkins restart a release reaches Mesos even before the new
 * session subscribed, and a task still starting is followed until it runs; a deleted cloud's
 * framework is torn down with its tasks.
 */
class SessionRestartOnSimulatorTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir Path dir;

    private SessionCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private MesosSchedulerSession session(String jenkinsUrl, List<AgentTemplate> templates) {
        return cluster.session(
                cluster.engine(jenkinsUrl).build(), dir.resolve("state.json"), templates);
    }

    private PlannedAgent provisionOne(MesosSchedulerSession session, String template) {
        return session.provision(template, 1, cluster.namer())
                .orTimeout(10, TimeUnit.SECONDS)
                .join()
                .get(0);
    }

    private String state(String taskId) {
        return cluster.mesos.task(taskId).map(TaskView::state).orElse(null);
    }

    @Test
    void noTaskIsLaunchedUntilTheNodeIsReady() throws Exception {
        cluster =
                SessionCluster.start(
                        dir,
                        SessionCluster.fastSimulator(dir)
                                .agent(AgentConfig.of("a1.local", 4, 4096)));
        MesosSchedulerSession session =
                session(cluster.jenkinsUrl(), List.of(cluster.template("linux").build()));
        await().atMost(WAIT).until(() -> session.snapshot().subscribed());

        PlannedAgent p = provisionOne(session, "linux");
        Thread.sleep(1500); // offers come and go (hold 300 ms, decline 200 ms) with no launch
        assertThat(cluster.mesos.tasks()).isEmpty();
        assertThat(p.running()).isNotDone();

        session.nodeReady(p.name());
        LaunchedAgent launched = p.running().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(launched.hostname()).isEqualTo("a1.local");
        assertThat(state(p.name())).isEqualTo("TASK_RUNNING");
    }

    @Test
    void afterARestartAReleaseSentBeforeResubscribingKillsTheTask() throws Exception {
        cluster =
                SessionCluster.start(
                        dir,
                        SessionCluster.fastSimulator(dir)
                                .agent(AgentConfig.of("a1.local", 4, 4096)));
        List<AgentTemplate> templates = List.of(cluster.template("linux").build());
        MesosSchedulerSession first = session(cluster.jenkinsUrl(), templates);
        PlannedAgent p = provisionOne(first, "linux");
        cluster.nodes.owned.add(p.name());
        first.nodeReady(p.name());
        p.running().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        first.close(); // Jenkins stops; the task runs on

        MesosSchedulerSession second = session(cluster.jenkinsUrl(), templates);
        second.release(p.name()); // e.g. the idle agent is terminated at once
        await().atMost(WAIT).until(() -> "TASK_KILLED".equals(state(p.name())));
        assertThat(cluster.mesos.task(p.name()).orElseThrow().processAlive()).isFalse();
        assertThat(cluster.nodes.lost).isEmpty();
    }

    @Test
    void afterARestartATaskStillStartingIsFollowedUntilItRuns() throws Exception {
        cluster =
                SessionCluster.start(
                        dir,
                        SessionCluster.fastSimulator(dir)
                                .agent(AgentConfig.of("a1.local", 4, 4096)));
        List<AgentTemplate> templates =
                List.of(cluster.template("linux").launchTimeout(Duration.ofSeconds(60)).build());
        MesosSchedulerSession first = session(cluster.stalledJenkinsUrl(), templates);
        PlannedAgent p = provisionOne(first, "linux");
        cluster.nodes.owned.add(p.name());
        first.nodeReady(p.name());
        await().atMost(WAIT).until(() -> cluster.mesos.task(p.name()).isPresent());
        first.close(); // restart while agent.jar is still downloading

        MesosSchedulerSession second = session(cluster.stalledJenkinsUrl(), templates);
        CompletableFuture<LaunchedAgent> recovered = second.running(p.name());
        Thread.sleep(1500);
        assertThat(recovered).isNotDone();
        cluster.releaseStalledDownloads();
        LaunchedAgent running = recovered.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(running.taskId()).isEqualTo(p.name());
        assertThat(state(p.name())).isEqualTo("TASK_RUNNING");

        // an agent the engine never launched (its state has no task) is not waited for
        assertThat(second.running("never-launched"))
                .failsWithin(WAIT)
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withMessageContaining("has no Mesos task");
    }

    @Test
    void aDeletedCloudsFrameworkIsTornDownWithItsTasks() throws Exception {
        cluster =
                SessionCluster.start(
                        dir,
                        SessionCluster.fastSimulator(dir)
                                .agent(AgentConfig.of("a1.local", 4, 4096)));
        MesosSchedulerSession session =
                session(cluster.jenkinsUrl(), List.of(cluster.template("linux").build()));
        PlannedAgent p = provisionOne(session, "linux");
        session.nodeReady(p.name());
        p.running().get(WAIT.toSeconds(), TimeUnit.SECONDS);

        session.teardown().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> !"TASK_RUNNING".equals(state(p.name())));
        assertThat(cluster.mesos.task(p.name()).orElseThrow().processAlive()).isFalse();
    }
}
