package io.jenkins.plugins.mesosagents.image;

/** Receives human-readable progress lines (for a build log) from pushes, promotions and builds. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = line -> {};

    void line(String line);
}
