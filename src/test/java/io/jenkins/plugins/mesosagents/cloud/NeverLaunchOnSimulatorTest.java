package io.jenkins.plugins.mesosagents.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import hudson.model.Label;
import hudson.model.Queue;

import io.jenkins.plugins.mesosagents.engine.NeverLaunchGrace;
import io.jenkins.plugins.mesosagents.engine.PlannedAgent;
import io.jenkins.plugins.mesosagents.engine.TemplateFigures;
import io.jenkins.plugins.mesosagents.engine.TemplateStatus;
import io.jenkins.plugins.mesosagents.session.MesosSchedulerSession;
import io.jenkins.plugins.mesosagents.session.SessionCluster;
import io.jenkins.plugins.mesosagents.testcluster.mesos.AgentConfig;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A template whose every task fails to start (its fetcher gets HTTP 404 for agent.jar, as a refused
 * image pull would fail every launch) on the simulated Mesos master through the real session: the
 * engine counts the failures by reason, declares the template unable to launch, and the build
 * waiting only for it is cancelled once the grace period has passed, not before. The Jenkins queue
 * is a Mockito double (Queue.getBuildableItems/cancel, jenkins-2.479.3 Queue.java:947, :745).
 */
class NeverLaunchOnSimulatorTest {
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
    void theWaitingBuildIsCancelledOnlyAfterTheGracePeriod() throws Exception {
        var sim = SessionCluster.fastSimulator(dir);
        sim.agent(AgentConfig.of("a1.local", 4, 4096));
        cluster = SessionCluster.start(dir, sim);
        MesosSchedulerSession session =
                cluster.session(
                        cluster.engine(cluster.brokenJenkinsUrl()).build(),
                        dir.resolve("state.json"),
                        List.of(
                                cluster.template("broken")
                                        .launchTimeout(Duration.ofSeconds(2))
                                        .build()));
        for (int i = 0; i < 3; i++) {
            PlannedAgent p =
                    session.provision("broken", 1, cluster.namer())
                            .orTimeout(10, TimeUnit.SECONDS)
                            .join()
                            .get(0);
            session.nodeReady(p.name());
            await().atMost(WAIT).until(p.running()::isDone);
        }
        await().atMost(WAIT)
                .until(
                        () ->
                                session.snapshot()
                                        .templates()
                                        .get("broken")
                                        .cannotLaunch()
                                        .isPresent());
        TemplateStatus status = session.snapshot().templates().get("broken");
        TemplateFigures f = status.figures();
        assertThat(f.launched()).isZero();
        assertThat(f.failed()).isEqualTo(3);
        assertThat(f.failedByReason().keySet()).allMatch(k -> k.startsWith("TASK_FAILED"));
        assertThat(status.cannotLaunch().get()).contains("3 times in a row", "HTTP 404");

        // the build waiting for label "broken", which only this template serves
        MesosCloud cloud = mock(MesosCloud.class, CALLS_REAL_METHODS);
        cloud.name = "mesos";
        MesosAgentTemplate template = new MesosAgentTemplate("broken");
        Label label = mock(Label.class);
        when(label.getNodes()).thenReturn(Set.of());
        doReturn(template).when(cloud).templateFor(label);
        Queue.BuildableItem item = mock(Queue.BuildableItem.class);
        when(item.getAssignedLabel()).thenReturn(label);
        Queue queue = mock(Queue.class);
        when(queue.getBuildableItems()).thenReturn(List.of(item));
        when(queue.cancel(any(Queue.Item.class))).thenReturn(true);

        NeverLaunchGrace grace = new NeverLaunchGrace();
        Duration period = Duration.ofMinutes(10);
        Instant first = Instant.now();
        Map<String, String> due = grace.overdue(session.snapshot(), period, first);
        NeverLaunchingItems.cancelWaitingOnlyFor(queue, List.of(cloud), cloud, due);
        verify(queue, never()).cancel(any(Queue.Item.class));

        due = grace.overdue(session.snapshot(), period, first.plus(period));
        assertThat(due).containsOnlyKeys("broken");
        NeverLaunchingItems.cancelWaitingOnlyFor(queue, List.of(cloud), cloud, due);
        verify(queue).cancel(item);
    }
}
