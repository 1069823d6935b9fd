package io.jenkins.plugins.mesosagents.image.registry;

import io.jenkins.plugins.mesosagents.image.Digest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Builds small synthetic images (config + random layers) and pushes them through a {@link
 * RegistryClient}.
 */
public final class TestImages {
    private TestImages() {}

    /**
     * Pushes an image with {@code layerSizes} random layers to repository:tag; returns its
     * manifest.
     */
    public static Manifest push(
            RegistryClient client, String repository, String tag, long seed, int... layerSizes)
            throws IOException {
        Random random = new Random(seed);
        List<String> layers = new ArrayList<>();
        List<String> diffIds = new ArrayList<>();
        for (int size : layerSizes) {
            byte[] layer = new byte[size];
            random.nextBytes(layer);
            Digest digest = Digest.sha256(layer);
            client.uploadBlob(repository, digest, layer);
            layers.add(
                    "{\"mediaType\":\""
                            + MediaTypes.OCI_LAYER
                            + "\",\"digest\":\""
                            + digest
                            + "\",\"size\":"
                            + size
                            + "}");
            diffIds.add("\"" + digest + "\"");
        }
        byte[] config =
                ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Labels\":{\"seed\":\""
                                + seed
                                + "\"}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":["
                                + String.join(",", diffIds)
                                + "]}}")
                        .getBytes(StandardCharsets.UTF_8);
        Digest configDigest = Digest.sha256(config);
        client.uploadBlob(repository, configDigest, config);
        String json =
                "{\"schemaVersion\":2,\"mediaType\":\""
                        + MediaTypes.OCI_MANIFEST
                        + "\",\"config\":{\"mediaType\":\""
                        + MediaTypes.OCI_CONFIG
                        + "\",\"digest\":\""
                        + configDigest
                        + "\",\"size\":"
                        + config.length
                        + "},\"layers\":["
                        + String.join(",", layers)
                        + "]}";
        Manifest manifest =
                Manifest.of(MediaTypes.OCI_MANIFEST, json.getBytes(StandardCharsets.UTF_8));
        client.putManifest(repository, tag, manifest);
        return manifest;
    }
}
