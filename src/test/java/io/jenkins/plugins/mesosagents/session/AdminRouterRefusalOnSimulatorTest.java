package io.jenkins.plugins.mesosagents.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jenkins.plugins.mesosagents.engine.PlannedAgent;
import io.jenkins.plugins.mesosagents.engine.TemplateStatus;
import io.jenkins.plugins.mesosagents.engine.WaitReason;
import io.jenkins.plugins.mesosagents.mesos.MesosCredentials;
import io.jenkins.plugins.mesosagents.testcluster.mesos.AgentConfig;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Through DC/OS Admin Router ({@code <cluster>/mesos}), a service account without {@code
 * dcos:adminrouter:ops:mesos} gets Admin Router's bare 403 page. The session status and every
 * waiting agent name that permission and how to grant it; once granted, the agent launches.
 */
class AdminRouterRefusalOnSimulatorTest {
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
    void aMissingAdminRouterPermissionIsNamedInTheStatusAndToWaitingAgents() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        cluster =
                SessionCluster.start(
                        dir,
                        SessionCluster.fastSimulator(dir)
                                .serviceAccount("jenkins-sa", keys.getPublic())
                                .agent(AgentConfig.of("a1.local", 4, 4096)));
        cluster.mesos.grantMesosThroughAdminRouter("jenkins-sa", false);
        MesosSchedulerSession session =
                cluster.session(
                        cluster.engine(cluster.jenkinsUrl()).build(),
                        new JsonFileEngineStore(dir.resolve("state.json")),
                        List.of(cluster.template("linux").build()),
                        cluster.mesos.gatewayUrl().orElseThrow().toString(),
                        null,
                        new MesosCredentials.DcosServiceAccount(
                                "jenkins-sa", keys.getPrivate(), Optional.empty()));
        PlannedAgent p =
                session.provision("linux", 1, cluster.namer())
                        .orTimeout(10, TimeUnit.SECONDS)
                        .join()
                        .get(0);
        session.nodeReady(p.name());

        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            assertThat(session.status().detail())
                                    .contains("403")
                                    .contains("service account 'jenkins-sa'")
                                    .contains("dcos:adminrouter:ops:mesos")
                                    .contains("dcos security org users grant jenkins-sa")
                                    .doesNotContain("<html");
                            TemplateStatus linux = session.snapshot().templates().get("linux");
                            assertThat(linux.waiting().reason())
                                    .isEqualTo(WaitReason.NOT_SUBSCRIBED);
                            assertThat(linux.waiting().detail())
                                    .contains("dcos:adminrouter:ops:mesos");
                        });
        assertThat(session.snapshot().subscribed()).isFalse();

        cluster.mesos.grantMesosThroughAdminRouter("jenkins-sa", true);
        assertThat(p.running().get(WAIT.toSeconds(), TimeUnit.SECONDS).hostname())
                .isEqualTo("a1.local");
    }
}
