package io.jenkins.plugins.mesosagents.marathon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mesosagents.testcluster.registry.TestCertificates;

import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Marathon over TLS is verified against the JDK's trust store: a Marathon whose certificate comes
 * from a private CA (TestCertificates) is refused with what to do; a client that trusts that CA
 * reaches it. MarathonClient has no way to skip verification.
 */
class MarathonTlsTest {
    @TempDir Path dir;

    @Test
    void aPrivateCaMarathonIsRefusedByDefaultWithWhatToDo() throws Exception {
        TestCertificates certificates = TestCertificates.create(dir);
        try (MockWebServer marathon = new MockWebServer()) {
            marathon.useHttps(serverContext(certificates).getSocketFactory(), false);
            marathon.enqueue(new MockResponse().setBody("{\"name\":\"marathon\"}"));
            marathon.start(java.net.InetAddress.getByName("127.0.0.1"), 0);
            String url = "https://127.0.0.1:" + marathon.getPort();

            assertThatThrownBy(() -> MarathonClient.create(url, MarathonAuth.none()).info())
                    .isInstanceOf(MarathonException.class)
                    .hasMessageContaining("TLS with Marathon at " + url)
                    .hasMessageContaining("Marathon's TLS certificate is not trusted")
                    .hasMessageContaining("trust store");
            assertThat(marathon.getRequestCount()).isZero();

            OkHttpClient trusting = certificates.trustingClient(new OkHttpClient.Builder()).build();
            MarathonClient client =
                    new MarathonClient(MarathonClient.parseUrl(url), MarathonAuth.none(), trusting);
            assertThat(client.info().path("name").asText()).isEqualTo("marathon");
        }
    }

    private static SSLContext serverContext(TestCertificates certificates) throws Exception {
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        Certificate server;
        Certificate ca;
        try (InputStream in = Files.newInputStream(certificates.serverCertificate())) {
            server = x509.generateCertificate(in);
        }
        try (InputStream in = Files.newInputStream(certificates.caCertificate())) {
            ca = x509.generateCertificate(in);
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        char[] password = "test".toCharArray();
        keys.setKeyEntry(
                "server",
                TestCertificates.readPkcs8(certificates.serverKey()),
                password,
                new Certificate[] {server, ca});
        KeyManagerFactory kmf =
                KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }
}
