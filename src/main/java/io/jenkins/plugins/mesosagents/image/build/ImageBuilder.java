package io.jenkins.plugins.mesosagents.image.build;

import io.jenkins.plugins.mesosagents.image.Digest;
import io.jenkins.plugins.mesosagents.image.ImageReference;
import io.jenkins.plugins.mesosagents.image.ProgressListener;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds images from Dockerfiles and pushes them; implemented by {@link BuildahBuilder} and {@link
 * DockerCliBuilder}.
 */
public interface ImageBuilder {
    /** "buildah" or "docker". */
    String name();

    BuildResult build(BuildRequest request, ProgressListener progress)
            throws IOException, InterruptedException;

    /**
     * Pushes a local image (by tag or id) to {@code target}; returns the manifest digest the
     * registry stored.
     *
     * @param authFile a Docker config.json / containers auth.json with the registry's credentials,
     *     or null
     */
    Digest push(String localImage, ImageReference target, Path authFile, ProgressListener progress)
            throws IOException, InterruptedException;

    /**
     * Pushes a local image under several tags, one after another; returns each target pinned to its
     * digest.
     */
    default List<ImageReference> pushAll(
            String localImage,
            List<ImageReference> targets,
            Path authFile,
            ProgressListener progress)
            throws IOException, InterruptedException {
        List<ImageReference> pushed = new ArrayList<>();
        for (ImageReference target : targets) {
            Digest digest = push(localImage, target, authFile, progress);
            progress.line("Pushed " + target + "@" + digest);
            pushed.add(target.withDigest(digest));
        }
        return pushed;
    }
}
