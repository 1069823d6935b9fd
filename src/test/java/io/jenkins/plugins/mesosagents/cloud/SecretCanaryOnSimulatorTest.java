package io.jenkins.plugins.mesosagents.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jenkins.plugins.mesosagents.SecretCanary;
import io.jenkins.plugins.mesosagents.engine.AgentIdentity;
import io.jenkins.plugins.mesosagents.engine.EngineConfig;
import io.jenkins.plugins.mesosagents.engine.LaunchedAgent;
import io.jenkins.plugins.mesosagents.engine.PlannedAgent;
import io.jenkins.plugins.mesosagents.engine.SecretValue;
import io.jenkins.plugins.mesosagents.mesos.Backoff;
import io.jenkins.plugins.mesosagents.mesos.FrameworkIdentity;
import io.jenkins.plugins.mesosagents.mesos.MasterDetector;
import io.jenkins.plugins.mesosagents.mesos.MesosCredentials;
import io.jenkins.plugins.mesosagents.mesos.SchedulerConfig;
import io.jenkins.plugins.mesosagents.session.JsonFileEngineStore;
import io.jenkins.plugins.mesosagents.session.MesosSchedulerSession;
import io.jenkins.plugins.mesosagents.session.SessionCluster;
import io.jenkins.plugins.mesosagents.testcluster.mesos.AgentConfig;
import io.jenkins.plugins.mesosagents.testcluster.mesos.TaskView;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Canary secrets through the real session against the simulated master: the framework's secret
 * (HTTP Basic to the master), the agent's JNLP secret, and a wrong framework secret the master
 * refuses. None may appear in any log record (all loggers, all levels), the session's status, the
 * engine's snapshot, the cloud page's JSON ({@code cloud/NAME/stats}), the agent page's task view,
 * the master's {@code /state}, the persisted state, the task's id, name, labels or the agent
 * process's arguments. The agent secret must reach the task, and does so only as {@code
 * JENKINS_SECRET} in its command environment: the master's {@code /state} does not render a task's
 * command (apache/mesos 1.11.0 src/common/http.cpp:1112-1152, json(Task) writes no command); the
 * agent's own state does (docs/cloud.md, "Where secrets are visible").
 */
class SecretCanaryOnSimulatorTest {
    private static final String FRAMEWORK_SECRET = "canary-framework-secret-5d1e";
    private static final String AGENT_SECRET = "canary-agent-secret-93b7";
    private static final String WRONG_SECRET = "canary-wrong-secret-0c44";

    @TempDir Path dir;
    private SessionCluster cluster;
    private final SecretCanary canary =
            SecretCanary.watch(FRAMEWORK_SECRET, AGENT_SECRET, WRONG_SECRET);

    @AfterEach
    void stop() {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            canary.close();
        }
    }

    private MesosSchedulerSession session(String secret, Path store) {
        EngineConfig config = cluster.engine(cluster.jenkinsUrl()).build();
        FrameworkIdentity identity =
                FrameworkIdentity.builder("jenkins-canary", System.getProperty("user.name"))
                        .principal("jenkins")
                        .failoverTimeout(Duration.ofMinutes(10))
                        .build();
        MesosSchedulerSession session =
                MesosSchedulerSession.start(
                        config,
                        cluster.nodes,
                        new JsonFileEngineStore(store),
                        ids ->
                                SchedulerConfig.builder(
                                                MasterDetector.fromString(
                                                        cluster.mesos.leaderUrl().toString(),
                                                        "http"),
                                                identity)
                                        .credentials(new MesosCredentials.Basic("jenkins", secret))
                                        .frameworkIdStore(ids)
                                        .backoff(
                                                new Backoff(
                                                        Duration.ofMillis(50),
                                                        Duration.ofMillis(500),
                                                        2.0,
                                                        0.2))
                                        .build(),
                        Duration.ofMillis(50),
                        Clock.systemUTC());
        session.updateTemplates(List.of(cluster.template("linux").build()));
        return session;
    }

    @Test
    void noSecretLeavesThroughLogsStatusPagesOrTheMastersState() throws Exception {
        cluster =
                SessionCluster.start(
                        dir,
                        SessionCluster.fastSimulator(dir)
                                .credential("jenkins", FRAMEWORK_SECRET)
                                .agent(AgentConfig.of("a1.local", 4, 4096)));
        Path store = dir.resolve("state.json");
        MesosSchedulerSession session = session(FRAMEWORK_SECRET, store);
        PlannedAgent planned =
                session.provision(
                                "linux",
                                1,
                                t ->
                                        new AgentIdentity(
                                                "linux-canary", SecretValue.of(AGENT_SECRET)))
                        .orTimeout(10, TimeUnit.SECONDS)
                        .join()
                        .get(0);
        cluster.nodes.owned.add(planned.name());
        session.nodeReady(planned.name());
        LaunchedAgent agent = planned.running().orTimeout(20, TimeUnit.SECONDS).join();

        // the secret reached the agent: the fake java read it through the named pipe
        TaskView task = cluster.mesos.task(agent.taskId()).orElseThrow();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> Files.exists(task.sandbox().resolve("java-secret")));
        assertThat(task.environment()).containsEntry("JENKINS_SECRET", AGENT_SECRET);
        Map<String, String> otherVariables = new java.util.HashMap<>(task.environment());
        otherVariables.remove("JENKINS_SECRET");
        canary.shown("the task's other environment variables", otherVariables);
        canary.shown("the agent's process arguments", cluster.javaArgs(task));
        canary.shown("task id, name and host", task.taskId() + " " + agent);
        canary.shown("the planned agent", planned);

        canary.shown("the master's /state", cluster.mesos.stateJson());
        canary.shown("the session's status", session.status());
        canary.shown("the engine's snapshot", session.snapshot());
        canary.shown(
                "cloud/NAME/stats",
                CloudFigures.json(
                        "it-cloud", session.snapshot().templates().values(), Instant.now()));
        canary.shown("the cloud page's template statuses", session.snapshot().templates());
        canary.shown(
                "the agent page's task view",
                MesosTaskView.of(
                        planned.name(),
                        planned.running(),
                        session.snapshot().frameworkId(),
                        cluster.mesos.leaderUrl().toString()));

        // a second framework with a wrong secret is refused by the master
        MesosSchedulerSession refused = session(WRONG_SECRET, dir.resolve("refused.json"));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> refused.status().detail().contains("401"));
        canary.shown("the refused session's status", refused.status());
        canary.shown("the refused session's snapshot", refused.snapshot());
        refused.close();

        session.release(planned.name());
        await().atMost(Duration.ofSeconds(20)).until(() -> cluster.liveTasks().isEmpty());
        session.close();
        canary.shown("the persisted state", Files.readString(store));

        assertThat(canary.logRecords()).as("log records captured").isGreaterThan(5);
        canary.assertNoLeak();
    }
}
