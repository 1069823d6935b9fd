package io.jenkins.plugins.mesosagents.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.engine.LaunchFailedException;
import io.jenkins.plugins.mesosagents.engine.PlannedAgent;
import io.jenkins.plugins.mesosagents.testcluster.mesos.AgentConfig;
import io.jenkins.plugins.mesosagents.testcluster.mesos.TaskView;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A template added for a Jenkinsfile block (mesosAgent) against the simulated master: its agents
 * launch only while it is added, it survives the cloud's own templates being replaced, and removing
 * it ends every agent it launched (tasks killed, processes gone, pending launches cancelled) while
 * the cloud's own agents run on; after a restart it is restored with its running task, or removed
 * without being restored, and then its task is killed too.
 */
class JenkinsfileTemplateOnSimulatorTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String BLOCK = "jf-job-1-abcde";

    @TempDir Path dir;

    private SessionCluster cluster;

    @BeforeEach
    void start() throws Exception {
        cluster =
                SessionCluster.start(
                        dir,
                        SessionCluster.fastSimulator(dir)
                                .agent(AgentConfig.of("a1.local", 8, 8192)));
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private MesosSchedulerSession session() {
        return cluster.session(
                cluster.engine(cluster.jenkinsUrl()).build(),
                dir.resolve("state.json"),
                List.of(cluster.template("linux").build()));
    }

    private AgentTemplate block() {
        return cluster.template(BLOCK).labelExpression(BLOCK).singleUse(true).build();
    }

    /** Provisions, creates the node (as Jenkins does) and waits until the task runs. */
    private PlannedAgent launch(MesosSchedulerSession session, String template) throws Exception {
        PlannedAgent p =
                session.provision(template, 1, cluster.namer())
                        .orTimeout(10, TimeUnit.SECONDS)
                        .join()
                        .get(0);
        cluster.nodes.owned.add(p.name());
        session.nodeReady(p.name());
        p.running().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return p;
    }

    private String state(String taskId) {
        return cluster.mesos.task(taskId).map(TaskView::state).orElse(null);
    }

    private void assertEnded(PlannedAgent p) {
        await().atMost(WAIT).until(() -> "TASK_KILLED".equals(state(p.name())));
        assertThat(cluster.mesos.task(p.name()).orElseThrow().processAlive()).isFalse();
    }

    @Test
    void theBlocksAgentsLaunchOnlyWhileItsTemplateIsThereAndAllEndWithIt() throws Exception {
        MesosSchedulerSession session = session();
        await().atMost(WAIT).until(() -> session.snapshot().subscribed());
        assertThat(session.provision(BLOCK, 1, cluster.namer()))
                .failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .withMessageContaining("No agent template named '" + BLOCK + "'");
        PlannedAgent cloudAgent = launch(session, "linux");

        session.addTemplate(block());
        // saving the cloud's configuration replaces its templates: the block's stays
        session.updateTemplates(List.of(cluster.template("linux").build()));
        PlannedAgent first = launch(session, BLOCK);
        PlannedAgent second = launch(session, BLOCK);
        PlannedAgent waiting =
                session.provision(BLOCK, 1, cluster.namer())
                        .orTimeout(10, TimeUnit.SECONDS)
                        .join()
                        .get(0);
        assertThat(state(first.name())).isEqualTo("TASK_RUNNING");
        assertThat(state(second.name())).isEqualTo("TASK_RUNNING");

        session.removeTemplate(BLOCK); // the block ended

        assertEnded(first);
        assertEnded(second);
        assertThat(waiting.running())
                .failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOf(LaunchFailedException.class);
        assertThat(session.provision(BLOCK, 1, cluster.namer()))
                .failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .withMessageContaining("No agent template named");
        // nothing of the block is left; the cloud's own agent runs on
        assertThat(cluster.liveTasks())
                .extracting(TaskView::taskId)
                .containsExactly(cloudAgent.name());
        await().atMost(WAIT)
                .until(
                        () ->
                                session.snapshot().templates().get(BLOCK) == null
                                        || session.snapshot().templates().get(BLOCK).running()
                                                == 0);
    }

    @Test
    void afterARestartTheRestoredTemplateKeepsItsTaskUntilTheBlockEnds() throws Exception {
        MesosSchedulerSession first = session();
        first.addTemplate(block());
        PlannedAgent agent = launch(first, BLOCK);
        first.close(); // Jenkins stops during the block; the task runs on

        MesosSchedulerSession second = session();
        second.addTemplate(block()); // the step's onResume restores the template
        assertThat(second.running(agent.name()).get(WAIT.toSeconds(), TimeUnit.SECONDS).taskId())
                .isEqualTo(agent.name());
        Thread.sleep(3000); // past the orphan grace and a reconciliation: nothing is killed
        assertThat(state(agent.name())).isEqualTo("TASK_RUNNING");

        second.removeTemplate(BLOCK);
        assertEnded(agent);
        assertThat(cluster.liveTasks()).isEmpty();
    }

    @Test
    void afterARestartATemplateThatCannotBeRestoredStillEndsItsTasks() throws Exception {
        MesosSchedulerSession first = session();
        first.addTemplate(block());
        PlannedAgent agent = launch(first, BLOCK);
        first.close();

        MesosSchedulerSession second = session();
        // restoring failed (e.g. its credentials are gone): the step removes it unrestored
        second.removeTemplate(BLOCK);

        assertEnded(agent);
        assertThat(cluster.liveTasks()).isEmpty();
        assertThat(second.running(agent.name()))
                .failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class);
    }
}
