package io.jenkins.plugins.mesosagents.mesos.it;

import static io.jenkins.plugins.mesosagents.mesos.it.SimCluster.WAIT;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jenkins.plugins.mesosagents.mesos.ConnectionState;
import io.jenkins.plugins.mesosagents.mesos.MasterDetector;
import io.jenkins.plugins.mesosagents.mesos.SchedulerConnection;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;

/**
 * The connection through the simulated DC/OS Admin Router ({@code <cluster>/mesos}): when Admin
 * Router still proxies to a master that no longer leads, that master's 307 names its own {@code
 * //host:port}; the connection retries the gateway instead of leaving it, and subscribes through it
 * again once Admin Router follows the new leader.
 */
class AdminRouterGatewayTest {
    @TempDir Path work;

    @Test
    void a307FromAStaleUpstreamIsNeverFollowedOutOfTheGateway() throws Exception {
        try (SimCluster cluster =
                SimCluster.start(SimCluster.config(work).masters(2).adminRouter(true).build())) {
            URI gateway = cluster.sim.gatewayUrl().orElseThrow();
            Recorder recorder = new Recorder();
            SchedulerConnection mesos =
                    cluster.connect(
                            SimCluster.client(
                                            MasterDetector.fromString(gateway.toString(), "http"),
                                            SimCluster.identity("through-admin-router").build())
                                    .build(),
                            recorder);
            await().atMost(WAIT).until(() -> mesos.state() == ConnectionState.SUBSCRIBED);
            String frameworkId = recorder.first().frameworkId();

            cluster.sim.staleAdminRouterUpstream(true);
            cluster.sim.failoverLeader();
            await().atMost(WAIT)
                    .until(
                            () ->
                                    recorder.disconnects.stream()
                                            .anyMatch(
                                                    d ->
                                                            d.contains("307")
                                                                    && d.contains("gateway")));
            assertThat(mesos.state()).isNotEqualTo(ConnectionState.SUBSCRIBED);

            cluster.sim.staleAdminRouterUpstream(false);
            await().atMost(WAIT)
                    .until(
                            () ->
                                    recorder.subscriptions.size() >= 2
                                            && mesos.state() == ConnectionState.SUBSCRIBED);
            // the gateway's port is neither master's: every subscription went through Admin Router
            assertThat(cluster.sim.masterUrls()).noneMatch(m -> m.getPort() == gateway.getPort());
            assertThat(recorder.subscriptions)
                    .allSatisfy(s -> assertThat(s.master().port()).isEqualTo(gateway.getPort()))
                    .extracting(Recorder.Subscription::frameworkId)
                    .containsOnly(frameworkId);
        }
    }
}
