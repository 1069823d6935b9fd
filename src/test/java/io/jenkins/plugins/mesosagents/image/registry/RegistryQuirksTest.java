package io.jenkins.plugins.mesosagents.image.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mesosagents.image.Digest;
import io.jenkins.plugins.mesosagents.testcluster.registry.QuirkyRegistry;

import okhttp3.OkHttpClient;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;

/**
 * The registry client against the quirks of hosted registries, played by {@link QuirkyRegistry}
 * (each quirk is named where it is set up). What the client must do follows the distribution spec
 * and what containers/image and go-containerregistry do; the citations are in the client code.
 */
class RegistryQuirksTest {
    private QuirkyRegistry quirky;

    @BeforeEach
    void start() throws Exception {
        quirky = QuirkyRegistry.start().basicAuth("robot", "robot-secret");
    }

    @AfterEach
    void stop() throws Exception {
        quirky.close();
    }

    private RegistryClient.Builder client() {
        return RegistryClient.builder(quirky.hostPort())
                .plainHttp(true)
                .credentials(RegistryCredentials.basic("robot", "robot-secret"))
                .retries(4, Duration.ofMillis(1));
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    @Test
    void uploadLocationOnAnotherHostReceivesNoCredentials() throws Exception {
        quirky.uploadsOnStorageHost(true); // S3-backed registries hand out foreign upload URLs
        byte[] blob = random(1000);
        Digest digest = Digest.sha256(blob);

        RegistryClient client = client().build();
        client.uploadBlob("team/app", digest, blob);
        client.uploadBlob(
                "team/app",
                Digest.sha256(random(2000)),
                2000,
                new ByteArrayInputStream(random(2000)));

        assertThat(quirky.hasBlob("team/app", digest)).isTrue();
        assertThat(quirky.calls().stream().filter(QuirkyRegistry.Call::storageHost))
                .hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(call -> assertThat(call.authorization()).isNull());
    }

    @Test
    void blobRedirectToAnotherHostReceivesNoCredentials() throws Exception {
        quirky.redirectBlobGetsToStorageHost(true); // CDN / S3 redirects of blob GETs
        byte[] blob = random(1500);
        Digest digest = quirky.putBlob("team/app", blob);

        try (Blob download = client().build().openBlob("team/app", digest)) {
            assertThat(download.stream().readAllBytes()).isEqualTo(blob);
        }
        assertThat(quirky.calls().stream().filter(QuirkyRegistry.Call::storageHost))
                .singleElement()
                .satisfies(call -> assertThat(call.authorization()).isNull());
    }

    @Test
    void slowFinalPutIsWaitedForWhileBodiesStallTimeoutStaysShort() throws Exception {
        // a registry that checksums and moves the blob before answering the final PUT
        quirky.finalPutDelay(Duration.ofMillis(1500));
        RegistryClient client =
                client().httpClient(
                                new OkHttpClient.Builder()
                                        .readTimeout(Duration.ofMillis(400))
                                        .writeTimeout(Duration.ofMillis(400))
                                        .build())
                        .build();
        byte[] blob = random(300_000);
        Digest digest = Digest.sha256(blob);

        client.uploadBlob("team/app", digest, blob.length, new ByteArrayInputStream(blob));

        assertThat(quirky.hasBlob("team/app", digest)).isTrue();
        assertThat(quirky.calls("PUT", "/upload/")).hasSize(1);
    }

    @Test
    void rateLimitWaitsAsLongAsRetryAfterSays() throws Exception {
        RegistryClient client = client().build();
        client.ping();
        Digest digest = quirky.putBlob("team/app", random(10));
        // every request within one second after a 429 is refused again, as Docker Hub does
        quirky.rateLimit(1, "1", 1000);

        assertThat(client.blobSize("team/app", digest)).hasValue(10);
        assertThat(quirky.calls("HEAD", "/blobs/")).hasSize(2);
    }

    @Test
    void rateLimitFarBeyondAnyRetryFailsAtOnceWithTheRegistrysOwnMessage() throws Exception {
        RegistryClient client = client().build();
        client.ping();
        quirky.rateLimit(1, "21600", Duration.ofHours(6).toMillis());

        assertThatThrownBy(() -> client.manifest("library/ubuntu", "22.04"))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("You have reached your pull rate limit")
                .hasMessageContaining("Retry-After")
                .hasMessageContaining("6 h");
        assertThat(quirky.calls("GET", "/manifests/")).hasSize(1);
    }

    @Test
    void tokenServiceRateLimitIsWaitedAsItsRetryAfterSays() throws Exception {
        quirky.tokenAuth("robot", "robot-secret").tokenRateLimit(1, "1");
        Digest digest = quirky.putBlob("team/app", random(10));
        RegistryClient client = client().build();

        long start = System.nanoTime();
        assertThat(client.blobSize("team/app", digest)).hasValue(10);

        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isGreaterThan(Duration.ofMillis(900));
        assertThat(quirky.tokenRequests()).isEqualTo(2);
    }

    @Test
    void tokenServiceRateLimitFarBeyondAnyRetryFailsAtOnceWithItsOwnMessage() throws Exception {
        quirky.tokenAuth("robot", "robot-secret").tokenRateLimit(1, "21600");
        RegistryClient client = client().build();

        assertThatThrownBy(() -> client.manifest("team/app", "1"))
                .isInstanceOfSatisfying(
                        RegistryException.class,
                        e ->
                                assertThat(e.reason())
                                        .isEqualTo(RegistryException.Reason.RATE_LIMITED))
                .hasMessageContaining("token")
                .hasMessageContaining("too many token requests from this address")
                .hasMessageContaining("6 h");
        assertThat(quirky.tokenRequests()).isEqualTo(1);
    }

    @Test
    void chunksStayWithinFourMebibytesAndAnyPatchSuccessIsAccepted() throws Exception {
        quirky.patches(4 << 20, 204); // GHCR caps a request at 4 MiB; some registries answer 204
        byte[] blob = random(9 << 20);

        Digest stored =
                client().build()
                        .uploadBlobChunked(
                                "team/app",
                                Digest.sha256(blob),
                                new ByteArrayInputStream(blob),
                                8 << 20);

        assertThat(stored).isEqualTo(Digest.sha256(blob));
        assertThat(quirky.hasBlob("team/app", stored)).isTrue();
        assertThat(quirky.calls("PATCH", "/upload/")).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void missingOrMalformedContentDigestHeadersAreNotFatal() throws Exception {
        RegistryClient client = client().build();
        Manifest pushed = TestImages.push(client, "team/app", "1", 7, 100);
        for (String mode : new String[] {"missing", "malformed"}) {
            quirky.digestHeader(mode);
            assertThat(client.manifest("team/app", "1").digest()).isEqualTo(pushed.digest());
            assertThat(client.putManifest("team/app", "2-" + mode, pushed))
                    .isEqualTo(pushed.digest());
            assertThat(client.blobSize("team/app", pushed.config().digest())).isPresent();
        }
    }

    @Test
    void aRefusedTokenIsNotReplacedByABroaderCachedOneThatIsJustAsStale() throws Exception {
        quirky.tokenAuth("robot", "robot-secret");
        RegistryClient client = client().build();
        Digest digest = quirky.putBlob("team/source", random(64));
        // one token for the mount's scopes (push on the target, pull on the source) also serves
        // a later pull of the target
        assertThat(client.mountBlob("team/target", digest, "team/source")).isTrue();
        assertThat(client.blobSize("team/target", digest)).isPresent();
        int tokensBefore = quirky.tokenRequests();

        quirky.revokeTokens();

        assertThat(client.blobSize("team/target", digest)).isPresent();
        assertThat(quirky.tokenRequests()).isEqualTo(tokensBefore + 1);
    }

    @Test
    void aMissingRepositoryIsNotPromisedToBeCreatedByAPush() {
        // ECR, GAR, Artifactory, Nexus and Harbor projects do not create repositories on push
        assertThatThrownBy(() -> client().build().manifest("team/nothing", "1"))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("team/nothing")
                .hasMessageNotContaining("created by the first push");
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
