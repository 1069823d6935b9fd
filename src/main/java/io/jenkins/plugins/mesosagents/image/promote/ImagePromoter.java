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
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies an image (a manifest, or an index and all its manifests, plus every blob) from one
 * repository to another by registry API, without pulling it to disk: blobs the target has are
 * skipped, blobs in the same registry are mounted, the rest are streamed from source to target
 * (several at a time). The manifest bytes are copied verbatim, so the digest does not change.
 */
public final class ImagePromoter {
    /**
     * Mounts move no data, so inside one registry all blobs of a manifest (usually fewer) are
     * mounted at once rather than in waves of {@code parallelism}; containers/image copies up to 6
     * layers at once (copy/copy.go L37-39).
     */
    static final int MOUNTS_AT_ONCE = 8;

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
        Counters counters = new Counters();
        // inside one registry, asking first would add two round trips to the mount path, whose
        // mounts of present blobs cost no more than HEADs; unless the digest is already known
        Manifest present =
                sameRegistry && from.digest() == null
                        ? null
                        : presentInTarget(source, from, target, to);
        if (present == null && sameRepository(source, from, target, to)) {
            // a new tag in the same repository: every blob (and an index's every child) is there
            // already, and the registry checks that when the manifest is put
            present = source.manifest(from.repository(), from.manifestReference());
        }
        if (present != null) {
            if (!present.isIndex()) {
                counters.present.addAndGet(
                        (int) present.blobs().stream().map(Descriptor::digest).distinct().count());
            }
            return finish(from, target, to, present, counters);
        }
        // threads start as tasks arrive: a promotion of few blobs starts few
        ExecutorService pool =
                Executors.newFixedThreadPool(
                        sameRegistry ? Math.max(parallelism, MOUNTS_AT_ONCE) : parallelism,
                        runnable -> {
                            Thread thread = new Thread(runnable, "image-promote");
                            thread.setDaemon(true);
                            return thread;
                        });
        Semaphore streams = new Semaphore(parallelism);
        Manifest manifest;
        try {
            if (sameRegistry) {
                // the mounts' token is fetched while the source manifest is read, not after
                pool.execute(() -> target.authorizeMounts(to.repository(), from.repository()));
            }
            manifest = source.manifest(from.repository(), from.manifestReference());
            if (manifest.isIndex()) {
                for (Descriptor child : manifest.manifests()) {
                    if (target.manifestDigest(to.repository(), child.digest().toString())
                            .isPresent()) {
                        continue; // a registry accepts a manifest only with all its blobs
                    }
                    Manifest childManifest =
                            source.manifest(from.repository(), child.digest().toString());
                    copyBlobs(
                            pool,
                            streams,
                            source,
                            from,
                            target,
                            to,
                            childManifest,
                            sameRegistry,
                            counters);
                    target.putManifest(to.repository(), child.digest().toString(), childManifest);
                }
            } else {
                copyBlobs(
                        pool, streams, source, from, target, to, manifest, sameRegistry, counters);
            }
        } finally {
            pool.shutdownNow();
        }
        return finish(from, target, to, manifest, counters);
    }

    private static boolean sameRepository(
            RegistryClient source, ImageReference from, RegistryClient target, ImageReference to) {
        return source.registry().equals(target.registry())
                && from.repository().equals(to.repository());
    }

    /**
     * The manifest, read from the target, if the target already has the source's digest: then
     * nothing needs to be pulled from the source but a HEAD (Docker Hub counts each manifest GET
     * against its pull limit, not HEADs).
     */
    private static Manifest presentInTarget(
            RegistryClient source, ImageReference from, RegistryClient target, ImageReference to)
            throws IOException {
        Digest digest =
                from.digest() != null
                        ? from.digest()
                        : headOrNothing(source, from.repository(), from.manifestReference());
        if (digest == null || headOrNothing(target, to.repository(), digest.toString()) == null) {
            return null;
        }
        return target.manifest(to.repository(), digest.toString());
    }

    /**
     * A manifest's digest by HEAD, or null when the registry cannot say (e.g. 405 from a GET-only
     * proxy): asking first is an optimisation, the GET that follows reports real errors.
     */
    private static Digest headOrNothing(RegistryClient client, String repository, String reference)
            throws IOException {
        try {
            return client.manifestDigest(repository, reference).orElse(null);
        } catch (RegistryException e) {
            if (e.reason() == RegistryException.Reason.INVALID_REQUEST
                    || e.reason() == RegistryException.Reason.NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }

    private PromotionResult finish(
            ImageReference from,
            RegistryClient target,
            ImageReference to,
            Manifest manifest,
            Counters counters)
            throws IOException {
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
            Semaphore streams,
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
                                copyBlob(
                                        streams,
                                        source,
                                        from,
                                        target,
                                        to,
                                        blob,
                                        sameRegistry,
                                        counters);
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
            Semaphore streams,
            RegistryClient source,
            ImageReference from,
            RegistryClient target,
            ImageReference to,
            Descriptor blob,
            boolean sameRegistry,
            Counters counters)
            throws IOException {
        String shortDigest = blob.digest().hex().substring(0, 12);
        String session = null;
        // inside one registry a mount is idempotent and costs one request, like the HEAD it would
        // otherwise follow; refused, it is a copy like any other
        if (sameRegistry) {
            session = target.mountOrStartUpload(to.repository(), blob.digest(), from.repository());
            if (session == null) {
                counters.mounted.incrementAndGet();
                progress.line("Mounted blob " + shortDigest + " from " + from.repository());
                return;
            }
        }
        try {
            streams.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            target.cancelUpload(session, to.repository());
            throw new InterruptedIOException("interrupted while promoting " + from);
        }
        try {
            streamBlob(source, from, target, to, blob, session, counters);
        } finally {
            streams.release();
        }
    }

    private void streamBlob(
            RegistryClient source,
            ImageReference from,
            RegistryClient target,
            ImageReference to,
            Descriptor blob,
            String session,
            Counters counters)
            throws IOException {
        String shortDigest = blob.digest().hex().substring(0, 12);
        for (int attempt = 1; ; attempt++) {
            // before the first copy, and again before a re-copy: a final PUT that failed may
            // still have stored the blob (a gateway timing out while the registry finished)
            if (target.blobSize(to.repository(), blob.digest()).isPresent()) {
                target.cancelUpload(session, to.repository());
                counters.present.incrementAndGet();
                progress.line("Blob " + shortDigest + " already in " + to.repository());
                return;
            }
            try (Blob download = source.openBlob(from.repository(), blob.digest())) {
                long size = download.size() >= 0 ? download.size() : blob.size();
                if (size >= 0) {
                    target.uploadBlob(
                            to.repository(), blob.digest(), size, download.stream(), session);
                } else {
                    target.cancelUpload(session, to.repository());
                    target.uploadBlobChunked(
                            to.repository(),
                            blob.digest(),
                            download.stream(),
                            RegistryClient.MAX_CHUNK);
                }
                counters.streamed.incrementAndGet();
                counters.bytes.addAndGet(Math.max(size, 0));
                progress.line("Copied blob " + shortDigest + " (" + human(size) + ")");
                return;
            } catch (RegistryException e) {
                if (e.reason() != RegistryException.Reason.UNAVAILABLE || attempt >= 3) {
                    throw e;
                }
                session = null; // a failed session is not reused
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
