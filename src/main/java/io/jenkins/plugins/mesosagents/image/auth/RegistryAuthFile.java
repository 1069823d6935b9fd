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
        return write(parent, credentials, null);
    }

    /**
     * Like {@link #write(Path, Map)}, starting from the entries of an existing config.json /
     * auth.json ({@code mergeWith}, if it exists): its auths, credHelpers and credsStore stay,
     * registries given here replace theirs.
     */
    public static RegistryAuthFile write(
            Path parent, Map<String, RegistryCredentials> credentials, Path mergeWith)
            throws IOException {
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
                        // read by containers/image (pkg/docker/config/config.go L32) and docker
                        auths.putObject(registry).put("identitytoken", creds.secret());
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
