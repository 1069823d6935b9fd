package io.jenkins.plugins.mesosagents.mesos.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jenkins.plugins.mesosagents.mesos.ConnectionState;
import io.jenkins.plugins.mesosagents.mesos.MasterDetector;
import io.jenkins.plugins.mesosagents.mesos.MasterProbe;
import io.jenkins.plugins.mesosagents.mesos.SchedulerConfig;
import io.jenkins.plugins.mesosagents.mesos.SchedulerConnection;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * TLS verification is on by default: a master whose certificate comes from a private CA (the
 * simulator's own, TlsMaterial) is refused by both the framework's subscription and the cloud
 * form's Test connection, each saying to give the CA certificate; with that CA it is trusted. There
 * is no setting that turns verification off.
 */
class TlsVerificationTest {
    @TempDir Path work;

    private static SchedulerConfig.Builder config(String url, String name) {
        return SimCluster.client(
                MasterDetector.fromString(url, "https"), SimCluster.identity(name).build());
    }

    @Test
    void aPrivateCaMasterIsRefusedByDefaultWithWhatToDoAndTrustedWithItsCa() throws Exception {
        try (SimCluster cluster = SimCluster.start(SimCluster.config(work).tls(true).build())) {
            String url = cluster.sim.leaderUrl().toString();
            assertThat(url).startsWith("https://");
            String ca = Files.readString(cluster.sim.caCertificate().orElseThrow());

            Recorder byDefault = new Recorder();
            SchedulerConnection untrusted =
                    cluster.connect(config(url, "tls-default").build(), byDefault);
            await().atMost(SimCluster.WAIT).until(() -> !byDefault.disconnects.isEmpty());
            assertThat(untrusted.state()).isNotEqualTo(ConnectionState.SUBSCRIBED);
            assertThat(byDefault.disconnects.get(0))
                    .contains("SUBSCRIBE to " + url)
                    .contains("the master's TLS certificate is not trusted")
                    .contains("'CA certificates (PEM)' (caCertificate)");
            assertThatThrownBy(
                            () ->
                                    MasterProbe.probe(
                                            config(url, "probe-default").build(),
                                            Duration.ofSeconds(5)))
                    .hasMessageContaining("the master's TLS certificate is not trusted")
                    .hasMessageContaining("(caCertificate)");

            assertThat(
                            MasterProbe.probe(
                                            config(url, "probe-ca").caBundlePem(ca).build(),
                                            Duration.ofSeconds(5))
                                    .leader()
                                    .isHttps())
                    .isTrue();
            Recorder withCa = new Recorder();
            SchedulerConnection trusted =
                    cluster.connect(config(url, "tls-ca").caBundlePem(ca).build(), withCa);
            await().atMost(SimCluster.WAIT)
                    .until(() -> trusted.state() == ConnectionState.SUBSCRIBED);
        }
    }
}
