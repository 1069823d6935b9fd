package io.jenkins.plugins.mesosagents.image.promote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mesosagents.image.ImageReference;
import io.jenkins.plugins.mesosagents.image.registry.Manifest;
import io.jenkins.plugins.mesosagents.image.registry.RegistryClient;
import io.jenkins.plugins.mesosagents.image.registry.RegistryCredentials;
import io.jenkins.plugins.mesosagents.image.registry.RegistryException;
import io.jenkins.plugins.mesosagents.image.registry.TestImages;
import io.jenkins.plugins.mesosagents.testcluster.registry.QuirkyRegistry;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Promotions against hosted-registry quirks played by {@link QuirkyRegistry}. */
class ImagePromoterQuirksTest {
    private QuirkyRegistry source;
    private QuirkyRegistry target;
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() throws Exception {
        source = QuirkyRegistry.start().basicAuth("dev-robot", "dev-secret");
        target = QuirkyRegistry.start().basicAuth("prod-robot", "prod-secret");
    }

    @AfterEach
    void stop() throws Exception {
        source.close();
        target.close();
    }

    private static RegistryClient client(QuirkyRegistry registry, String user, String secret) {
        return RegistryClient.builder(registry.hostPort())
                .plainHttp(true)
                .credentials(RegistryCredentials.basic(user, secret))
                .retries(1, Duration.ofMillis(1))
                .build();
    }

    private RegistryClient sourceClient() {
        return client(source, "dev-robot", "dev-secret");
    }

    private RegistryClient targetClient() {
        return client(target, "prod-robot", "prod-secret");
    }

    private PromotionResult promote(
            RegistryClient from, String fromRef, RegistryClient to, String toRef) throws Exception {
        return new ImagePromoter(log::add, 2, true)
                .promote(from, ImageReference.parse(fromRef), to, ImageReference.parse(toRef));
    }

    @Test
    void mountAnsweredWith202UsesTheUploadSessionItOpened() throws Exception {
        source.mountAnswers(202); // ECR: mounts are accepted as plain uploads
        RegistryClient client = sourceClient();
        Manifest manifest = TestImages.push(client, "dev/app", "1", 3, 2000, 3000);

        PromotionResult result =
                promote(
                        client,
                        source.hostPort() + "/dev/app:1",
                        client,
                        source.hostPort() + "/prod/app:1");

        assertThat(result.digest()).isEqualTo(manifest.digest());
        assertThat(result.blobsStreamed()).isEqualTo(3);
        assertThat(source.calls("DELETE", "/upload/")).isEmpty();
        assertThat(source.calls("POST", "/v2/prod/app/blobs/uploads/")).hasSize(3);
    }

    @Test
    void mountRefusedForTheTargetLoginFallsBackToCopying() throws Exception {
        // dev→prod with separate robot accounts: the target login may not read the source repo
        source.mountAnswers(401);
        RegistryClient client = sourceClient();
        Manifest manifest = TestImages.push(client, "dev/app", "1", 4, 2000);

        PromotionResult result =
                promote(
                        client,
                        source.hostPort() + "/dev/app:1",
                        client,
                        source.hostPort() + "/prod/app:1");

        assertThat(result.digest()).isEqualTo(manifest.digest());
        assertThat(result.blobsMounted()).isZero();
        assertThat(result.blobsStreamed()).isEqualTo(2);
        assertThat(source.hasManifest("prod/app", "1")).isTrue();
    }

    @Test
    void aBlobStoredDespiteAFailedFinalPutIsNotStreamedAgain() throws Exception {
        target.finalPutsStoreThenFail(1); // a gateway timed out, but the registry kept the blob
        Manifest manifest = TestImages.push(sourceClient(), "dev/app", "1", 5, 50_000);

        PromotionResult result =
                new ImagePromoter(log::add, 1, true)
                        .promote(
                                sourceClient(),
                                ImageReference.parse(source.hostPort() + "/dev/app:1"),
                                targetClient(),
                                ImageReference.parse(target.hostPort() + "/prod/app:1"));

        assertThat(result.digest()).isEqualTo(manifest.digest());
        assertThat(target.calls("PUT", "/upload/")).hasSize(2); // the failed one + the config
        assertThat(source.calls("GET", "/blobs/")).hasSize(2);
    }

    @Test
    void theTargetIsAskedFirstSoAnImageItHasCostsTheSourceNoManifestPull() throws Exception {
        Manifest manifest = TestImages.push(sourceClient(), "dev/app", "1", 6, 1000);
        TestImages.push(targetClient(), "prod/app", "0", 6, 1000);
        int sourceGetsBefore = source.calls("GET", "/manifests/").size();

        PromotionResult result =
                promote(
                        sourceClient(),
                        source.hostPort() + "/dev/app:1",
                        targetClient(),
                        target.hostPort() + "/prod/app:1");

        assertThat(result.digest()).isEqualTo(manifest.digest());
        assertThat(target.hasManifest("prod/app", "1")).isTrue();
        // each manifest GET counts as a pull against Docker Hub's limit; HEAD does not
        assertThat(source.calls("GET", "/manifests/")).hasSize(sourceGetsBefore);
    }

    @Test
    void aCorruptSourceBlobIsBlamedOnTheSource() throws Exception {
        TestImages.push(sourceClient(), "dev/app", "1", 8, 4000);
        source.tamperBlobGets(true);

        assertThatThrownBy(
                        () ->
                                promote(
                                        sourceClient(),
                                        source.hostPort() + "/dev/app:1",
                                        targetClient(),
                                        target.hostPort() + "/prod/app:1"))
                .isInstanceOfSatisfying(
                        RegistryException.class,
                        e ->
                                assertThat(e.reason())
                                        .isEqualTo(RegistryException.Reason.DIGEST_MISMATCH))
                .hasMessageContaining("Registry " + source.hostPort() + " sent content with digest")
                .hasMessageNotContaining("Cannot reach registry " + target.hostPort());
    }

    @Test
    void aSourceThatRefusesManifestHeadsIsReadWithGetInstead() throws Exception {
        source.refuseManifestHeads(true);
        Manifest manifest = TestImages.push(sourceClient(), "dev/app", "1", 9, 1200);

        PromotionResult result =
                promote(
                        sourceClient(),
                        source.hostPort() + "/dev/app:1",
                        targetClient(),
                        target.hostPort() + "/prod/app:1");

        assertThat(result.digest()).isEqualTo(manifest.digest());
        assertThat(target.hasManifest("prod/app", "1")).isTrue();
    }

    @Test
    void insideOneRegistryEveryBlobIsMountedInOneWave() throws Exception {
        RegistryClient client = sourceClient();
        // 5 layers + the config: more than the 2 blobs this promoter streams at once
        Manifest manifest = TestImages.push(client, "dev/app", "1", 10, 100, 200, 300, 400, 500);
        source.holdUntilInFlight(
                request -> request.getPath().contains("mount="), 6, Duration.ofSeconds(5));

        PromotionResult result =
                promote(
                        client,
                        source.hostPort() + "/dev/app:1",
                        client,
                        source.hostPort() + "/prod/app:1");

        assertThat(result.digest()).isEqualTo(manifest.digest());
        assertThat(result.blobsMounted()).isEqualTo(6);
        assertThat(source.maxInFlight()).isEqualTo(6);
    }

    @Test
    void insideOneRegistryTheMountTokenIsFetchedWhileTheSourceManifestIsRead() throws Exception {
        source.tokenAuth("dev-robot", "dev-secret");
        RegistryClient client = sourceClient();
        TestImages.push(client, "dev/app", "1", 11, 100, 200);
        client.manifest("dev/app", "1"); // a token for pulling the source is cached
        int tokensBefore = source.tokenRequests();
        source.holdUntilInFlight(
                request ->
                        request.getPath().startsWith("/token")
                                || request.getPath().equals("/v2/dev/app/manifests/1"),
                2,
                Duration.ofSeconds(5));

        PromotionResult result =
                promote(
                        client,
                        source.hostPort() + "/dev/app:1",
                        client,
                        source.hostPort() + "/prod/app:1");

        assertThat(result.blobsMounted()).isEqualTo(3);
        assertThat(source.maxInFlight()).isEqualTo(2);
        // one token serves the mounts and the manifest PUT
        assertThat(source.tokenRequests()).isEqualTo(tokensBefore + 1);
    }

    @Test
    void refusedMountsAreCopiedNoMoreAtOnceThanTheParallelismAllows() throws Exception {
        source.mountAnswers(401);
        RegistryClient client = sourceClient();
        TestImages.push(client, "dev/app", "1", 12, 100, 200, 300, 400, 500);
        // a third upload in flight would be released at once; without it the hold times out
        source.holdUntilInFlight(
                request ->
                        request.getMethod().equals("PUT") && request.getPath().contains("/upload/"),
                3,
                Duration.ofMillis(300));

        PromotionResult result =
                promote(
                        client,
                        source.hostPort() + "/dev/app:1",
                        client,
                        source.hostPort() + "/prod/app:1");

        assertThat(result.blobsStreamed()).isEqualTo(6);
        assertThat(source.maxInFlight()).isEqualTo(2);
    }
}
