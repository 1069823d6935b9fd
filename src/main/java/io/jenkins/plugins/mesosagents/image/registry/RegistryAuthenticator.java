package io.jenkins.plugins.mesosagents.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Turns the registry's challenge into {@code Authorization} headers: Basic with the credentials, or Bearer with
 * a token from the challenge's realm for the scopes an operation needs. Tokens are cached per scope set until
 * shortly before they expire.
 */
final class RegistryAuthenticator {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration MIN_TOKEN_LIFETIME = Duration.ofSeconds(60);

  private final String registry;
  private final OkHttpClient http;
  private final CredentialsSource credentialsSource;
  private final Clock clock;
  private final Map<String, CachedToken> tokens = new ConcurrentHashMap<>();
  private volatile Challenge challenge;
  private volatile RegistryCredentials lastCredentials;

  private record CachedToken(String token, Instant refreshAfter) {}

  RegistryAuthenticator(String registry, OkHttpClient http, CredentialsSource credentialsSource, Clock clock) {
    this.registry = registry;
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

  /** The header value for a request needing {@code scopes}, or null when the registry asked for no auth. */
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
      return credentials == null ? null : credentials.basicHeader();
    }
    if (current.isBearer()) {
      return "Bearer " + token(current, scopes, credentials);
    }
    throw new RegistryException(RegistryException.Reason.NOT_A_REGISTRY, 401,
        "Registry " + registry + " asks for unsupported authentication scheme '" + current.scheme() + "'");
  }

  /** Forgets a cached token, e.g. after the registry refused it. */
  void invalidate(List<String> scopes) {
    tokens.remove(String.join(" ", scopes));
  }

  int cachedTokens() {
    return tokens.size();
  }

  private String token(Challenge bearer, List<String> scopes, RegistryCredentials credentials) throws IOException {
    String key = String.join(" ", scopes);
    CachedToken cached = tokens.get(key);
    Instant now = clock.instant();
    if (cached != null && now.isBefore(cached.refreshAfter())) {
      return cached.token();
    }
    String realm = bearer.parameter("realm");
    HttpUrl realmUrl = realm == null ? null : HttpUrl.parse(realm);
    if (realmUrl == null) {
      throw new RegistryException(RegistryException.Reason.NOT_A_REGISTRY, 401,
          "Registry " + registry + " sent a Bearer challenge without a usable realm URL: " + realm);
    }
    HttpUrl.Builder url = realmUrl.newBuilder();
    if (bearer.parameter("service") != null) {
      url.addQueryParameter("service", bearer.parameter("service"));
    }
    for (String scope : scopes) {
      url.addQueryParameter("scope", scope);
    }
    Request.Builder request = new Request.Builder().url(url.build()).get();
    if (credentials != null) {
      request.header("Authorization", credentials.basicHeader());
    }
    try (Response response = http.newCall(request.build()).execute()) {
      if (response.code() == 401 || response.code() == 403) {
        throw new RegistryException(RegistryException.Reason.BAD_CREDENTIALS, response.code(),
            "The token service of registry " + registry + " (" + realmUrl.host() + ") rejected "
                + (credentials == null ? "anonymous access; configure registry credentials"
                    : credentials.principal() + ": check the username and password/token in the credentials"));
      }
      if (!response.isSuccessful()) {
        throw new RegistryException(
            response.code() >= 500 ? RegistryException.Reason.UNAVAILABLE : RegistryException.Reason.INVALID_REQUEST,
            response.code(), "The token service of registry " + registry + " answered HTTP " + response.code());
      }
      JsonNode body = JSON.readTree(response.body().byteStream());
      String token = body.path("token").asText(body.path("access_token").asText(""));
      if (token.isEmpty()) {
        throw new RegistryException(RegistryException.Reason.NOT_A_REGISTRY, response.code(),
            "The token service of registry " + registry + " returned no token");
      }
      Duration lifetime = Duration.ofSeconds(Math.max(body.path("expires_in").asLong(60),
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
      Duration margin = lifetime.dividedBy(10).compareTo(Duration.ofSeconds(30)) < 0
          ? lifetime.dividedBy(10) : Duration.ofSeconds(30);
      tokens.put(key, new CachedToken(token, issued.plus(lifetime).minus(margin)));
      return token;
    }
  }
}
