package io.jenkins.plugins.mesosagents.image.build;

import io.jenkins.plugins.mesosagents.image.Digest;
import io.jenkins.plugins.mesosagents.image.ImageReference;
import io.jenkins.plugins.mesosagents.image.ProgressListener;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds with buildah, daemonless: {@code buildah bud} into a local store (optionally its own
 * {@code --root} and {@code --runroot}, storage driver {@code vfs} or {@code overlay}, isolation
 * {@code chroot} for unprivileged containers), then {@code buildah push --digestfile}.
 */
public final class BuildahBuilder implements ImageBuilder {
    private final Options options;
    private final ProcessRunner runner;

    /** Storage and TLS settings for buildah; null fields use buildah's defaults. */
    public record Options(
            String executable,
            Path root,
            Path runRoot,
            String storageDriver,
            String isolation,
            Path certDir,
            boolean tlsVerify,
            Map<String, String> environment) {
        public Options {
            environment = Map.copyOf(environment);
        }

        public static Options defaults() {
            return new Options("buildah", null, null, null, null, null, true, Map.of());
        }

        public Options withStore(Path newRoot, Path newRunRoot, String driver) {
            return new Options(
                    executable,
                    newRoot,
                    newRunRoot,
                    driver,
                    isolation,
                    certDir,
                    tlsVerify,
                    environment);
        }

        public Options withIsolation(String value) {
            return new Options(
                    executable,
                    root,
                    runRoot,
                    storageDriver,
                    value,
                    certDir,
                    tlsVerify,
                    environment);
        }

        public Options withTls(Path newCertDir, boolean verify) {
            return new Options(
                    executable,
                    root,
                    runRoot,
                    storageDriver,
                    isolation,
                    newCertDir,
                    verify,
                    environment);
        }

        public Options withEnvironment(Map<String, String> value) {
            return new Options(
                    executable, root, runRoot, storageDriver, isolation, certDir, tlsVerify, value);
        }

        public Options withExecutable(String value) {
            return new Options(
                    value,
                    root,
                    runRoot,
                    storageDriver,
                    isolation,
                    certDir,
                    tlsVerify,
                    environment);
        }
    }

    public BuildahBuilder(Options options, ProcessRunner runner) {
        if (options.storageDriver() != null
                && !List.of("vfs", "overlay").contains(options.storageDriver())) {
            throw new IllegalArgumentException(
                    "Unsupported buildah storage driver '"
                            + options.storageDriver()
                            + "': use vfs (works everywhere, slower) or overlay (needs"
                            + " fuse-overlayfs or kernel overlay support)");
        }
        if (options.isolation() != null
                && !List.of("chroot", "oci", "rootless").contains(options.isolation())) {
            throw new IllegalArgumentException(
                    "Unsupported buildah isolation '"
                            + options.isolation()
                            + "': use chroot (inside unprivileged containers), oci or rootless");
        }
        this.options = options;
        this.runner = runner;
    }

    @Override
    public String name() {
        return "buildah";
    }

    private List<String> global() {
        List<String> command = new ArrayList<>(List.of(options.executable()));
        if (options.root() != null) {
            command.addAll(List.of("--root", options.root().toString()));
        }
        if (options.runRoot() != null) {
            command.addAll(List.of("--runroot", options.runRoot().toString()));
        }
        if (options.storageDriver() != null) {
            command.addAll(List.of("--storage-driver", options.storageDriver()));
        }
        return command;
    }

    private void addTls(List<String> command) {
        if (options.certDir() != null) {
            command.add("--cert-dir=" + options.certDir());
        }
        if (!options.tlsVerify()) {
            command.add("--tls-verify=false");
        }
    }

    /** The exact {@code buildah bud} command for a request. */
    public List<String> buildCommand(BuildRequest request, Path iidFile) {
        List<String> command = global();
        command.add("bud");
        if (options.isolation() != null) {
            command.add("--isolation=" + options.isolation());
        }
        addTls(command);
        CommandLines.addBuildOptions(command, request, iidFile, "--pull=always");
        return command;
    }

    /** The exact {@code buildah push} command. */
    public List<String> pushCommand(
            String localImage, ImageReference target, Path authFile, Path digestFile) {
        List<String> command = global();
        command.add("push");
        command.addAll(List.of("--digestfile", digestFile.toString()));
        if (authFile != null) {
            command.addAll(List.of("--authfile", authFile.toString()));
        }
        addTls(command);
        command.add(localImage);
        command.add("docker://" + target);
        return command;
    }

    @Override
    public BuildResult build(BuildRequest request, ProgressListener progress)
            throws IOException, InterruptedException {
        request.validate();
        Path iidFile = CommandLines.tempFile("buildah-iid-");
        return CommandLines.runBuild(
                runner,
                buildCommand(request, iidFile),
                options.environment(),
                request,
                iidFile,
                "buildah bud",
                name(),
                progress);
    }

    @Override
    public Digest push(
            String localImage, ImageReference target, Path authFile, ProgressListener progress)
            throws IOException, InterruptedException {
        Path digestFile = CommandLines.tempFile("buildah-digest-");
        try {
            List<String> command = pushCommand(localImage, target, authFile, digestFile);
            progress.line("Pushing " + target + " with buildah");
            ProcessRunner.Result result =
                    runner.run(command, options.environment(), null, progress::line);
            if (!result.ok()) {
                throw ImageBuildException.failed("buildah push of " + target, result);
            }
            return CommandLines.readDigest(digestFile, "buildah push");
        } finally {
            Files.deleteIfExists(digestFile);
        }
    }
}
