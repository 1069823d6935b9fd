package io.jenkins.plugins.mesosagents.image.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mesosagents.image.Digest;
import io.jenkins.plugins.mesosagents.testcluster.registry.LocalRegistry;

import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.nio.file.Files;
import java.util.Base64;

/**
 * Proxy, private CA and insecure registries: against a real docker-registry with TLS from a
 * generated CA (and one without TLS), and a MockWebServer playing an HTTP proxy that wants a login.
 */
class RegistryConnectionTest {
    private static LocalRegistry tls;
    private static LocalRegistry plain;

    @BeforeAll
    static void registries() throws Exception {
        tls = LocalRegistry.builder().tls(true).start();
        plain = LocalRegistry.builder().tls(false).start();
    }

    @AfterAll
    static void stop() throws Exception {
        tls.close();
        plain.close();
    }

    @Test
    void aPrivateCaIsRefusedUntilItsCertificatesAreGiven() throws Exception {
        assertThatThrownBy(() -> RegistryClient.builder(tls.hostPort()).build().ping())
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("TLS with registry " + tls.hostPort() + " failed")
                .hasMessageContaining("caCertificates");

        String pem = Files.readString(tls.caCertificate());
        RegistryClient.builder(tls.hostPort())
                .connection(RegistryConnection.DIRECT.withCaCertificates(pem))
                .build()
                .ping();
    }

    @Test
    void insecureMeansUnverifiedTlsAndPlainHttpWhereThereIsNoTls() throws Exception {
        RegistryConnection insecure = RegistryConnection.DIRECT.withInsecure(true);
        RegistryClient overTls =
                RegistryClient.builder(tls.hostPort()).connection(insecure).build();
        overTls.ping();
        assertThat(overTls.blobSize("any/repo", Digest.sha256("absent"))).isEmpty();

        RegistryClient overHttp =
                RegistryClient.builder(plain.hostPort()).connection(insecure).build();
        overHttp.ping();
        assertThat(overHttp.blobSize("any/repo", Digest.sha256("absent"))).isEmpty();
    }

    @Test
    void requestsGoThroughTheProxyWithItsLogin() throws Exception {
        try (MockWebServer proxy = new MockWebServer()) {
            proxy.enqueue(
                    new MockResponse()
                            .setResponseCode(407)
                            .setHeader("Proxy-Authenticate", "Basic realm=\"corp\""));
            proxy.enqueue(new MockResponse().setBody("{}"));
            proxy.start(java.net.InetAddress.getByName("127.0.0.1"), 0);
            RegistryConnection viaProxy =
                    RegistryConnection.DIRECT.withProxy(
                            new Proxy(
                                    Proxy.Type.HTTP,
                                    new InetSocketAddress("127.0.0.1", proxy.getPort())),
                            "proxyuser",
                            "proxypw");

            RegistryClient.builder("registry.invalid:5000")
                    .plainHttp(true)
                    .connection(viaProxy)
                    .build()
                    .ping();

            RecordedRequest first = proxy.takeRequest();
            RecordedRequest second = proxy.takeRequest();
            assertThat(first.getRequestLine())
                    .isEqualTo("GET http://registry.invalid:5000/v2/ HTTP/1.1");
            assertThat(first.getHeader("Proxy-Authorization")).isNull();
            assertThat(second.getHeader("Proxy-Authorization"))
                    .isEqualTo(
                            "Basic "
                                    + Base64.getEncoder()
                                            .encodeToString("proxyuser:proxypw".getBytes()));
            assertThat(viaProxy.toString()).doesNotContain("proxypw");
        }
    }
}
