package io.jenkins.plugins.mesosagents.image.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Credentials for one registry: a username and password or access token (also what ECR and most
 * token services expect), a ready registry bearer token, or an identity token (an OAuth2 refresh
 * token that {@code docker login} stored for ACR, GCR and others, exchanged at the registry's token
 * service). {@link #toString()} never shows the secret.
 */
public record RegistryCredentials(String username, String secret, Kind kind) {
    /** How the secret is used. */
    public enum Kind {
        /** HTTP Basic, or the token service's Basic login. */
        BASIC,
        /** {@code Authorization: Bearer} directly, without asking a token service. */
        BEARER,
        /** An OAuth2 refresh token for the token service's refresh-token grant. */
        IDENTITY_TOKEN,
    }

    public RegistryCredentials {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException(
                    "Registry credentials need a non-empty password or token");
        }
        if (kind == Kind.BASIC && (username == null || username.isEmpty())) {
            throw new IllegalArgumentException(
                    "Registry credentials need a username (or use a bearer token)");
        }
    }

    public static RegistryCredentials basic(String username, String password) {
        return new RegistryCredentials(username, password, Kind.BASIC);
    }

    /** A token sent as {@code Authorization: Bearer} directly, without asking a token service. */
    public static RegistryCredentials bearer(String token) {
        return new RegistryCredentials(null, token, Kind.BEARER);
    }

    /** A refresh token ({@code identitytoken} in config.json), exchanged for access tokens. */
    public static RegistryCredentials identityToken(String token) {
        return new RegistryCredentials(null, token, Kind.IDENTITY_TOKEN);
    }

    public boolean bearerToken() {
        return kind == Kind.BEARER;
    }

    public boolean identityToken() {
        return kind == Kind.IDENTITY_TOKEN;
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

    /** Who, for messages: the username, "a bearer token" or "an identity token". */
    public String principal() {
        return switch (kind) {
            case BEARER -> "a bearer token";
            case IDENTITY_TOKEN -> "an identity token";
            case BASIC -> "user '" + username + "'";
        };
    }

    @Override
    public String toString() {
        return "RegistryCredentials[" + principal() + ", secret hidden]";
    }
}
