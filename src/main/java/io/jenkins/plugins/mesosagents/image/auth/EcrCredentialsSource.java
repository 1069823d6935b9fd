package io.jenkins.plugins.mesosagents.image.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.mesosagents.image.registry.CredentialsSource;
import io.jenkins.plugins.mesosagents.image.registry.RegistryCredentials;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Registry credentials for AWS ECR: calls {@code GetAuthorizationToken} (JSON 1.1 protocol, SigV4-signed) and
 * caches the resulting {@code AWS:<password>} until {@code refreshBefore} ahead of its expiry (tokens live 12 h),
 * so long-running agents never use a stale token and never call AWS for every registry request.
 */
public final class EcrCredentialsSource implements CredentialsSource {
  static final String TARGET = "AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken";
  private static final MediaType AMZ_JSON = MediaType.get("application/x-amz-json-1.1");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpUrl endpoint;
  private final String region;
  private final Supplier<AwsCredentials> awsCredentials;
  private final OkHttpClient http;
  private final Clock clock;
  private final Duration refreshBefore;
  private RegistryCredentials cached;
  private Instant expiresAt = Instant.MIN;
  private int tokenRequests;

  /**
   * @param endpoint the ECR API endpoint, normally {@link EcrRegistry#apiEndpoint()}
   * @param refreshBefore how long before expiry to fetch a new token (e.g. 1 hour)
   */
  public EcrCredentialsSource(String endpoint, String region, Supplier<AwsCredentials> awsCredentials,
      OkHttpClient http, Clock clock, Duration refreshBefore) {
    this.endpoint = HttpUrl.get(endpoint);
    this.region = region;
    this.awsCredentials = awsCredentials;
    this.http = http;
    this.clock = clock;
    this.refreshBefore = refreshBefore;
  }

  public static EcrCredentialsSource forRegistry(EcrRegistry registry, Supplier<AwsCredentials> awsCredentials,
      OkHttpClient http) {
    return new EcrCredentialsSource(registry.apiEndpoint(), registry.region(), awsCredentials, http,
        Clock.systemUTC(), Duration.ofHours(1));
  }

  @Override
  public synchronized RegistryCredentials credentials() throws IOException {
    if (cached == null || !clock.instant().isBefore(expiresAt.minus(refreshBefore))) {
      fetch();
    }
    return cached;
  }

  /** When the cached token expires (for diagnostics), or {@link Instant#MIN} before the first fetch. */
  public synchronized Instant expiresAt() {
    return expiresAt;
  }

  public synchronized int tokenRequests() {
    return tokenRequests;
  }

  private void fetch() throws IOException {
    tokenRequests++;
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    Map<String, String> signedHeaders = Map.of("Content-Type", AMZ_JSON.toString(), "X-Amz-Target", TARGET);
    Map<String, String> auth = AwsSigV4.sign("POST", endpoint, signedHeaders, body, region, "ecr",
        awsCredentials.get(), clock.instant());
    Request.Builder request = new Request.Builder().url(endpoint).post(RequestBody.create(body, AMZ_JSON));
    signedHeaders.forEach(request::header);
    auth.forEach(request::header);
    try (Response response = http.newCall(request.build()).execute()) {
      String text = response.body() == null ? "" : response.body().string();
      if (!response.isSuccessful()) {
        throw new IOException(describeError(response.code(), text));
      }
      JsonNode data = JSON.readTree(text).path("authorizationData").path(0);
      String token = data.path("authorizationToken").asText("");
      if (token.isEmpty() || !data.has("expiresAt")) {
        throw new IOException("ECR GetAuthorizationToken in " + region + " returned no authorization token");
      }
      String decoded = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      if (colon <= 0) {
        throw new IOException("ECR returned an authorization token that is not user:password");
      }
      BigDecimal seconds = new BigDecimal(data.get("expiresAt").asText());
      expiresAt = Instant.ofEpochMilli(seconds.movePointRight(3).longValue());
      cached = RegistryCredentials.basic(decoded.substring(0, colon), decoded.substring(colon + 1));
    }
  }

  private String describeError(int status, String body) {
    String type = "";
    String message = "";
    try {
      JsonNode error = JSON.readTree(body);
      type = error.path("__type").asText("");
      type = type.substring(type.indexOf('#') + 1);
      message = error.path("message").asText(error.path("Message").asText(""));
    } catch (IOException notJson) {
      // keep the status only
    }
    String hint = switch (type) {
      case "UnrecognizedClientException", "InvalidSignatureException", "IncompleteSignatureException" ->
          "the AWS access key id or secret key is wrong";
      case "ExpiredTokenException" -> "the AWS session token has expired";
      case "AccessDeniedException" -> "the AWS identity lacks the ecr:GetAuthorizationToken permission";
      default -> "see the AWS error";
    };
    return "ECR GetAuthorizationToken in " + region + " failed (HTTP " + status + (type.isEmpty() ? "" : " " + type)
        + (message.isEmpty() ? "" : ": " + message) + "): " + hint;
  }
}
