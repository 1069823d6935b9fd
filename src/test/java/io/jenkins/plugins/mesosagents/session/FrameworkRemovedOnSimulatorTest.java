package io.jenkins.plugins.mesosagents.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jenkins.plugins.mesosagents.engine.PlannedAgent;
import io.jenkins.plugins.mesosagents.testcluster.mesos.AgentConfig;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A framework the master removed (failover timeout passed, operator TEARDOWN) is gone for good:
 * master.cpp:2605-2612 refuses every later SUBSCRIBE with its id. The session forgets the id and
 * the tasks it persisted and subscribes as a new framework, saying so in its status.
 */
class FrameworkRemovedOnSimulatorTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir Path dir;

    private SessionCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aRemovedFrameworkIsForgottenAndTheCloudSubscribesAsANewOne() throws Exception {
        cluster =
                SessionCluster.start(
                        dir,
                        SessionCluster.fastSimulator(dir)
                                .agent(AgentConfig.of("a1.local", 4, 4096)));
        Path stateFile = dir.resolve("state.json");
        MesosSchedulerSession session =
                cluster.session(
                        cluster.engine(cluster.jenkinsUrl()).build(),
                        stateFile,
                        List.of(cluster.template("linux").build()));
        await().atMost(WAIT).until(() -> session.snapshot().subscribed());
        String removedId = session.snapshot().frameworkId();
        PlannedAgent p =
                session.provision("linux", 1, cluster.namer())
                        .orTimeout(10, TimeUnit.SECONDS)
                        .join()
                        .get(0);
        cluster.nodes.owned.add(p.name());
        session.nodeReady(p.name());
        p.running().get(WAIT.toSeconds(), TimeUnit.SECONDS);

        cluster.mesos.removeFramework(removedId);

        await().atMost(WAIT)
                .until(
                        () ->
                                session.snapshot().subscribed()
                                        && !session.snapshot().frameworkId().isEmpty()
                                        && !session.snapshot().frameworkId().equals(removedId));
        assertThat(session.status().terminal()).isFalse();
        assertThat(session.status().detail())
                .contains("removed")
                .contains(removedId)
                .contains("as a new framework");
        assertThat(cluster.nodes.lost).containsKey(p.name());
        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(Files.readString(stateFile))
                                        .doesNotContain(removedId)
                                        .doesNotContain(p.name()));
        // the new framework provisions as any other
        PlannedAgent next =
                session.provision("linux", 1, cluster.namer())
                        .orTimeout(10, TimeUnit.SECONDS)
                        .join()
                        .get(0);
        session.nodeReady(next.name());
        assertThat(next.running().get(WAIT.toSeconds(), TimeUnit.SECONDS).hostname())
                .isEqualTo("a1.local");
    }
}
