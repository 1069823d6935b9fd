package io.jenkins.plugins.mesosagents.testcluster.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mesosagents.image.registry.Manifest;
import io.jenkins.plugins.mesosagents.image.registry.RegistryClient;
import io.jenkins.plugins.mesosagents.image.registry.RegistryCredentials;
import io.jenkins.plugins.mesosagents.image.registry.TestImages;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

/**
 * The pull+push baseline of the image benchmarks: a skopeo copy with a fresh home must move every
 * blob, even inside one registry where a copy that remembers blob locations mounts them instead.
 */
class SkopeoTest {
    @TempDir Path homes;

    @Test
    void aCopyWithAFreshHomeKnowsNoBlobLocationsAndMovesEveryBlob() throws Exception {
        try (LocalRegistry registry = LocalRegistry.builder().user("ci", "ci-pw").start()) {
            RegistryClient client =
                    RegistryClient.builder(registry.hostPort())
                            .httpClient(registry.httpClient().build())
                            .credentials(RegistryCredentials.basic("ci", "ci-pw"))
                            .build();
            Manifest image = TestImages.push(client, "ci/app", "1", 5, 3000, 4000);
            List<String> blobs =
                    image.blobs().stream().map(blob -> blob.digest().toString()).toList();
            Path seen = homes.resolve("seen");
            Skopeo.Image source = new Skopeo.Image(registry, "ci:ci-pw", "ci/app:1");
            Skopeo.copy(source, new Skopeo.Image(registry, "ci:ci-pw", "one/app:1"), seen);

            List<String> remembering =
                    Skopeo.copyListingRequests(
                            source, new Skopeo.Image(registry, "ci:ci-pw", "two/app:1"), seen);
            List<String> fresh =
                    Skopeo.copyListingRequests(
                            source,
                            new Skopeo.Image(registry, "ci:ci-pw", "three/app:1"),
                            homes.resolve("fresh"));

            assertThat(Skopeo.blobInfoCacheDirectory(seen))
                    .isDirectoryContaining("glob:**blob-info-cache*");
            // the check can fail: a home that saw the blobs mounts them
            assertThat(remembering).anyMatch(request -> request.contains("mount="));
            assertThat(fresh).noneMatch(request -> request.contains("mount="));
            for (String blob : blobs) {
                assertThat(fresh)
                        .anyMatch(
                                request ->
                                        request.startsWith("GET ")
                                                && request.contains("/v2/ci/app/blobs/" + blob));
            }
            // skopeo gzips these uncompressed test layers on the way, so the pushed digests differ
            assertThat(
                            fresh.stream()
                                    .filter(
                                            request ->
                                                    request.startsWith("PUT ")
                                                            && request.contains(
                                                                    "/v2/three/app/blobs/uploads/")
                                                            && request.contains("digest=")))
                    .hasSize(blobs.size());
        }
    }
}
