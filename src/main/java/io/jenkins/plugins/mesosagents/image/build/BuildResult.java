package io.jenkins.plugins.mesosagents.image.build;

import io.jenkins.plugins.mesosagents.image.ImageReference;

import java.util.List;

/**
 * A built image: its id (the config digest, {@code sha256:...}), its tags, and which builder made
 * it.
 */
public record BuildResult(String imageId, List<ImageReference> tags, String builder) {}
