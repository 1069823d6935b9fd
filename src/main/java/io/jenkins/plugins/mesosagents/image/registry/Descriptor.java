package io.jenkins.plugins.mesosagents.image.registry;

import io.jenkins.plugins.mesosagents.image.Digest;

/** A content descriptor from a manifest: what a blob or child manifest is, its digest and size. */
public record Descriptor(String mediaType, Digest digest, long size) {}
