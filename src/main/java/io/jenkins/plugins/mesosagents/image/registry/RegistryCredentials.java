package io.jenkins.plugins.mesosagents.image.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Credentials for one registry: a username and password (also what ECR and most token services
 * expect), or a ready registry bearer token. {@link #toString()} never shows the secret.
 */
public record RegistryCredentials(String username, String secret, boolean bearerToken) {
    public RegistryCredentials {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException(
                    "Registry credentials need a non-empty password or token");
        }
        if (!bearerToken && (username == null || username.isEmpty())) {
            throw new IllegalArgumentException(
                    "Registry credentials need a username (or use a bearer token)");
        }
    }

    public static RegistryCredentials basic(String username, String password) {
        return new RegistryCredentials(username, password, false);
    }

    /** A token sent as {@code Authorization: Bearer} directly, without asking a token service. */
    public static RegistryCredentials bearer(String token) {
        return new RegistryCredentials(null, token, true);
    }

    public String basicHeader() {
        return "Basic "
                + Base64.getEncoder()
                        .encodeToString((username + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /** The {@code auth} value of a Docker config.json entry. */
    public String dockerConfigAuth() {
        return Base64.getEncoder()
                .encodeToString((username + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /** Who, for messages: the username or "a bearer token". */
    public String principal() {
        return bearerToken ? "a bearer token" : "user '" + username + "'";
    }

    @Override
    public String toString() {
        return "RegistryCredentials[" + principal() + ", secret hidden]";
    }
}
