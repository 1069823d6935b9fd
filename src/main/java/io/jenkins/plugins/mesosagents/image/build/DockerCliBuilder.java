package io.jenkins.plugins.mesosagents.image.build;

import io.jenkins.plugins.mesosagents.image.Digest;
import io.jenkins.plugins.mesosagents.image.ImageReference;
import io.jenkins.plugins.mesosagents.image.ProgressListener;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds with the docker CLI against whatever engine {@code DOCKER_HOST} names: {@code docker build
 * --iidfile}, then {@code docker tag} + {@code docker push}, reading the digest from push's output.
 * Registry credentials reach the CLI as {@code DOCKER_CONFIG} pointing at the directory of a
 * config.json.
 */
public final class DockerCliBuilder implements ImageBuilder {
    private static final Pattern PUSHED_DIGEST = Pattern.compile("digest: (sha256:[a-f0-9]{64})");
    private final String executable;
    private final Map<String, String> environment;
    private final ProcessRunner runner;

    public DockerCliBuilder(
            String executable, Map<String, String> environment, ProcessRunner runner) {
        this.executable = executable;
        this.environment = Map.copyOf(environment);
        this.runner = runner;
    }

    @Override
    public String name() {
        return "docker";
    }

    /** The exact {@code docker build} command for a request. */
    public List<String> buildCommand(BuildRequest request, Path iidFile) {
        List<String> command = new ArrayList<>(List.of(executable, "build"));
        CommandLines.addBuildOptions(command, request, iidFile, "--pull");
        return command;
    }

    /**
     * The environment for a push: DOCKER_CONFIG is the auth file's directory (the file must be
     * config.json).
     */
    public Map<String, String> pushEnvironment(Path authFile) {
        if (authFile != null && !authFile.getFileName().toString().equals("config.json")) {
            throw new IllegalArgumentException(
                    "The docker CLI reads credentials only from a file named config.json "
                            + "(DOCKER_CONFIG is its directory); got "
                            + authFile);
        }
        return CommandLines.env(
                environment,
                "DOCKER_CONFIG",
                authFile == null ? null : authFile.toAbsolutePath().getParent().toString());
    }

    @Override
    public BuildResult build(BuildRequest request, ProgressListener progress)
            throws IOException, InterruptedException {
        request.validate();
        Path iidFile = CommandLines.tempFile("docker-iid-");
        return CommandLines.runBuild(
                runner,
                buildCommand(request, iidFile),
                environment,
                request,
                iidFile,
                "docker build",
                name(),
                progress);
    }

    @Override
    public Digest push(
            String localImage, ImageReference target, Path authFile, ProgressListener progress)
            throws IOException, InterruptedException {
        Map<String, String> env = pushEnvironment(authFile);
        if (!localImage.equals(target.toString())) {
            ProcessRunner.Result tagged =
                    runner.run(
                            List.of(executable, "tag", localImage, target.toString()),
                            env,
                            null,
                            progress::line);
            if (!tagged.ok()) {
                throw ImageBuildException.failed("docker tag " + localImage + " " + target, tagged);
            }
        }
        AtomicReference<String> digest = new AtomicReference<>();
        progress.line("Pushing " + target + " with docker");
        ProcessRunner.Result result =
                runner.run(
                        List.of(executable, "push", target.toString()),
                        env,
                        null,
                        line -> {
                            Matcher matcher = PUSHED_DIGEST.matcher(line);
                            if (matcher.find()) {
                                digest.set(matcher.group(1));
                            }
                            progress.line(line);
                        });
        if (!result.ok()) {
            throw ImageBuildException.failed("docker push of " + target, result);
        }
        if (digest.get() == null) {
            throw new ImageBuildException(
                    "docker push of " + target + " succeeded but printed no digest");
        }
        return Digest.parse(digest.get());
    }
}
