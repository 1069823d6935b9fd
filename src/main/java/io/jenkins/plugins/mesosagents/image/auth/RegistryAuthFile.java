package io.jenkins.plugins.mesosagents.image.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jenkins.plugins.mesosagents.image.ImageReference;
import io.jenkins.plugins.mesosagents.image.registry.RegistryCredentials;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A temporary {@code config.json} with registry credentials for tools (docker CLI via {@code
 * DOCKER_CONFIG}, buildah/skopeo/podman via {@code REGISTRY_AUTH_FILE}): a fresh 0700 directory
 * holding a 0600 file, both removed by {@link #close()}. The file is created with its permissions,
 * so the secret is never world-readable.
 */
public final class RegistryAuthFile implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** base64 of {@code <token>:}: an identity token's user and empty password. */
    private static final String IDENTITY_TOKEN_AUTH =
            java.util.Base64.getEncoder()
                    .encodeToString("<token>:".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    /**
     * Which tools read the file, which decides what a login may be: the docker CLI reads {@code
     * auth}, {@code identitytoken} and {@code registrytoken} (a bearer token; docker/cli
     * cli/config/types/authconfig.go L15-16); buildah, podman and skopeo (containers/image
     * pkg/docker/config/config.go L30-33, L880-902) read only {@code auth} = user:password, plus
     * {@code identitytoken} when {@code auth} is there too, so a bare bearer token leaves them
     * anonymous.
     */
    public enum Readers {
        DOCKER_CLI,
        CONTAINERS_IMAGE,
        /** Either (a {@code withRegistryAuth} block): bearer tokens reach the docker CLI only. */
        ANY
    }

    private final Path directory;
    private final Path file;

    private RegistryAuthFile(Path directory, Path file) {
        this.directory = directory;
        this.file = file;
    }

    /**
     * Writes credentials keyed by registry host[:port] ({@code docker.io} is also written under
     * Docker Hub's legacy key) into a new directory under {@code parent} (the system temp dir if
     * null).
     */
    public static RegistryAuthFile write(Path parent, Map<String, RegistryCredentials> credentials)
            throws IOException {
        return write(parent, credentials, null, Readers.ANY);
    }

    /**
     * Like {@link #write(Path, Map)}, starting from the entries of an existing config.json /
     * auth.json ({@code mergeWith}, if it exists): its auths, credHelpers and credsStore stay,
     * registries given here replace theirs.
     */
    public static RegistryAuthFile write(
            Path parent, Map<String, RegistryCredentials> credentials, Path mergeWith)
            throws IOException {
        return write(parent, credentials, mergeWith, Readers.ANY);
    }

    /**
     * Like {@link #write(Path, Map, Path)}, for the tools that will read the file.
     *
     * @throws IllegalArgumentException a bearer token (a secret text without a username) for
     *     buildah, podman or skopeo, which cannot use one
     */
    public static RegistryAuthFile write(
            Path parent,
            Map<String, RegistryCredentials> credentials,
            Path mergeWith,
            Readers readers)
            throws IOException {
        if (readers == Readers.CONTAINERS_IMAGE) {
            credentials.forEach(
                    (registry, creds) -> {
                        if (creds.bearerToken()) {
                            throw new IllegalArgumentException(bearerRefused(registry));
                        }
                    });
        }
        var ownerOnlyDir =
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
        Path directory =
                parent == null
                        ? Files.createTempDirectory("registry-auth-", ownerOnlyDir)
                        : Files.createTempDirectory(parent, "registry-auth-", ownerOnlyDir);
        RegistryAuthFile created =
                new RegistryAuthFile(directory, directory.resolve("config.json"));
        try {
            created.fill(credentials, mergeWith);
            return created;
        } catch (IOException | RuntimeException e) {
            created.close(); // nothing half-written stays behind
            throw e;
        }
    }

    private void fill(Map<String, RegistryCredentials> credentials, Path mergeWith)
            throws IOException {
        ObjectNode root = JSON.createObjectNode();
        if (mergeWith != null && Files.isRegularFile(mergeWith)) {
            try {
                if (JSON.readTree(mergeWith.toFile()) instanceof ObjectNode existing) {
                    root = existing;
                }
            } catch (IOException e) {
                // the parser's message may quote the file, i.e. secrets: name the file only
                throw new IOException(
                        "Cannot merge the registry logins into " + mergeWith + ": not valid JSON");
            }
        }
        ObjectNode auths =
                root.get("auths") instanceof ObjectNode existingAuths
                        ? existingAuths
                        : root.putObject("auths");
        credentials.forEach(
                (registry, creds) -> {
                    if (creds.bearerToken()) {
                        auths.putObject(registry).put("registrytoken", creds.secret());
                        return;
                    }
                    if (creds.identityToken()) {
                        // containers/image drops an entry whose auth is not user:password, its
                        // identitytoken included (config.go L880-902); "<token>" is the user name
                        // docker-credential-helpers give identity tokens
                        auths.putObject(registry)
                                .put("auth", IDENTITY_TOKEN_AUTH)
                                .put("identitytoken", creds.secret());
                        return;
                    }
                    auths.putObject(registry).put("auth", creds.dockerConfigAuth());
                    if (registry.equals(ImageReference.DOCKER_HUB)) {
                        auths.putObject(ImageReference.DOCKER_HUB_CONFIG_KEY)
                                .put("auth", creds.dockerConfigAuth());
                    }
                });
        Files.createFile(
                file,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(
                file,
                JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root),
                StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** Why buildah, podman and skopeo cannot be given a bearer token, and what to do instead. */
    public static String bearerRefused(String registry) {
        return "The login for registry "
                + registry
                + " is a bearer token (a Secret text credential without 'username'), but buildah,"
                + " podman and skopeo read only a username with a password or access token (or an"
                + " identity token) from their auth file, so they would push and pull anonymously."
                + " Give the step 'username' (GHCR, Docker Hub, GitLab, Quay: the account or robot"
                + " the token belongs to) or use a 'Username with password' credential; only the"
                + " docker CLI accepts a bare bearer token (builder: 'docker')";
    }

    public Path file() {
        return file;
    }

    public Path directory() {
        return directory;
    }

    /** {@code DOCKER_CONFIG} and {@code REGISTRY_AUTH_FILE} for the tools that read them. */
    public Map<String, String> environment() {
        return Map.of("DOCKER_CONFIG", directory.toString(), "REGISTRY_AUTH_FILE", file.toString());
    }

    @Override
    public void close() throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
