package io.jenkins.plugins.mesosagents.testcluster.mesos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

class TlsTest {
    @TempDir Path work;

    @Test
    void httpsMastersAreTrustedThroughTheirCaBundleOnly() throws Exception {
        try (MesosSimulator sim =
                MesosSimulator.start(
                        MesosSimConfig.builder(work)
                                .tls(true)
                                .heartbeatInterval(Duration.ofMillis(200))
                                .agent(AgentConfig.of("a", 1, 512))
                                .build())) {
            assertThat(sim.leaderUrl().getScheme()).isEqualTo("https");
            Path ca = sim.caCertificate().orElseThrow();
            assertThat(Files.readString(ca)).startsWith("-----BEGIN CERTIFICATE-----");

            X509Certificate cert;
            try (InputStream in = Files.newInputStream(ca)) {
                cert =
                        (X509Certificate)
                                CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("ca", cert);
            TrustManagerFactory tmf =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            X509TrustManager tm = (X509TrustManager) tmf.getTrustManagers()[0];
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new javax.net.ssl.TrustManager[] {tm}, null);
            OkHttpClient trusting =
                    new OkHttpClient.Builder().sslSocketFactory(ctx.getSocketFactory(), tm).build();

            String sub =
                    "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":{\"user\":\"u\",\"name\":\"tls\"}}}";
            Request req =
                    new Request.Builder()
                            .url(sim.leaderUrl() + "/api/v1/scheduler")
                            .post(RequestBody.create(sub.getBytes(StandardCharsets.UTF_8), null))
                            .header("Content-Type", "application/json")
                            .build();
            try (Response r = trusting.newCall(req).execute()) {
                assertThat(r.code()).isEqualTo(200);
                String head =
                        new String(r.body().byteStream().readNBytes(40), StandardCharsets.UTF_8);
                assertThat(head).matches("(?s)\\d+\\n\\{\"type\":\"SUBSCRIBED\".*");
            }
            assertThatThrownBy(() -> SimClient.HTTP.newCall(req).execute().close())
                    .isInstanceOf(SSLHandshakeException.class);
        }
    }
}
