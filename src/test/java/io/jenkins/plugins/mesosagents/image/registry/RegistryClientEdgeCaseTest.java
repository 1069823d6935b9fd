package io.jenkins.plugins.mesosagents.image.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mesosagents.image.Digest;
import io.jenkins.plugins.mesosagents.image.registry.RegistryException.Reason;

import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

/** Behaviour a healthy real registry never shows: corrupted content and 5xx responses. */
class RegistryClientEdgeCaseTest {
    private MockWebServer server;
    private RegistryClient client;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start(java.net.InetAddress.getLoopbackAddress(), 0);
        client =
                RegistryClient.builder("127.0.0.1:" + server.getPort())
                        .plainHttp(true)
                        .retries(3, Duration.ofMillis(5))
                        .build();
        server.enqueue(new MockResponse().setResponseCode(200)); // ping: no auth
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdown();
    }

    private static final String MANIFEST =
            "{\"schemaVersion\":2,\"mediaType\":\""
                    + MediaTypes.DOCKER_MANIFEST
                    + "\",\"config\":{\"digest\":\""
                    + Digest.sha256("c")
                    + "\",\"size\":1},\"layers\":[]}";

    @Test
    void manifestWhoseBytesDoNotMatchTheRequestedDigestIsRefused() {
        Digest asked = Digest.sha256("something else");
        server.enqueue(
                new MockResponse()
                        .setBody(MANIFEST)
                        .setHeader("Content-Type", MediaTypes.DOCKER_MANIFEST));
        assertThatThrownBy(() -> client.manifest("app", asked.toString()))
                .isInstanceOfSatisfying(
                        RegistryException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.DIGEST_MISMATCH))
                .hasMessageContaining(
                        "whose content has digest " + Digest.sha256(MANIFEST) + ", not " + asked);
    }

    @Test
    void blobWhoseBytesDoNotMatchIsRefusedAtTheEnd() throws Exception {
        Digest asked = Digest.sha256("expected");
        server.enqueue(new MockResponse().setBody("tampered"));
        try (Blob blob = client.openBlob("app", asked)) {
            assertThatThrownBy(() -> blob.stream().readAllBytes())
                    .hasMessageContaining(
                            "sent content with digest "
                                    + Digest.sha256("tampered")
                                    + " for blob "
                                    + asked);
        }
    }

    @Test
    void transient503IsRetriedWithBackoff() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(503));
        server.enqueue(new MockResponse().setResponseCode(502));
        server.enqueue(
                new MockResponse()
                        .setBody(MANIFEST)
                        .setHeader("Content-Type", MediaTypes.DOCKER_MANIFEST));
        assertThat(client.manifest("app", "v1").digest()).isEqualTo(Digest.sha256(MANIFEST));
        assertThat(server.getRequestCount()).isEqualTo(4);
    }

    @Test
    void persistent5xxGivesUpWithAMessage() {
        for (int i = 0; i < 3; i++) {
            server.enqueue(new MockResponse().setResponseCode(503));
        }
        assertThatThrownBy(() -> client.tags("app"))
                .isInstanceOfSatisfying(
                        RegistryException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE))
                .hasMessageContaining("failed to list the tags of app: HTTP 503 after 3 attempt(s)")
                .hasMessageContaining("try again later");
    }

    @Test
    void outOfOrderChunkNamesTheRangeTheRegistryHas() {
        server.enqueue(
                new MockResponse()
                        .setResponseCode(202)
                        .setHeader("Location", "/v2/app/blobs/uploads/u1?_state=s"));
        server.enqueue(new MockResponse().setResponseCode(416).setHeader("Range", "0-99"));
        assertThatThrownBy(
                        () ->
                                client.uploadBlobChunked(
                                        "app",
                                        null,
                                        new java.io.ByteArrayInputStream(new byte[300]),
                                        200))
                .hasMessageContaining("upload bytes 0-199 of a blob to app")
                .hasMessageContaining("it has bytes 0-99");
    }

    @Test
    void tagListFollowsLinkPagination() throws Exception {
        server.enqueue(
                new MockResponse()
                        .setBody("{\"name\":\"app\",\"tags\":[\"a\",\"b\"]}")
                        .setHeader("Link", "</v2/app/tags/list?n=2&last=b>; rel=\"next\""));
        server.enqueue(new MockResponse().setBody("{\"name\":\"app\",\"tags\":[\"c\"]}"));
        assertThat(client.tags("app")).containsExactly("a", "b", "c");
    }

    @Test
    void notARegistry() throws Exception {
        RegistryClient fresh =
                RegistryClient.builder("127.0.0.1:" + server.getPort()).plainHttp(true).build();
        fresh.ping(); // the queued 200
        server.enqueue(new MockResponse().setResponseCode(404));
        assertThatThrownBy(fresh::ping)
                .isInstanceOfSatisfying(
                        RegistryException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.NOT_A_REGISTRY))
                .hasMessageContaining("is not a Docker v2 registry (GET /v2/ answered HTTP 404)");
    }
}
