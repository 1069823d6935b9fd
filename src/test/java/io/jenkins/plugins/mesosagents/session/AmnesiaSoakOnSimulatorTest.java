package io.jenkins.plugins.mesosagents.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jenkins.plugins.mesosagents.engine.FetchUri;
import io.jenkins.plugins.mesosagents.engine.LaunchFailedException;
import io.jenkins.plugins.mesosagents.engine.PlannedAgent;
import io.jenkins.plugins.mesosagents.testcluster.mesos.AgentConfig;
import io.jenkins.plugins.mesosagents.testcluster.mesos.AmnesiaWindow;
import io.jenkins.plugins.mesosagents.testcluster.mesos.TaskView;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * A short soak: the session launches and releases light agents while the master fails over again
 * and again with amnesia (each new leader learns an agent's tasks only when it reregisters, up to 2
 * s later). A launch timeout expires just after each failover, and releases happen while the leader
 * cannot act on KILL. At the end every request came online or failed with a reason, and exactly the
 * agents Jenkins still wants have a running task: none leaked.
 */
class AmnesiaSoakOnSimulatorTest {
    private static final Logger LOG = Logger.getLogger(AmnesiaSoakOnSimulatorTest.class.getName());
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int FAILOVERS = 5;

    @TempDir Path dir;

    private SessionCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void failoversWithAmnesiaLeaveNoTaskBehind() throws Exception {
        cluster =
                SessionCluster.start(
                        dir,
                        SessionCluster.fastSimulator(dir)
                                .amnesia(
                                        new AmnesiaWindow(
                                                Duration.ofMillis(300), Duration.ofMillis(2000)))
                                .agent(AgentConfig.of("a1.local", 4, 4096))
                                .agent(AgentConfig.of("a2.local", 4, 4096))
                                .agent(AgentConfig.of("a3.local", 4, 4096)));
        MesosSchedulerSession session =
                cluster.session(
                        cluster.engine(cluster.jenkinsUrl()).build(),
                        dir.resolve("state.json"),
                        List.of(
                                cluster.template("linux").build(),
                                // its fetch hangs: the launch timeout's KILL falls into the
                                // amnesia window of the failover that follows
                                cluster.template("stalling")
                                        .fetchUri(
                                                FetchUri.of(
                                                        cluster.stalledJenkinsUrl()
                                                                + "jnlpJars/agent.jar"))
                                        .launchTimeout(Duration.ofSeconds(1))
                                        .build()));
        await().atMost(WAIT).until(() -> session.snapshot().subscribed());

        Random random = new Random(17);
        List<PlannedAgent> requested = new ArrayList<>();
        Set<String> released = new HashSet<>();
        for (int round = 0; round < FAILOVERS; round++) {
            List<PlannedAgent> batch = new ArrayList<>();
            batch.addAll(provision(session, "linux", 2));
            batch.addAll(provision(session, "stalling", 1));
            requested.addAll(batch);
            // fail over just before the stalling task's launch timeout
            Thread.sleep(700 + random.nextInt(200));
            cluster.mesos.failoverLeader();
            // Jenkins lets go of agents while the new leader cannot kill them yet
            for (PlannedAgent p : requested) {
                if (!released.contains(p.name())
                        && p.running().isDone()
                        && !p.running().isCompletedExceptionally()
                        && random.nextInt(3) == 0) {
                    release(session, p);
                    released.add(p.name());
                }
            }
            await().atMost(WAIT).until(() -> session.snapshot().subscribed());
            Thread.sleep(800 + random.nextInt(800));
        }
        await().atMost(WAIT).until(() -> !cluster.mesos.agentsReregistering());
        // the hung fetches complete: a task whose KILL never reached its agent would run now
        cluster.releaseStalledDownloads();

        // every request ends: online, or failed with a reason
        Set<String> wanted = new HashSet<>();
        int failed = 0;
        for (PlannedAgent p : requested) {
            await().atMost(WAIT).until(() -> p.running().isDone());
            if (p.running().isCompletedExceptionally()) {
                Throwable t = p.running().handle((ok, e) -> e).join();
                Throwable cause = t instanceof CompletionException ? t.getCause() : t;
                assertThat(cause).isInstanceOf(LaunchFailedException.class);
                assertThat(cause.getMessage()).contains(p.name()).isNotBlank();
                cluster.nodes.owned.remove(p.name());
                failed++;
            } else if (!released.contains(p.name())) {
                wanted.add(p.name());
            }
        }
        int failedLaunches = failed;
        LOG.info(
                () ->
                        requested.size()
                                + " requested, "
                                + released.size()
                                + " released, "
                                + failedLaunches
                                + " failed to launch, "
                                + wanted.size()
                                + " still wanted after "
                                + FAILOVERS
                                + " amnesia failovers");
        assertThat(released).as("releases during amnesia windows").isNotEmpty();
        assertThat(failedLaunches).as("launch-timeout kills").isEqualTo(FAILOVERS);
        assertThat(wanted).isNotEmpty();

        // no leak: exactly the wanted agents have a live task, and the engine tracks just those
        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(liveTaskIds())
                                        .as("live tasks (wanted: %s)", wanted)
                                        .containsExactlyInAnyOrderElementsOf(wanted));
        await().atMost(WAIT).until(() -> session.snapshot().trackedTasks() == wanted.size());
        assertThat(cluster.nodes.lost.keySet()).doesNotContainAnyElementsOf(wanted);

        for (String name : wanted) {
            session.release(name);
            cluster.nodes.owned.remove(name);
        }
        await().atMost(WAIT).until(() -> liveTaskIds().isEmpty());
        await().atMost(WAIT).until(() -> session.snapshot().trackedTasks() == 0);
    }

    private List<PlannedAgent> provision(MesosSchedulerSession session, String template, int n) {
        List<PlannedAgent> planned =
                session.provision(template, n, cluster.namer())
                        .orTimeout(10, TimeUnit.SECONDS)
                        .join();
        for (PlannedAgent p : planned) {
            cluster.nodes.owned.add(p.name());
            session.nodeReady(p.name());
            p.running().thenRun(() -> session.agentConnected(p.name()));
        }
        return planned;
    }

    private void release(MesosSchedulerSession session, PlannedAgent p) {
        session.release(p.name());
        cluster.nodes.owned.remove(p.name());
    }

    private Set<String> liveTaskIds() {
        return cluster.mesos.tasks().stream()
                .filter(TaskView::processAlive)
                .map(TaskView::taskId)
                .collect(Collectors.toSet());
    }
}
