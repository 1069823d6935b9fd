package io.jenkins.plugins.mesosagents.testcluster.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's skopeo against a {@link LocalRegistry}: an independent view of what a registry
 * holds.
 */
public final class Skopeo {
    private Skopeo() {}

    /** {@code skopeo inspect} (or {@code --raw} when raw) of {@code repository:tag-or-@digest}. */
    public static JsonNode inspect(
            LocalRegistry registry, String user, String password, String image, boolean raw)
            throws IOException, InterruptedException {
        List<String> command =
                new ArrayList<>(
                        List.of(RequiredTool.require("skopeo", "skopeo").toString(), "inspect"));
        if (raw) {
            command.add("--raw");
        }
        command.addAll(
                registry.tls()
                        ? List.of("--cert-dir", registry.certDir().toString())
                        : List.of("--tls-verify=false"));
        command.addAll(
                List.of(
                        "--creds",
                        user + ":" + password,
                        "docker://" + registry.hostPort() + "/" + image));
        return new ObjectMapper().readTree(run(command));
    }

    /**
     * {@code skopeo inspect --raw} of {@code repository:tag} with the logins of an auth file
     * ({@code --authfile}, what {@code REGISTRY_AUTH_FILE} gives buildah, podman and skopeo).
     */
    public static String inspectRawWithAuthFile(LocalRegistry registry, Path authFile, String image)
            throws IOException, InterruptedException {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                RequiredTool.require("skopeo", "skopeo").toString(),
                                "inspect",
                                "--raw",
                                "--authfile",
                                authFile.toString()));
        command.addAll(
                registry.tls()
                        ? List.of("--cert-dir", registry.certDir().toString())
                        : List.of("--tls-verify=false"));
        command.add("docker://" + registry.hostPort() + "/" + image);
        return run(command);
    }

    /**
     * {@code skopeo copy} between two registries, with a private blob-info cache so runs do not
     * help each other.
     */
    public static void copy(
            LocalRegistry from,
            String fromCreds,
            String fromImage,
            LocalRegistry to,
            String toCreds,
            String toImage,
            Path home)
            throws IOException, InterruptedException {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                RequiredTool.require("skopeo", "skopeo").toString(),
                                "copy",
                                "--quiet"));
        command.addAll(
                from.tls()
                        ? List.of("--src-cert-dir", from.certDir().toString())
                        : List.of("--src-tls-verify=false"));
        command.addAll(
                to.tls()
                        ? List.of("--dest-cert-dir", to.certDir().toString())
                        : List.of("--dest-tls-verify=false"));
        command.addAll(
                List.of(
                        "--src-creds",
                        fromCreds,
                        "--dest-creds",
                        toCreds,
                        "docker://" + from.hostPort() + "/" + fromImage,
                        "docker://" + to.hostPort() + "/" + toImage));
        ProcessBuilder builder = new ProcessBuilder(command);
        if (home != null) {
            Files.createDirectories(home);
            builder.environment().put("HOME", home.toString());
            builder.environment().put("XDG_DATA_HOME", home.resolve("data").toString());
        }
        run(builder);
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        return run(new ProcessBuilder(command));
    }

    private static String run(ProcessBuilder builder) throws IOException, InterruptedException {
        Process process = builder.redirectErrorStream(false).start();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException(
                    String.join(" ", builder.command()) + " failed: " + new String(err));
        }
        return new String(out);
    }
}
