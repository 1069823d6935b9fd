package io.jenkins.plugins.mesosagents.image.promote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mesosagents.image.ImageReference;
import io.jenkins.plugins.mesosagents.image.ProgressListener;
import io.jenkins.plugins.mesosagents.image.registry.Manifest;
import io.jenkins.plugins.mesosagents.image.registry.MediaTypes;
import io.jenkins.plugins.mesosagents.image.registry.RegistryClient;
import io.jenkins.plugins.mesosagents.image.registry.RegistryCredentials;
import io.jenkins.plugins.mesosagents.image.registry.RegistryException;
import io.jenkins.plugins.mesosagents.image.registry.TestImages;
import io.jenkins.plugins.mesosagents.testcluster.registry.LocalRegistry;
import io.jenkins.plugins.mesosagents.testcluster.registry.Skopeo;
import io.jenkins.plugins.mesosagents.testcluster.registry.TokenIssuer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Promotion by registry API between real docker-registry instances, checked with skopeo. */
class ImagePromoterTest {
    static LocalRegistry basic;
    static TokenIssuer issuer;
    static LocalRegistry token;
    static Path issuerDir;

    @BeforeAll
    static void start() throws Exception {
        basic = LocalRegistry.builder().user("ci", "ci-pw").start();
        issuerDir = Files.createTempDirectory("promote-issuer-");
        issuer =
                new TokenIssuer(issuerDir)
                        .user("release", "rel-pw", "pull", "push")
                        .user("viewer", "view-pw", "pull");
        token = LocalRegistry.builder().tokenAuth(issuer).tls(false).start();
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {token, issuer, basic}) {
            if (closeable != null) {
                closeable.close();
            }
        }
        try (var files = Files.walk(issuerDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static RegistryClient client(LocalRegistry registry, String user, String password) {
        return RegistryClient.builder(registry.hostPort())
                .plainHttp(!registry.tls())
                .httpClient(registry.httpClient().build())
                .credentials(RegistryCredentials.basic(user, password))
                .retries(2, Duration.ofMillis(10))
                .build();
    }

    static ImageReference ref(LocalRegistry registry, String image) {
        return ImageReference.parse(registry.hostPort() + "/" + image);
    }

    @Test
    void retagInsideOneRegistryMountsEveryBlobAndKeepsTheDigest() throws Exception {
        RegistryClient client = client(basic, "ci", "ci-pw");
        Manifest original = TestImages.push(client, "ci/app", "build-42", 11, 3000, 4000, 5000);
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        PromotionResult result =
                new ImagePromoter(log::add)
                        .promote(
                                client,
                                ref(basic, "ci/app:build-42"),
                                client,
                                ref(basic, "release/app:1.0"));

        assertThat(result.digest()).isEqualTo(original.digest());
        assertThat(result.blobsMounted()).isEqualTo(4);
        assertThat(result.blobsStreamed()).isZero();
        assertThat(result.bytesStreamed()).isZero();
        assertThat(result.target())
                .hasToString(basic.hostPort() + "/release/app:1.0@" + original.digest());
        assertThat(log)
                .anyMatch(line -> line.startsWith("Mounted blob "))
                .last()
                .asString()
                .contains("4 mounted, 0 copied");
        assertThat(
                        Skopeo.inspect(basic, "ci", "ci-pw", "release/app:1.0", false)
                                .path("Digest")
                                .asText())
                .isEqualTo(original.digest().toString());

        PromotionResult again =
                new ImagePromoter(log::add)
                        .promote(
                                client,
                                ref(basic, "ci/app:build-42"),
                                client,
                                ref(basic, "release/app:1.0.0"));
        assertThat(again.blobsMounted())
                .isEqualTo(4); // re-mounting what is there is one request, like a HEAD
        assertThat(again.blobsStreamed()).isZero();
        assertThat(again.digest()).isEqualTo(original.digest());
        assertThat(client.tags("release/app")).containsExactlyInAnyOrder("1.0", "1.0.0");
    }

    /**
     * Promoting a tag within its own repository (app:1.4-rc to app:1.4) needs no blob request:
     * every blob is in the repository, and the registry checks that when the manifest is put.
     */
    @Test
    void retagInsideOneRepositoryPutsOnlyTheManifest() throws Exception {
        List<String> requests = Collections.synchronizedList(new ArrayList<>());
        RegistryClient client =
                RegistryClient.builder(basic.hostPort())
                        .httpClient(
                                basic.httpClient()
                                        .addInterceptor(
                                                chain -> {
                                                    requests.add(
                                                            chain.request().method()
                                                                    + " "
                                                                    + chain.request()
                                                                            .url()
                                                                            .encodedPath());
                                                    return chain.proceed(chain.request());
                                                })
                                        .build())
                        .credentials(RegistryCredentials.basic("ci", "ci-pw"))
                        .build();
        Manifest original = TestImages.push(client, "ci/web", "1.4-rc", 12, 3000, 4000);
        requests.clear();

        PromotionResult result =
                new ImagePromoter(ProgressListener.NONE)
                        .promote(
                                client,
                                ref(basic, "ci/web:1.4-rc"),
                                client,
                                ref(basic, "ci/web:1.4"));

        assertThat(result.digest()).isEqualTo(original.digest());
        assertThat(result.blobsPresent()).isEqualTo(3);
        assertThat(result.blobsMounted()).isZero();
        assertThat(result.blobsStreamed()).isZero();
        assertThat(requests)
                .containsExactly("GET /v2/ci/web/manifests/1.4-rc", "PUT /v2/ci/web/manifests/1.4");
        assertThat(client.tags("ci/web")).containsExactlyInAnyOrder("1.4-rc", "1.4");
    }

    @Test
    void promotionAcrossRegistriesStreamsBlobsAndKeepsTheDigest() throws Exception {
        RegistryClient source = client(basic, "ci", "ci-pw");
        RegistryClient target = client(token, "release", "rel-pw");
        Manifest original = TestImages.push(source, "ci/service", "rc1", 12, 100_000, 300_000);
        PromotionResult result =
                new ImagePromoter(line -> {})
                        .promote(
                                source,
                                ref(basic, "ci/service:rc1"),
                                target,
                                ref(token, "prod/service:2.3"));

        assertThat(result.digest()).isEqualTo(original.digest());
        assertThat(result.blobsStreamed()).isEqualTo(3);
        assertThat(result.bytesStreamed()).isEqualTo(400_000 + original.config().size());
        assertThat(
                        Skopeo.inspect(token, "release", "rel-pw", "prod/service:2.3", false)
                                .path("Digest")
                                .asText())
                .isEqualTo(original.digest().toString());
        assertThat(target.manifest("prod/service", original.digest().toString()).bytes())
                .isEqualTo(original.bytes());

        PromotionResult again =
                new ImagePromoter(line -> {})
                        .promote(
                                source,
                                ref(basic, "ci/service:rc1"),
                                target,
                                ref(token, "prod/service:2.3.0"));
        assertThat(again.blobsPresent()).isEqualTo(3);
        assertThat(again.blobsStreamed()).isZero();
        assertThat(target.tags("prod/service")).containsExactlyInAnyOrder("2.3", "2.3.0");
    }

    @Test
    void promotesAnIndexWithAllItsManifests() throws Exception {
        RegistryClient source = client(basic, "ci", "ci-pw");
        Manifest amd64 = TestImages.push(source, "ci/multi", "amd64", 21, 700);
        Manifest arm64 = TestImages.push(source, "ci/multi", "arm64", 22, 800);
        String index =
                "{\"schemaVersion\":2,\"mediaType\":\""
                        + MediaTypes.OCI_INDEX
                        + "\",\"manifests\":["
                        + "{\"mediaType\":\""
                        + MediaTypes.OCI_MANIFEST
                        + "\",\"digest\":\""
                        + amd64.digest()
                        + "\",\"size\":"
                        + amd64.bytes().length
                        + ",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}},"
                        + "{\"mediaType\":\""
                        + MediaTypes.OCI_MANIFEST
                        + "\",\"digest\":\""
                        + arm64.digest()
                        + "\",\"size\":"
                        + arm64.bytes().length
                        + ",\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\"}}]}";
        Manifest indexManifest =
                Manifest.of(MediaTypes.OCI_INDEX, index.getBytes(StandardCharsets.UTF_8));
        source.putManifest("ci/multi", "1.0", indexManifest);

        RegistryClient target = client(token, "release", "rel-pw");
        PromotionResult result =
                new ImagePromoter(line -> {})
                        .promote(
                                source,
                                ref(basic, "ci/multi:1.0"),
                                target,
                                ref(token, "prod/multi:1.0"));
        assertThat(result.digest()).isEqualTo(indexManifest.digest());
        assertThat(result.blobsStreamed()).isEqualTo(4);
        Manifest copied = target.manifest("prod/multi", "1.0");
        assertThat(copied.isIndex()).isTrue();
        assertThat(copied.manifests())
                .extracting(d -> d.digest())
                .containsExactly(amd64.digest(), arm64.digest());
        assertThat(target.manifest("prod/multi", arm64.digest().toString()).layers()).hasSize(1);
        assertThat(
                        Skopeo.inspect(token, "release", "rel-pw", "prod/multi:1.0", true)
                                .path("manifests")
                                .size())
                .isEqualTo(2);
    }

    @Test
    void promotingWithoutPushPermissionSaysSo() throws Exception {
        RegistryClient source = client(basic, "ci", "ci-pw");
        TestImages.push(source, "ci/locked", "v1", 31, 50);
        RegistryClient viewer = client(token, "viewer", "view-pw");
        assertThatThrownBy(
                        () ->
                                new ImagePromoter(line -> {})
                                        .promote(
                                                source,
                                                ref(basic, "ci/locked:v1"),
                                                viewer,
                                                ref(token, "prod/locked:v1")))
                .isInstanceOfSatisfying(
                        RegistryException.class,
                        e ->
                                assertThat(e.reason())
                                        .isEqualTo(RegistryException.Reason.PERMISSION_DENIED))
                .hasMessageContaining("does not allow user 'viewer'")
                .hasMessageContaining("push permission on 'prod/locked'");
    }

    @Test
    void promotingAMissingTagSaysWhichTag() {
        RegistryClient source = client(basic, "ci", "ci-pw");
        assertThatThrownBy(
                        () ->
                                new ImagePromoter(line -> {})
                                        .promote(
                                                source,
                                                ref(basic, "ci/app:no-such-build"),
                                                source,
                                                ref(basic, "release/app:x")))
                .hasMessageContaining("read the manifest ci/app:no-such-build");
    }
}
