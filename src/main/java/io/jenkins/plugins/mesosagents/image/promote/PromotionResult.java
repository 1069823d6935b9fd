package io.jenkins.plugins.mesosagents.image.promote;

import io.jenkins.plugins.mesosagents.image.Digest;
import io.jenkins.plugins.mesosagents.image.ImageReference;

/**
 * What a promotion did: the target reference pinned to the (unchanged) manifest digest, and how
 * many blobs were already there, mounted inside the registry, or streamed across, with the bytes
 * streamed.
 */
public record PromotionResult(
        ImageReference target,
        Digest digest,
        int blobsPresent,
        int blobsMounted,
        int blobsStreamed,
        long bytesStreamed) {}
