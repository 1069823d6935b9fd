package io.jenkins.plugins.mesosagents.image.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mesosagents.image.ImageReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The docker backend's exact command lines and credential handling. There is no Docker engine in
 * this sandbox (nor in CI), so a recording {@link ProcessRunner} stands in for the docker CLI;
 * buildah covers real builds.
 */
class DockerCliBuilderTest {
    private static final String DIGEST = "sha256:" + "c".repeat(64);
    @TempDir Path dir;

    /** Records each command and plays back scripted output lines and exit codes. */
    static final class RecordingRunner implements ProcessRunner {
        final List<List<String>> commands = new ArrayList<>();
        final List<Map<String, String>> environments = new ArrayList<>();
        final List<List<String>> outputs = new ArrayList<>();
        final List<Integer> exitCodes = new ArrayList<>();

        @Override
        public Result run(
                List<String> command,
                Map<String, String> environment,
                Path workingDirectory,
                java.util.function.Consumer<String> output)
                throws java.io.IOException {
            int index = commands.size();
            commands.add(command);
            environments.add(environment);
            int iid = command.indexOf("--iidfile");
            if (iid >= 0) {
                Files.writeString(Path.of(command.get(iid + 1)), "sha256:" + "a".repeat(64));
            }
            List<String> lines = index < outputs.size() ? outputs.get(index) : List.of();
            lines.forEach(output);
            return new Result(index < exitCodes.size() ? exitCodes.get(index) : 0, lines);
        }
    }

    private Path context() throws Exception {
        Path context = Files.createDirectories(dir.resolve("ctx"));
        Files.writeString(context.resolve("Dockerfile"), "FROM scratch\n");
        Files.createDirectories(context.resolve("ci"));
        Files.writeString(context.resolve("ci/Dockerfile.release"), "FROM scratch\n");
        return context;
    }

    @Test
    void buildCommandLineCarriesEveryOption() throws Exception {
        RecordingRunner runner = new RecordingRunner();
        DockerCliBuilder docker =
                new DockerCliBuilder(
                        "/usr/bin/docker", Map.of("DOCKER_HOST", "tcp://engine:2376"), runner);
        Path context = context();
        BuildRequest.Builder request =
                BuildRequest.builder(context)
                        .dockerfile("ci/Dockerfile.release")
                        .tag("registry.example.com:5000/team/app:1.0")
                        .tag("registry.example.com:5000/team/app:latest")
                        .buildArg("VERSION", "1.0")
                        .buildArg("TOKEN", "s3cret")
                        .target("runtime")
                        .label("org.opencontainers.image.revision", "abc")
                        .pull(true)
                        .noCache(true);
        List<String> log = new ArrayList<>();
        BuildResult result = docker.build(request.build(), log::add);

        List<String> command = runner.commands.get(0);
        int iid = command.indexOf("--iidfile");
        assertThat(command)
                .containsExactly(
                        "/usr/bin/docker",
                        "build",
                        "--iidfile",
                        command.get(iid + 1),
                        "-f",
                        context.resolve("ci/Dockerfile.release").toString(),
                        "-t",
                        "registry.example.com:5000/team/app:1.0",
                        "-t",
                        "registry.example.com:5000/team/app:latest",
                        "--build-arg",
                        "VERSION=1.0",
                        "--build-arg",
                        "TOKEN=s3cret",
                        "--target",
                        "runtime",
                        "--label",
                        "org.opencontainers.image.revision=abc",
                        "--pull",
                        "--no-cache",
                        context.toString());
        assertThat(Path.of(command.get(iid + 1))).doesNotExist();
        assertThat(runner.environments.get(0)).containsEntry("DOCKER_HOST", "tcp://engine:2376");
        assertThat(result.imageId()).isEqualTo("sha256:" + "a".repeat(64));
        assertThat(result.builder()).isEqualTo("docker");
        assertThat(log.get(0)).contains("--build-arg TOKEN=****").doesNotContain("s3cret");
    }

    @Test
    void minimalBuildHasNoOptionalFlags() throws Exception {
        RecordingRunner runner = new RecordingRunner();
        Path context = context();
        new DockerCliBuilder("docker", Map.of(), runner)
                .build(BuildRequest.builder(context).tag("app").build(), l -> {});
        List<String> command = runner.commands.get(0);
        assertThat(command.subList(4, command.size()))
                .containsExactly(
                        "-f",
                        context.resolve("Dockerfile").toString(),
                        "-t",
                        "docker.io/library/app:latest",
                        context.toString());
    }

    @Test
    void pushTagsThenPushesWithDockerConfigAndReadsTheDigest() throws Exception {
        RecordingRunner runner = new RecordingRunner();
        runner.outputs.add(List.of());
        runner.outputs.add(
                List.of(
                        "The push refers to repository [registry.example.com/team/app]",
                        "5f70bf18a086: Pushed",
                        "2.0: digest: " + DIGEST + " size: 528"));
        DockerCliBuilder docker = new DockerCliBuilder("docker", Map.of(), runner);
        Path config = Files.createDirectories(dir.resolve("auth")).resolve("config.json");
        Files.writeString(config, "{}");
        List<String> log = new ArrayList<>();
        List<ImageReference> pushed =
                docker.pushAll(
                        "sha256:" + "a".repeat(64),
                        List.of(ImageReference.parse("registry.example.com/team/app:2.0")),
                        config,
                        log::add);

        assertThat(runner.commands.get(0))
                .containsExactly(
                        "docker",
                        "tag",
                        "sha256:" + "a".repeat(64),
                        "registry.example.com/team/app:2.0");
        assertThat(runner.commands.get(1))
                .containsExactly("docker", "push", "registry.example.com/team/app:2.0");
        assertThat(runner.environments.get(1))
                .containsEntry("DOCKER_CONFIG", config.getParent().toString());
        assertThat(pushed)
                .containsExactly(
                        ImageReference.parse("registry.example.com/team/app:2.0@" + DIGEST));
        assertThat(log).contains("5f70bf18a086: Pushed");
    }

    @Test
    void pushOfTheSameNameSkipsTagging() throws Exception {
        RecordingRunner runner = new RecordingRunner();
        runner.outputs.add(List.of("latest: digest: " + DIGEST + " size: 1"));
        new DockerCliBuilder("docker", Map.of(), runner)
                .push("docker.io/library/app:latest", ImageReference.parse("app"), null, l -> {});
        assertThat(runner.commands)
                .containsExactly(List.of("docker", "push", "docker.io/library/app:latest"));
        assertThat(runner.environments.get(0)).doesNotContainKey("DOCKER_CONFIG");
    }

    @Test
    void failuresQuoteTheCliOutput() throws Exception {
        RecordingRunner runner = new RecordingRunner();
        runner.outputs.add(List.of("unauthorized: authentication required"));
        runner.exitCodes.add(1);
        DockerCliBuilder docker = new DockerCliBuilder("docker", Map.of(), runner);
        assertThatThrownBy(
                        () ->
                                docker.push(
                                        "docker.io/library/app:latest",
                                        ImageReference.parse("app"),
                                        null,
                                        l -> {}))
                .hasMessageContaining(
                        "docker push of docker.io/library/app:latest failed with exit code 1")
                .hasMessageContaining("unauthorized: authentication required");
        Path notConfigJson = Files.writeString(dir.resolve("auth.json"), "{}");
        assertThatThrownBy(() -> docker.pushEnvironment(notConfigJson))
                .hasMessageContaining("only from a file named config.json");
    }

    @Test
    void buildahCommandLinesUseTheConfiguredStoreIsolationAndTls() throws Exception {
        RecordingRunner runner = new RecordingRunner();
        BuildahBuilder buildah =
                new BuildahBuilder(
                        BuildahBuilder.Options.defaults()
                                .withStore(Path.of("/s/root"), Path.of("/s/run"), "overlay")
                                .withIsolation("chroot")
                                .withTls(Path.of("/certs"), true),
                        runner);
        Path context = context();
        List<String> build =
                buildah.buildCommand(
                        BuildRequest.builder(context).tag("r.io/a:1").pull(true).build(),
                        Path.of("/tmp/iid"));
        assertThat(build)
                .containsExactly(
                        "buildah",
                        "--root",
                        "/s/root",
                        "--runroot",
                        "/s/run",
                        "--storage-driver",
                        "overlay",
                        "bud",
                        "--isolation=chroot",
                        "--cert-dir=/certs",
                        "--iidfile",
                        "/tmp/iid",
                        "-f",
                        context.resolve("Dockerfile").toString(),
                        "-t",
                        "r.io/a:1",
                        "--pull=always",
                        context.toString());
        assertThat(
                        buildah.pushCommand(
                                "r.io/a:1",
                                ImageReference.parse("r.io/a:2"),
                                Path.of("/a/auth.json"),
                                Path.of("/tmp/d")))
                .containsExactly(
                        "buildah",
                        "--root",
                        "/s/root",
                        "--runroot",
                        "/s/run",
                        "--storage-driver",
                        "overlay",
                        "push",
                        "--digestfile",
                        "/tmp/d",
                        "--authfile",
                        "/a/auth.json",
                        "--cert-dir=/certs",
                        "r.io/a:1",
                        "docker://r.io/a:2");
        assertThatThrownBy(
                        () ->
                                new BuildahBuilder(
                                        BuildahBuilder.Options.defaults()
                                                .withStore(null, null, "btrfs"),
                                        runner))
                .hasMessageContaining("Unsupported buildah storage driver 'btrfs'");
    }

    @Test
    void autoPrefersBuildahAndSaysWhich() throws Exception {
        Path both = Files.createDirectories(dir.resolve("both"));
        Path dockerOnly = Files.createDirectories(dir.resolve("docker-only"));
        for (Path file :
                List.of(
                        both.resolve("buildah"),
                        both.resolve("docker"),
                        dockerOnly.resolve("docker"))) {
            Files.writeString(file, "#!/bin/sh\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        }
        assertThat(BuilderChoice.choose("auto", both.toString()).kind()).isEqualTo("buildah");
        assertThat(BuilderChoice.choose(null, both.toString()).explanation())
                .isEqualTo(
                        "Using buildah at "
                                + both.resolve("buildah")
                                + " (auto: buildah found on PATH; it needs no Docker daemon)");
        BuilderChoice fallback = BuilderChoice.choose("auto", "/nonexistent:" + dockerOnly);
        assertThat(fallback.kind()).isEqualTo("docker");
        assertThat(fallback.explanation()).contains("auto: buildah not found on PATH, docker is");
        assertThat(BuilderChoice.choose("docker", both.toString()).executable())
                .isEqualTo(both.resolve("docker"));
        assertThatThrownBy(() -> BuilderChoice.choose("auto", "/nonexistent"))
                .hasMessageContaining("neither buildah nor docker is on PATH")
                .hasMessageContaining("apt-get install buildah");
        assertThatThrownBy(() -> BuilderChoice.choose("buildah", dockerOnly.toString()))
                .hasMessageContaining("'buildah' was requested but buildah is not on PATH");
        assertThatThrownBy(() -> BuilderChoice.choose("kaniko", both.toString()))
                .hasMessageContaining("Unknown builder 'kaniko': use auto, buildah or docker");
    }
}
