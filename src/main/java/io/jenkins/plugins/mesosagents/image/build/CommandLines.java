package io.jenkins.plugins.mesosagents.image.build;

import io.jenkins.plugins.mesosagents.image.Digest;
import io.jenkins.plugins.mesosagents.image.ProgressListener;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Helpers shared by the builders: the build options common to buildah bud and docker build,
 * masking, temp files.
 */
final class CommandLines {
    private CommandLines() {}

    static void addBuildOptions(
            List<String> command, BuildRequest request, Path iidFile, String pullFlag) {
        command.add("--iidfile");
        command.add(iidFile.toString());
        command.add("-f");
        command.add(request.dockerfile().toString());
        request.tags()
                .forEach(
                        tag -> {
                            command.add("-t");
                            command.add(tag.toString());
                        });
        request.buildArgs()
                .forEach(
                        (name, value) -> {
                            command.add("--build-arg");
                            command.add(name + "=" + value);
                        });
        if (request.target() != null) {
            command.add("--target");
            command.add(request.target());
        }
        request.labels()
                .forEach(
                        (name, value) -> {
                            command.add("--label");
                            command.add(name + "=" + value);
                        });
        if (request.pull()) {
            command.add(pullFlag);
        }
        if (request.noCache()) {
            command.add("--no-cache");
        }
        command.add(request.context().toString());
    }

    /** The command for a log line, with build-arg values hidden (they may hold secrets). */
    static String forLog(List<String> command) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < command.size(); i++) {
            String part = command.get(i);
            if (i > 0 && command.get(i - 1).equals("--build-arg") && part.contains("=")) {
                part = part.substring(0, part.indexOf('=') + 1) + "****";
            }
            line.append(i == 0 ? "" : " ").append(part);
        }
        return line.toString();
    }

    static Path tempFile(String prefix) throws IOException {
        return Files.createTempFile(prefix, ".txt");
    }

    static String readId(Path file, String what) throws IOException {
        String text = Files.exists(file) ? Files.readString(file).trim() : "";
        if (text.isEmpty()) {
            throw new ImageBuildException(what + " finished but did not report the image id");
        }
        return text.contains(":") ? text : "sha256:" + text;
    }

    static Digest readDigest(Path file, String what) throws IOException {
        String text = Files.exists(file) ? Files.readString(file).trim() : "";
        try {
            return Digest.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ImageBuildException(
                    what + " finished but reported no manifest digest (\"" + text + "\")");
        }
    }

    static Map<String, String> env(Map<String, String> base, String name, String value) {
        java.util.Map<String, String> env = new java.util.LinkedHashMap<>(base);
        if (value != null) {
            env.put(name, value);
        }
        return env;
    }

    /**
     * Runs a builder's build command, which writes the image id to {@code iidFile}, logging the
     * command line (build-arg values masked) and every output line; the iid file is deleted after.
     *
     * @param what e.g. "buildah bud", naming the tool in errors
     */
    static BuildResult runBuild(
            ProcessRunner runner,
            List<String> command,
            Map<String, String> environment,
            BuildRequest request,
            Path iidFile,
            String what,
            String builder,
            ProgressListener progress)
            throws IOException, InterruptedException {
        try {
            progress.line("Building with " + builder + ": " + forLog(command));
            ProcessRunner.Result result =
                    runner.run(command, environment, request.context(), progress::line);
            if (!result.ok()) {
                throw ImageBuildException.failed(what + " of " + request.dockerfile(), result);
            }
            return new BuildResult(readId(iidFile, what), request.tags(), builder);
        } finally {
            Files.deleteIfExists(iidFile);
        }
    }
}
