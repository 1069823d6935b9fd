package io.jenkins.plugins.mesosagents.marathon;

/** Receives the deploy's human-readable progress lines (the step prints them to the build log). */
@FunctionalInterface
public interface DeployListener {
    DeployListener NONE = line -> {};

    void info(String line);
}
