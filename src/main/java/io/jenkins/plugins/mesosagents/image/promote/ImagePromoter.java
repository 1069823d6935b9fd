package io.jenkins.plugins.mesosagents.image.promote;

import io.jenkins.plugins.mesosagents.image.Digest;
import io.jenkins.plugins.mesosagents.image.ImageReference;
import io.jenkins.plugins.mesosagents.image.ProgressListener;
import io.jenkins.plugins.mesosagents.image.registry.Blob;
import io.jenkins.plugins.mesosagents.image.registry.Descriptor;
import io.jenkins.plugins.mesosagents.image.registry.Manifest;
import io.jenkins.plugins.mesosagents.image.registry.RegistryClient;
import io.jenkins.plugins.mesosagents.image.registry.RegistryException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies an image (a manifest, or an index and all its manifests, plus every blob) from one
 * repository to another by registry API, without pulling it to disk: blobs the target has are
 * skipped, blobs in the same registry are mounted, the rest are streamed from source to target
 * (several at a time). The manifest bytes are copied verbatim, so the digest does not change.
 */
public final class ImagePromoter {
    private final ProgressListener progress;
    private final int parallelism;
    private final boolean mount;

    public ImagePromoter(ProgressListener progress) {
        this(progress, 4, true);
    }

    /**
     * @param parallelism blobs copied at once
     * @param mount whether to try cross-repository mounts inside one registry (false forces
     *     pull+push)
     */
    public ImagePromoter(ProgressListener progress, int parallelism, boolean mount) {
        this.progress = progress;
        this.parallelism = Math.max(1, parallelism);
        this.mount = mount;
    }

    public PromotionResult promote(
            RegistryClient source, ImageReference from, RegistryClient target, ImageReference to)
            throws IOException {
        boolean sameRegistry = mount && source.registry().equals(target.registry());
        Manifest manifest = source.manifest(from.repository(), from.manifestReference());
        Counters counters = new Counters();
        ExecutorService pool =
                Executors.newFixedThreadPool(
                        parallelism,
                        runnable -> {
                            Thread thread = new Thread(runnable, "image-promote");
                            thread.setDaemon(true);
                            return thread;
                        });
        try {
            if (manifest.isIndex()) {
                for (Descriptor child : manifest.manifests()) {
                    Manifest childManifest =
                            source.manifest(from.repository(), child.digest().toString());
                    copyBlobs(
                            pool, source, from, target, to, childManifest, sameRegistry, counters);
                    target.putManifest(to.repository(), child.digest().toString(), childManifest);
                }
            } else {
                copyBlobs(pool, source, from, target, to, manifest, sameRegistry, counters);
            }
        } finally {
            pool.shutdownNow();
        }
        String reference = to.tag() != null ? to.tag() : manifest.digest().toString();
        Digest digest = target.putManifest(to.repository(), reference, manifest);
        progress.line(
                "Promoted "
                        + from
                        + " to "
                        + to.name()
                        + ":"
                        + reference
                        + "@"
                        + digest
                        + " ("
                        + counters.present
                        + " blobs already present, "
                        + counters.mounted
                        + " mounted, "
                        + counters.streamed
                        + " copied, "
                        + human(counters.bytes.get())
                        + ")");
        return new PromotionResult(
                to.withDigest(digest),
                digest,
                counters.present.get(),
                counters.mounted.get(),
                counters.streamed.get(),
                counters.bytes.get());
    }

    private static final class Counters {
        final AtomicInteger present = new AtomicInteger();
        final AtomicInteger mounted = new AtomicInteger();
        final AtomicInteger streamed = new AtomicInteger();
        final AtomicLong bytes = new AtomicLong();
    }

    private void copyBlobs(
            ExecutorService pool,
            RegistryClient source,
            ImageReference from,
            RegistryClient target,
            ImageReference to,
            Manifest manifest,
            boolean sameRegistry,
            Counters counters)
            throws IOException {
        Map<Digest, Descriptor> unique = new LinkedHashMap<>();
        for (Descriptor blob : manifest.blobs()) {
            unique.putIfAbsent(blob.digest(), blob);
        }
        List<Future<?>> futures = new ArrayList<>();
        for (Descriptor blob : unique.values()) {
            futures.add(
                    pool.submit(
                            () -> {
                                copyBlob(source, from, target, to, blob, sameRegistry, counters);
                                return null;
                            }));
        }
        for (Future<?> future : futures) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while promoting " + from);
            } catch (ExecutionException e) {
                for (Future<?> other : futures) {
                    other.cancel(true);
                }
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                throw new IOException(
                        "Promoting " + from + " failed: " + e.getCause(), e.getCause());
            }
        }
    }

    private void copyBlob(
            RegistryClient source,
            ImageReference from,
            RegistryClient target,
            ImageReference to,
            Descriptor blob,
            boolean sameRegistry,
            Counters counters)
            throws IOException {
        String shortDigest = blob.digest().hex().substring(0, 12);
        // inside one registry a mount is idempotent and costs one request, like the HEAD it would
        // otherwise follow
        if (sameRegistry && target.mountBlob(to.repository(), blob.digest(), from.repository())) {
            counters.mounted.incrementAndGet();
            progress.line("Mounted blob " + shortDigest + " from " + from.repository());
            return;
        }
        if (target.blobSize(to.repository(), blob.digest()).isPresent()) {
            counters.present.incrementAndGet();
            progress.line("Blob " + shortDigest + " already in " + to.repository());
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try (Blob download = source.openBlob(from.repository(), blob.digest())) {
                long size = download.size() >= 0 ? download.size() : blob.size();
                if (size >= 0) {
                    target.uploadBlob(to.repository(), blob.digest(), size, download.stream());
                } else {
                    target.uploadBlobChunked(
                            to.repository(), blob.digest(), download.stream(), 8 << 20);
                }
                counters.streamed.incrementAndGet();
                counters.bytes.addAndGet(Math.max(size, 0));
                progress.line("Copied blob " + shortDigest + " (" + human(size) + ")");
                return;
            } catch (RegistryException e) {
                if (e.reason() != RegistryException.Reason.UNAVAILABLE || attempt >= 3) {
                    throw e;
                }
                progress.line("Retrying blob " + shortDigest + " after: " + e.getMessage());
            }
        }
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        return bytes < 1 << 20
                ? String.format("%.1f KiB", bytes / 1024.0)
                : String.format("%.1f MiB", bytes / 1048576.0);
    }
}
