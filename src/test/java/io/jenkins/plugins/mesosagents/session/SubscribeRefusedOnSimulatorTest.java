package io.jenkins.plugins.mesosagents.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jenkins.plugins.mesosagents.engine.PlannedAgent;
import io.jenkins.plugins.mesosagents.engine.TemplateStatus;
import io.jenkins.plugins.mesosagents.engine.WaitReason;
import io.jenkins.plugins.mesosagents.testcluster.mesos.AgentConfig;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real master refuses an unauthorized SUBSCRIBE with HTTP 200, one ERROR event and a closed
 * stream (master.cpp:2743-2755). The refusal, in the master's words, is what the session status
 * and every waiting agent show, not "the master closed the event stream".
 */
class SubscribeRefusedOnSimulatorTest {
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
    void anUnauthorizedSubscribeIsShownInTheStatusAndToWaitingAgents() throws Exception {
        cluster =
                SessionCluster.start(
                        dir,
                        SessionCluster.fastSimulator(dir)
                                .agent(AgentConfig.of("a1.local", 4, 4096)));
        cluster.mesos.authorizeRole("*", false);
        MesosSchedulerSession session =
                cluster.session(
                        cluster.engine(cluster.jenkinsUrl()).build(),
                        dir.resolve("state.json"),
                        List.of(cluster.template("linux").build()));
        PlannedAgent p =
                session.provision("linux", 1, cluster.namer())
                        .orTimeout(10, TimeUnit.SECONDS)
                        .join()
                        .get(0);
        session.nodeReady(p.name());

        // over several retries (backoff 50-500 ms) the refusal stays what both show
        for (int i = 0; i < 3; i++) {
            await().atMost(WAIT)
                    .untilAsserted(
                            () -> {
                                assertThat(session.status().detail())
                                        .contains("Not authorized to register framework")
                                        .contains("with roles { * }");
                                TemplateStatus linux =
                                        session.snapshot().templates().get("linux");
                                assertThat(linux.waiting().reason())
                                        .isEqualTo(WaitReason.NOT_SUBSCRIBED);
                                assertThat(linux.waiting().detail())
                                        .contains("Not authorized to register framework");
                            });
            Thread.sleep(300);
        }
        assertThat(session.snapshot().subscribed()).isFalse();

        cluster.mesos.authorizeRole("*", true);
        assertThat(p.running().get(WAIT.toSeconds(), TimeUnit.SECONDS).hostname())
                .isEqualTo("a1.local");
    }
}
