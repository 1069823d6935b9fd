package io.jenkins.plugins.mesosagents.image.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jenkins.plugins.mesosagents.image.ImageReference;
import io.jenkins.plugins.mesosagents.image.registry.CredentialsSource;
import io.jenkins.plugins.mesosagents.image.registry.RegistryCredentials;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Docker {@code config.json} (or containers {@code auth.json}) as a credentials source, looked up
 * as the docker CLI does (cli/config/configfile/file.go L321-327, L396-403): the registry's {@code
 * credHelpers} entry, else {@code credsStore}, else the {@code auths} entry (base64 {@code auth},
 * username/password, or an {@code identitytoken}). Helpers are {@code docker-credential-<name>}
 * programs on PATH; their answers are kept for the life of this object. A helper that has nothing
 * for the registry means anonymous access (cli/config/credentials/native_store.go L119-130), and
 * its Username {@code <token>} marks an identity token (L132-134). Registry keys match by
 * host[:port] whatever scheme or path they carry; Docker Hub also matches {@code
 * https://index.docker.io/v1/}.
 */
public final class DockerConfig {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonNode root;
    private final String source;
    private final String helperPath;
    private final Map<String, Optional<RegistryCredentials>> helperAnswers =
            new java.util.concurrent.ConcurrentHashMap<>();

    private DockerConfig(JsonNode root, String source, String helperPath) {
        this.root = root;
        this.source = source;
        this.helperPath = helperPath;
    }

    public static DockerConfig load(Path file) throws IOException {
        return parse(Files.readString(file), file.toString(), System.getenv("PATH"));
    }

    /**
     * @param helperPath the PATH to look for credential helpers on
     */
    public static DockerConfig parse(String json, String source, String helperPath)
            throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // the parser's own message may quote file content, i.e. secrets: give the position only
            var at = e.getLocation();
            throw new IOException(
                    "Docker config "
                            + source
                            + " is not valid JSON"
                            + (at == null
                                    ? ""
                                    : " (line "
                                            + at.getLineNr()
                                            + ", column "
                                            + at.getColumnNr()
                                            + ")"));
        }
        if (root == null || !root.isObject()) {
            throw new IOException(
                    "Docker config " + source + " must be a JSON object with an \"auths\" map");
        }
        return new DockerConfig(root, source, helperPath);
    }

    /**
     * Credentials for {@code registry} (host[:port] as in image references, e.g. {@code
     * docker.io}).
     */
    public Optional<RegistryCredentials> credentialsFor(String registry) throws IOException {
        String host = normalise(registry);
        String serverUrl =
                host.equals(ImageReference.DOCKER_HUB)
                        ? ImageReference.DOCKER_HUB_CONFIG_KEY
                        : registry;
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("credHelpers").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (normalise(entry.getKey()).equals(host)) {
                return helper(entry.getValue().asText(), entry.getKey());
            }
        }
        if (root.hasNonNull("credsStore") && !root.get("credsStore").asText().isEmpty()) {
            return helper(root.get("credsStore").asText(), serverUrl);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("auths").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (normalise(entry.getKey()).equals(host)) {
                Optional<RegistryCredentials> found = fromEntry(entry.getKey(), entry.getValue());
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    private Optional<RegistryCredentials> helper(String suffix, String serverUrl)
            throws IOException {
        String key = suffix + " " + serverUrl;
        Optional<RegistryCredentials> known = helperAnswers.get(key);
        if (known != null) {
            return known;
        }
        Optional<RegistryCredentials> answer = runHelper(suffix, serverUrl);
        helperAnswers.put(key, answer);
        return answer;
    }

    /**
     * A {@link CredentialsSource} for one registry (anonymous if the config has nothing for it).
     */
    public CredentialsSource sourceFor(String registry) {
        return () -> credentialsFor(registry).orElse(null);
    }

    static String normalise(String key) {
        String host = key.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
        int slash = host.indexOf('/');
        if (slash >= 0) {
            host = host.substring(0, slash);
        }
        return switch (host) {
            case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com" ->
                    ImageReference.DOCKER_HUB;
            default -> host;
        };
    }

    private Optional<RegistryCredentials> fromEntry(String key, JsonNode entry) throws IOException {
        if (entry.hasNonNull("identitytoken") && !entry.get("identitytoken").asText().isEmpty()) {
            // docker login stores it next to an auth of "<user>:" for ACR/GCR: the token is the
            // login (go-containerregistry pkg/v1/remote/transport/bearer.go L374-381)
            return Optional.of(
                    RegistryCredentials.identityToken(entry.get("identitytoken").asText()));
        }
        if (entry.hasNonNull("auth") && !entry.get("auth").asText().isEmpty()) {
            String decoded;
            try {
                decoded =
                        new String(
                                Base64.getDecoder().decode(entry.get("auth").asText()),
                                StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IOException(
                        "Docker config "
                                + source
                                + ": the \"auth\" of \""
                                + key
                                + "\" is not base64");
            }
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                throw new IOException(
                        "Docker config "
                                + source
                                + ": the \"auth\" of \""
                                + key
                                + "\" must be base64 of username:password");
            }
            return Optional.of(
                    RegistryCredentials.basic(
                            decoded.substring(0, colon), decoded.substring(colon + 1)));
        }
        if (entry.hasNonNull("username") && entry.hasNonNull("password")) {
            return Optional.of(
                    RegistryCredentials.basic(
                            entry.get("username").asText(), entry.get("password").asText()));
        }
        if (entry.hasNonNull("registrytoken")) {
            return Optional.of(RegistryCredentials.bearer(entry.get("registrytoken").asText()));
        }
        return Optional.empty();
    }

    private Optional<RegistryCredentials> runHelper(String suffix, String serverUrl)
            throws IOException {
        String program = "docker-credential-" + suffix;
        Path executable = null;
        for (String dir : (helperPath == null ? "" : helperPath).split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                executable = Path.of(dir, program);
                break;
            }
        }
        if (executable == null) {
            throw new IOException(
                    "Docker config "
                            + source
                            + " names credential helper '"
                            + suffix
                            + "' but "
                            + program
                            + " is not on PATH; install it on the agent or put the credentials"
                            + " under \"auths\"");
        }
        Process process =
                new ProcessBuilder(executable.toString(), "get").redirectErrorStream(false).start();
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(serverUrl.getBytes(StandardCharsets.UTF_8));
        }
        byte[] output = process.getInputStream().readNBytes(1 << 20);
        byte[] error = process.getErrorStream().readNBytes(4096);
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(program + " get did not answer within 30 s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while running " + program);
        }
        String said = new String(output, StandardCharsets.UTF_8).trim();
        if (process.exitValue() != 0 && said.contains("credentials not found in native keychain")) {
            // docker-credential-helpers credentials/error.go L11, client/client.go L53
            return Optional.empty();
        }
        if (process.exitValue() != 0) {
            throw new IOException(
                    program
                            + " get failed for "
                            + serverUrl
                            + " (exit "
                            + process.exitValue()
                            + "): "
                            + new String(output, StandardCharsets.UTF_8).trim()
                            + new String(error, StandardCharsets.UTF_8).trim());
        }
        JsonNode answer = JSON.readTree(output);
        String username = answer.path("Username").asText("");
        String secret = answer.path("Secret").asText("");
        if (secret.isEmpty()) {
            return Optional.empty();
        }
        if (username.equals("<token>")) {
            return Optional.of(RegistryCredentials.identityToken(secret));
        }
        return Optional.of(RegistryCredentials.basic(username, secret));
    }
}
