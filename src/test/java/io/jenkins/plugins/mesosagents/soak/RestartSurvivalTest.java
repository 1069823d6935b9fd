package io.jenkins.plugins.mesosagents.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jenkins.plugins.mesosagents.engine.AgentTask;
import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.engine.EngineConfig;
import io.jenkins.plugins.mesosagents.engine.LaunchedAgent;
import io.jenkins.plugins.mesosagents.engine.PlannedAgent;
import io.jenkins.plugins.mesosagents.session.MesosSchedulerSession;
import io.jenkins.plugins.mesosagents.session.SessionCluster;
import io.jenkins.plugins.mesosagents.testcluster.mesos.AgentConfig;
import io.jenkins.plugins.mesosagents.testcluster.mesos.TaskView;

import okhttp3.OkHttpClient;

import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Jenkins restarts while agents run: the session is closed (its tasks run on, as when the
 * controller stops) and a new one starts from the persisted state. The agents Jenkins still has
 * keep their tasks (same process); the new session reconciles in one round (one explicit and one
 * implicit RECONCILE, then its picture matches Mesos'); it kills nothing Jenkins still wants, and
 * kills what Jenkins released just before stopping and the node deleted while it was down.
 */
class RestartSurvivalTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir Path dir;

    private SessionCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void runningAgentsSurviveARestartAndOnlyUnwantedTasksAreKilled() throws Exception {
        cluster =
                SessionCluster.start(
                        dir,
                        SessionCluster.fastSimulator(dir)
                                .agent(AgentConfig.of("a1.local", 4, 4096))
                                .agent(AgentConfig.of("a2.local", 4, 4096)));
        List<AgentTemplate> templates = List.of(cluster.template("linux").build());
        // periodic rounds far apart, so that every RECONCILE after the restart is its first round
        EngineConfig config =
                cluster.engine(cluster.jenkinsUrl())
                        .reconcileInterval(Duration.ofMinutes(5))
                        .build();
        Path store = dir.resolve("state.json");
        CallRecorder calls = new CallRecorder();
        OkHttpClient http = new OkHttpClient.Builder().addInterceptor(calls).build();
        String master = cluster.mesos.leaderUrl().toString();

        MesosSchedulerSession first = cluster.session(config, store, templates, master, http);
        List<PlannedAgent> planned =
                first.provision("linux", 6, cluster.namer()).get(20, TimeUnit.SECONDS);
        assertThat(planned).hasSize(6);
        for (PlannedAgent p : planned) {
            cluster.nodes.owned.add(p.name());
            first.nodeReady(p.name());
        }
        for (PlannedAgent p : planned) {
            p.running().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            first.agentConnected(p.name());
        }
        List<String> kept = planned.subList(0, 4).stream().map(PlannedAgent::name).toList();
        String releasedAtStop = planned.get(4).name();
        String deletedWhileDown = planned.get(5).name();
        Map<String, Long> pids = new HashMap<>();
        for (TaskView t : cluster.mesos.tasks()) {
            pids.put(t.taskId(), t.pid());
        }
        assertThat(pids).containsKeys(kept.toArray(String[]::new));

        // the build on one agent ends as Jenkins stops: released, then the session closes at once
        cluster.nodes.owned.remove(releasedAtStop);
        first.release(releasedAtStop);
        first.close();
        // while Jenkins is down an administrator deletes one node (it is not in config.xml any
        // more)
        cluster.nodes.owned.remove(deletedWhileDown);

        long restartNanos = System.nanoTime();
        MesosSchedulerSession second = cluster.session(config, store, templates, master, http);
        // Jenkins' launcher asks the new session for each node it loaded
        for (String name : kept) {
            LaunchedAgent a = second.running(name).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(a.taskId()).as("the task of %s", name).isEqualTo(name);
            second.agentConnected(name);
        }
        await().atMost(WAIT)
                .until(() -> second.snapshot().subscribed() && !second.snapshot().reconciling());
        List<CallRecorder.Sent> reconciles =
                calls.since(restartNanos).stream()
                        .filter(s -> s.type() == Call.Type.RECONCILE)
                        .toList();
        // one round: the tasks it knows explicitly, then all (implicit), nothing asked again
        assertThat(reconciles).as("RECONCILE calls of the first round").hasSize(2);
        assertThat(reconciles.stream().filter(s -> s.taskIds().isEmpty())).hasSize(1);
        assertThat(reconciles.stream().flatMap(s -> s.taskIds().stream()).collect(Collectors.toSet()))
                .containsAll(kept);
        for (String name : kept) {
            AgentTask t = second.task(name).get(5, TimeUnit.SECONDS).orElseThrow();
            assertThat(t.state()).as("the engine's view of %s", name).isEqualTo("TASK_RUNNING");
            assertThat(t.killRequested()).isFalse();
        }

        // nothing left that should not be: the released and the deleted agent's tasks end
        await().atMost(WAIT)
                .until(
                        () ->
                                cluster.liveTasks().stream()
                                        .map(TaskView::taskId)
                                        .collect(Collectors.toSet())
                                        .equals(Set.copyOf(kept)));
        // nothing killed that should live: a few more orphan checks and the same processes
        Thread.sleep(3000);
        assertThat(cluster.liveTasks()).extracting(TaskView::taskId).containsExactlyInAnyOrderElementsOf(kept);
        for (String name : kept) {
            TaskView t = cluster.mesos.task(name).orElseThrow();
            assertThat(t.state()).isEqualTo("TASK_RUNNING");
            assertThat(t.pid()).as("process of %s", name).isEqualTo(pids.get(name));
            assertThat(t.processAlive()).isTrue();
        }
        List<String> killed =
                calls.since(restartNanos).stream()
                        .filter(s -> s.type() == Call.Type.KILL)
                        .flatMap(s -> s.taskIds().stream())
                        .distinct()
                        .toList();
        assertThat(killed).doesNotContainAnyElementsOf(kept).contains(deletedWhileDown);
        assertThat(cluster.nodes.lost).doesNotContainKeys(kept.toArray(String[]::new));
        assertThat(second.snapshot().trackedTasks()).isEqualTo(kept.size());
    }
}
