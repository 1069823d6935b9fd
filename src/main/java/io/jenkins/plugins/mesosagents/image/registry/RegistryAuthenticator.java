package io.jenkins.plugins.mesosagents.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns the registry's challenge into {@code Authorization} headers: Basic with the credentials, or
 * Bearer with a token from the challenge's realm for the scopes an operation needs. Tokens are
 * cached per scope set until shortly before they expire.
 */
final class RegistryAuthenticator {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MIN_TOKEN_LIFETIME = Duration.ofSeconds(60);

    private final String registry;
    private final OkHttpClient http;
    private final CredentialsSource credentialsSource;
    private final Clock clock;
    private final RateLimits rateLimits;
    private final Map<String, CachedToken> tokens = new ConcurrentHashMap<>();
    private final java.util.Set<String> exactOnly = ConcurrentHashMap.newKeySet();
    private final Object fetchLock = new Object();
    private volatile Challenge challenge;
    private volatile RegistryCredentials lastCredentials;
    // the OAuth2 refresh token the token service rotated to, and the one it replaced
    private volatile String refreshTokenIssued;
    private volatile String refreshTokenReplaced;

    private record CachedToken(String token, Instant refreshAfter) {}

    RegistryAuthenticator(
            String registry,
            OkHttpClient http,
            CredentialsSource credentialsSource,
            Clock clock,
            RateLimits rateLimits) {
        this.registry = registry;
        this.rateLimits = rateLimits;
        this.http = http;
        this.credentialsSource = credentialsSource;
        this.clock = clock;
    }

    void challenge(Challenge value) {
        this.challenge = value;
    }

    Challenge challenge() {
        return challenge;
    }

    /** Who we authenticate as, for error messages. */
    String principal() {
        RegistryCredentials credentials = lastCredentials;
        return credentials == null ? "anonymous access" : credentials.principal();
    }

    boolean hasCredentials() {
        return lastCredentials != null;
    }

    /**
     * The header value for a request needing {@code scopes}, or null when the registry asked for no
     * auth.
     */
    String authorization(List<String> scopes) throws IOException {
        RegistryCredentials credentials = credentialsSource.credentials();
        lastCredentials = credentials;
        Challenge current = challenge;
        if (credentials != null && credentials.bearerToken()) {
            return "Bearer " + credentials.secret();
        }
        if (current == null) {
            return null;
        }
        if (current.isBasic()) {
            return credentials == null || credentials.identityToken()
                    ? null
                    : credentials.basicHeader();
        }
        if (current.isBearer()) {
            return "Bearer " + token(current, scopes, credentials);
        }
        throw new RegistryException(
                RegistryException.Reason.NOT_A_REGISTRY,
                401,
                "Registry "
                        + registry
                        + " asks for unsupported authentication scheme '"
                        + current.scheme()
                        + "'");
    }

    /**
     * After an {@code insufficient_scope} refusal: from now on ask the token service for exactly
     * these scopes (a broader token may have been granted fewer actions than it asked for). False
     * if that was already the case.
     */
    boolean useExactTokens(List<String> scopes) {
        return challenge != null && challenge.isBearer() && exactOnly.add(String.join(" ", scopes));
    }

    /**
     * Forgets a token the registry refused: under its own scopes and under every other scope set it
     * was cached for (a broader token serving this request is just as stale).
     */
    void invalidate(List<String> scopes, String refusedAuthorization) {
        tokens.remove(String.join(" ", scopes));
        if (refusedAuthorization != null && refusedAuthorization.startsWith("Bearer ")) {
            String refused = refusedAuthorization.substring("Bearer ".length());
            tokens.values().removeIf(cached -> cached.token().equals(refused));
        }
    }

    int cachedTokens() {
        return tokens.size();
    }

    /**
     * Whether the scopes in {@code cachedKey} include every resource and action of {@code wanted}.
     */
    static boolean covers(String cachedKey, List<String> wanted) {
        Map<String, java.util.Set<String>> granted = new java.util.HashMap<>();
        for (String scope : cachedKey.split(" ")) {
            int last = scope.lastIndexOf(':');
            if (last > 0) {
                granted.computeIfAbsent(scope.substring(0, last), k -> new java.util.HashSet<>())
                        .addAll(List.of(scope.substring(last + 1).split(",")));
            }
        }
        for (String scope : wanted) {
            int last = scope.lastIndexOf(':');
            java.util.Set<String> actions = last > 0 ? granted.get(scope.substring(0, last)) : null;
            if (actions == null
                    || !actions.containsAll(List.of(scope.substring(last + 1).split(",")))) {
                return false;
            }
        }
        return true;
    }

    private String token(Challenge bearer, List<String> scopes, RegistryCredentials credentials)
            throws IOException {
        String cached = cachedToken(scopes);
        if (cached != null) {
            return cached;
        }
        synchronized (
                fetchLock) { // parallel blob copies need the same token: fetch it once, not once
            // per thread
            cached = cachedToken(scopes);
            return cached != null ? cached : fetchToken(bearer, scopes, credentials);
        }
    }

    private String cachedToken(List<String> scopes) {
        String key = String.join(" ", scopes);
        Instant now = clock.instant();
        CachedToken cached = tokens.get(key);
        if (cached != null && now.isBefore(cached.refreshAfter())) {
            return cached.token();
        }
        // a token asked for more (e.g. push + the mount source) serves narrower requests: one token
        // per promotion
        for (Map.Entry<String, CachedToken> entry :
                exactOnly.contains(key)
                        ? Map.<String, CachedToken>of().entrySet()
                        : tokens.entrySet()) {
            if (now.isBefore(entry.getValue().refreshAfter()) && covers(entry.getKey(), scopes)) {
                return entry.getValue().token();
            }
        }
        return null;
    }

    /**
     * The OAuth2 refresh-token grant of docker/distribution docs/spec/auth/oauth.md, as
     * go-containerregistry sends it (pkg/v1/remote/transport/bearer.go L443-466): one
     * space-separated {@code scope}, {@code service}, {@code client_id}.
     */
    private FormBody refreshTokenGrant(
            Challenge bearer, List<String> scopes, RegistryCredentials credentials) {
        String refreshToken =
                credentials.secret().equals(refreshTokenReplaced) && refreshTokenIssued != null
                        ? refreshTokenIssued
                        : credentials.secret();
        FormBody.Builder form =
                new FormBody.Builder()
                        .add("grant_type", "refresh_token")
                        .add("refresh_token", refreshToken)
                        .add("client_id", "mesos-agents")
                        .add("scope", String.join(" ", scopes));
        if (bearer.parameter("service") != null) {
            form.add("service", bearer.parameter("service"));
        }
        return form.build();
    }

    /**
     * The token service's answer, after waiting out its 429s like the registry's own (Docker Hub's
     * auth.docker.io limits token requests too); the request is a GET or a form POST, so it can be
     * repeated.
     */
    private Response tokenResponse(Request request, HttpUrl realmUrl) throws IOException {
        String what = "issue a token (token service " + realmUrl.host() + ")";
        for (int rateLimited = 1; ; rateLimited++) {
            Response response = http.newCall(request).execute();
            if (response.code() != 429) {
                return response;
            }
            try (response) {
                rateLimits.await(response, rateLimited, true, what);
            }
        }
    }

    private String fetchToken(
            Challenge bearer, List<String> scopes, RegistryCredentials credentials)
            throws IOException {
        String key = String.join(" ", scopes);
        Instant now = clock.instant();
        String realm = bearer.parameter("realm");
        HttpUrl realmUrl = realm == null ? null : HttpUrl.parse(realm);
        if (realmUrl == null) {
            throw new RegistryException(
                    RegistryException.Reason.NOT_A_REGISTRY,
                    401,
                    "Registry "
                            + registry
                            + " sent a Bearer challenge without a usable realm URL: "
                            + realm);
        }
        HttpUrl.Builder url = realmUrl.newBuilder();
        if (bearer.parameter("service") != null) {
            url.addQueryParameter("service", bearer.parameter("service"));
        }
        Request.Builder request;
        if (credentials != null && credentials.identityToken()) {
            request =
                    new Request.Builder()
                            .url(realmUrl)
                            .post(refreshTokenGrant(bearer, scopes, credentials));
        } else {
            for (String scope : scopes) {
                url.addQueryParameter("scope", scope);
            }
            request = new Request.Builder().url(url.build()).get();
            if (credentials != null) {
                request.header("Authorization", credentials.basicHeader());
            }
        }
        try (Response response = tokenResponse(request.build(), realmUrl)) {
            if (response.code() == 401 || response.code() == 403) {
                throw new RegistryException(
                        RegistryException.Reason.BAD_CREDENTIALS,
                        response.code(),
                        "The token service of registry "
                                + registry
                                + " ("
                                + realmUrl.host()
                                + ") rejected "
                                + (credentials == null
                                        ? "anonymous access; configure registry credentials"
                                        : credentials.principal()
                                                + ": check the username and password/token in the"
                                                + " credentials"));
            }
            if (!response.isSuccessful()) {
                throw new RegistryException(
                        response.code() >= 500
                                ? RegistryException.Reason.UNAVAILABLE
                                : RegistryException.Reason.INVALID_REQUEST,
                        response.code(),
                        "The token service of registry "
                                + registry
                                + " answered HTTP "
                                + response.code());
            }
            JsonNode body = JSON.readTree(response.body().byteStream());
            String token = body.path("token").asText(body.path("access_token").asText(""));
            if (credentials != null
                    && credentials.identityToken()
                    && !body.path("refresh_token").asText("").isEmpty()) {
                // the service may rotate the refresh token; the old one is then spent
                // (go-containerregistry pkg/v1/remote/transport/bearer.go L365-369)
                refreshTokenReplaced = credentials.secret();
                refreshTokenIssued = body.path("refresh_token").asText();
            }
            if (token.isEmpty()) {
                throw new RegistryException(
                        RegistryException.Reason.NOT_A_REGISTRY,
                        response.code(),
                        "The token service of registry " + registry + " returned no token");
            }
            Duration lifetime =
                    Duration.ofSeconds(
                            Math.max(
                                    body.path("expires_in").asLong(60),
                                    MIN_TOKEN_LIFETIME.getSeconds()));
            Instant issued = now;
            if (body.hasNonNull("issued_at")) {
                try {
                    issued = Instant.parse(body.get("issued_at").asText());
                } catch (DateTimeParseException ignored) {
                    issued = now;
                }
            }
            if (issued.isAfter(now)) {
                issued = now;
            }
            Duration margin =
                    lifetime.dividedBy(10).compareTo(Duration.ofSeconds(30)) < 0
                            ? lifetime.dividedBy(10)
                            : Duration.ofSeconds(30);
            tokens.put(key, new CachedToken(token, issued.plus(lifetime).minus(margin)));
            return token;
        }
    }
}
