package io.jenkins.plugins.mesosagents.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jenkins.plugins.mesosagents.image.Digest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A manifest exactly as the registry stores it: its media type, its bytes (which define its digest,
 * so they are never re-serialised) and that digest. Image manifests name a config and layers;
 * indexes name child manifests.
 */
public record Manifest(String mediaType, byte[] bytes, Digest digest) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Wraps raw manifest bytes; the media type comes from the JSON's {@code mediaType} if not
     * given.
     */
    public static Manifest of(String mediaType, byte[] bytes) throws IOException {
        JsonNode root = JSON.readTree(bytes);
        if (root == null || !root.isObject()) {
            throw new IOException("A manifest must be a JSON object");
        }
        String type = mediaType;
        if (type == null || !MediaTypes.MANIFESTS.contains(type)) {
            type = root.path("mediaType").asText(null);
        }
        if (type == null) {
            type = root.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
        }
        return new Manifest(type, bytes.clone(), Digest.sha256(bytes));
    }

    public boolean isIndex() {
        return MediaTypes.isIndex(mediaType);
    }

    /** For an image manifest, the config descriptor. */
    public Descriptor config() throws IOException {
        return descriptor(tree().path("config"));
    }

    /** For an image manifest, the layers in order. */
    public List<Descriptor> layers() throws IOException {
        return descriptors("layers");
    }

    /** For an index, the child manifests. */
    public List<Descriptor> manifests() throws IOException {
        return descriptors("manifests");
    }

    /** Every blob an image manifest needs: config first, then layers. */
    public List<Descriptor> blobs() throws IOException {
        List<Descriptor> blobs = new ArrayList<>();
        blobs.add(config());
        blobs.addAll(layers());
        return blobs;
    }

    private List<Descriptor> descriptors(String field) throws IOException {
        List<Descriptor> result = new ArrayList<>();
        for (JsonNode node : tree().path(field)) {
            result.add(descriptor(node));
        }
        return result;
    }

    private JsonNode tree() throws IOException {
        return JSON.readTree(bytes);
    }

    private static Descriptor descriptor(JsonNode node) throws IOException {
        if (!node.hasNonNull("digest")) {
            throw new IOException("Manifest descriptor without a digest: " + node);
        }
        try {
            return new Descriptor(
                    node.path("mediaType").asText(null),
                    Digest.parse(node.get("digest").asText()),
                    node.path("size").asLong(-1));
        } catch (IllegalArgumentException e) {
            throw new IOException(
                    "Manifest descriptor has a malformed digest: " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Manifest m
                && m.digest.equals(digest)
                && m.mediaType.equals(mediaType);
    }

    @Override
    public int hashCode() {
        return digest.hashCode();
    }

    @Override
    public String toString() {
        return "Manifest[" + mediaType + ", " + digest + ", " + bytes.length + " bytes]";
    }
}
