package io.jenkins.plugins.mesosagents.testcluster.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs Debian's skopeo against a {@link LocalRegistry}: an independent view of what a registry
 * holds.
 */
public final class Skopeo {
    private static final String ROOTLESS_UID = "_CONTAINERS_ROOTLESS_UID";

    /** Where skopeo keeps its blob-info cache when copying with {@code home}. */
    public static Path blobInfoCacheDirectory(Path home) {
        return home.resolve("data").resolve("containers").resolve("cache");
    }

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

    /** An image in a registry, with the {@code user:password} skopeo logs in with there. */
    public record Image(LocalRegistry registry, String creds, String name) {
        String transport() {
            return "docker://" + registry.hostPort() + "/" + name;
        }

        List<String> tlsOptions(String side) {
            return registry.tls()
                    ? List.of("--" + side + "-cert-dir", certDir())
                    : List.of("--" + side + "-tls-verify=false");
        }

        private String certDir() {
            try {
                return registry.certDir().toString();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * {@code skopeo copy} between two registries (or two repositories of one). With a {@code home},
     * skopeo keeps its blob-info cache there, also when run as root, so a fresh home means a copy
     * that knows no blob locations and cannot mount: it pulls and pushes every blob.
     */
    public static void copy(Image from, Image to, Path home)
            throws IOException, InterruptedException {
        copy(from, to, home, false);
    }

    /**
     * {@link #copy} with skopeo's debug log, returning the registry requests it made, in order, as
     * {@code "METHOD url"}: what shows whether a copy mounted or moved the bytes.
     */
    public static List<String> copyListingRequests(Image from, Image to, Path home)
            throws IOException, InterruptedException {
        String log = copy(from, to, home, true);
        List<String> requests = new ArrayList<>();
        Matcher request = DEBUG_REQUEST.matcher(log);
        while (request.find()) {
            requests.add(request.group(1) + " " + request.group(2));
        }
        return requests;
    }

    /** How containers/image logs each request at debug level: {@code msg="GET https://…"}. */
    private static final Pattern DEBUG_REQUEST =
            Pattern.compile("msg=\"(GET|HEAD|POST|PUT|PATCH|DELETE) (\\S+?)\"");

    private static String copy(Image from, Image to, Path home, boolean debug)
            throws IOException, InterruptedException {
        List<String> command =
                new ArrayList<>(List.of(RequiredTool.require("skopeo", "skopeo").toString()));
        command.addAll(debug ? List.of("--debug", "copy") : List.of("copy", "--quiet"));
        command.addAll(from.tlsOptions("src"));
        command.addAll(to.tlsOptions("dest"));
        command.addAll(
                List.of(
                        "--src-creds",
                        from.creds(),
                        "--dest-creds",
                        to.creds(),
                        from.transport(),
                        to.transport()));
        ProcessBuilder builder = new ProcessBuilder(command);
        if (home != null) {
            Files.createDirectories(home);
            builder.environment().put("HOME", home.toString());
            builder.environment().put("XDG_DATA_HOME", home.resolve("data").toString());
            // as root, containers/image keeps one cache for every run in /var/lib/containers/cache
            // whatever HOME says (pkg/blobinfocache/default.go, blobInfoCacheDir: euid 0); it takes
            // the euid from _CONTAINERS_ROOTLESS_UID when set (internal/rootless/rootless.go,
            // GetRootlessEUID), as podman does inside its user namespace
            builder.environment().put(ROOTLESS_UID, "65534");
        }
        // the debug log goes to stderr and is long: one stream, so neither pipe fills up unread
        return debug ? run(builder.redirectErrorStream(true)) : run(builder);
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        return run(new ProcessBuilder(command));
    }

    private static String run(ProcessBuilder builder) throws IOException, InterruptedException {
        Process process = builder.start();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException(
                    String.join(" ", builder.command())
                            + " failed: "
                            + new String(builder.redirectErrorStream() ? out : err));
        }
        return new String(out);
    }
}
