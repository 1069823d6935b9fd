package io.jenkins.plugins.mesosagents.image.build;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Which builder to use on this machine: {@code buildah} or {@code docker} when asked for by name,
 * or {@code auto} which prefers daemonless buildah and falls back to the docker CLI. {@link
 * #explanation()} says what was chosen and why, for the build log.
 */
public record BuilderChoice(String kind, Path executable, String explanation) {
    /** What a step's {@code builder} may name: {@code auto} (the default), buildah or docker. */
    public static final java.util.List<String> KINDS =
            java.util.List.of("auto", "buildah", "docker");

    public static BuilderChoice choose(String requested, String pathVariable) {
        String wanted =
                requested == null || requested.isBlank()
                        ? "auto"
                        : requested.toLowerCase(Locale.ROOT);
        Path buildah = find("buildah", pathVariable);
        Path docker = find("docker", pathVariable);
        switch (wanted) {
            case "buildah":
                if (buildah == null) {
                    throw new IllegalStateException(
                            "builder 'buildah' was requested but buildah is not on PATH ("
                                    + pathVariable
                                    + "); install it in the agent image (Debian/Ubuntu: apt-get"
                                    + " install buildah) or use builder 'auto'");
                }
                return new BuilderChoice(
                        "buildah", buildah, "Using buildah at " + buildah + " (requested)");
            case "docker":
                if (docker == null) {
                    throw new IllegalStateException(
                            "builder 'docker' was requested but the docker CLI is not on PATH ("
                                    + pathVariable
                                    + "); install it or use builder 'buildah'");
                }
                return new BuilderChoice(
                        "docker", docker, "Using the docker CLI at " + docker + " (requested)");
            case "auto":
                if (buildah != null) {
                    return new BuilderChoice(
                            "buildah",
                            buildah,
                            "Using buildah at "
                                    + buildah
                                    + " (auto: buildah found on PATH; it needs no Docker daemon)");
                }
                if (docker != null) {
                    return new BuilderChoice(
                            "docker",
                            docker,
                            "Using the docker CLI at "
                                    + docker
                                    + " (auto: buildah not found on PATH, docker is)");
                }
                throw new IllegalStateException(
                        "No image builder on this agent: neither buildah nor docker is on PATH ("
                                + pathVariable
                                + "). Install buildah in the agent image (Debian/Ubuntu: apt-get"
                                + " install buildah)");
            default:
                throw new IllegalArgumentException(
                        "Unknown builder '" + requested + "': use auto, buildah or docker");
        }
    }

    private static Path find(String command, String pathVariable) {
        if (pathVariable == null) {
            return null;
        }
        for (String dir : pathVariable.split(":")) {
            if (!dir.isEmpty()
                    && Files.isExecutable(Path.of(dir, command))
                    && !Files.isDirectory(Path.of(dir, command))) {
                return Path.of(dir, command);
            }
        }
        return null;
    }
}
