package io.jenkins.plugins.mesosagents.image.promote;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mesosagents.image.ImageReference;
import io.jenkins.plugins.mesosagents.image.registry.Manifest;
import io.jenkins.plugins.mesosagents.image.registry.RegistryClient;
import io.jenkins.plugins.mesosagents.image.registry.TestImages;
import io.jenkins.plugins.mesosagents.testcluster.registry.LocalRegistry;

import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A streamed blob upload cannot be replayed by the HTTP layer, so the promoter re-reads the blob
 * from the source when the target answers 503. A real registry does not fail on demand, so the
 * target is a MockWebServer here; the source is a real docker-registry.
 */
class ImagePromoterRetryTest {
    @Test
    void streamedBlobIsCopiedAgainAfterA503() throws Exception {
        AtomicInteger failuresLeft = new AtomicInteger(1);
        List<String> puts = Collections.synchronizedList(new ArrayList<>());
        try (LocalRegistry source = LocalRegistry.builder().tls(false).start();
                MockWebServer target = new MockWebServer()) {
            target.setDispatcher(
                    new Dispatcher() {
                        @Override
                        public MockResponse dispatch(RecordedRequest request) {
                            String path = request.getPath();
                            if (request.getMethod().equals("HEAD")) {
                                return new MockResponse().setResponseCode(404);
                            }
                            if (request.getMethod().equals("POST")
                                    && path.contains("/blobs/uploads/")) {
                                return new MockResponse()
                                        .setResponseCode(202)
                                        .setHeader("Location", "/upload/session?_state=opaque");
                            }
                            if (request.getMethod().equals("PUT")
                                    && path.startsWith("/upload/session")) {
                                puts.add(path);
                                if (failuresLeft.getAndDecrement() > 0) {
                                    return new MockResponse().setResponseCode(503);
                                }
                                return new MockResponse().setResponseCode(201);
                            }
                            if (request.getMethod().equals("PUT") && path.contains("/manifests/")) {
                                return new MockResponse().setResponseCode(201);
                            }
                            return new MockResponse().setResponseCode(200);
                        }
                    });
            target.start(java.net.InetAddress.getLoopbackAddress(), 0);
            RegistryClient sourceClient =
                    RegistryClient.builder(source.hostPort()).plainHttp(true).build();
            Manifest manifest = TestImages.push(sourceClient, "ci/app", "1", 41, 5000);
            RegistryClient targetClient =
                    RegistryClient.builder("127.0.0.1:" + target.getPort())
                            .plainHttp(true)
                            .retries(1, Duration.ofMillis(1))
                            .build();
            List<String> log = Collections.synchronizedList(new ArrayList<>());

            PromotionResult result =
                    new ImagePromoter(log::add, 1, true)
                            .promote(
                                    sourceClient,
                                    ImageReference.parse(source.hostPort() + "/ci/app:1"),
                                    targetClient,
                                    ImageReference.parse(
                                            "127.0.0.1:" + target.getPort() + "/prod/app:1"));

            assertThat(result.digest()).isEqualTo(manifest.digest());
            assertThat(result.blobsStreamed()).isEqualTo(2);
            assertThat(puts)
                    .hasSize(3)
                    .allMatch(p -> p.startsWith("/upload/session?_state=opaque&digest=sha256%3A"));
            assertThat(log)
                    .anyMatch(
                            line -> line.startsWith("Retrying blob ") && line.contains("HTTP 503"));
        }
    }
}
