package io.jenkins.plugins.mesosagents.image.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.mesosagents.image.registry.RegistryClient;
import io.jenkins.plugins.mesosagents.image.registry.RegistryCredentials;
import io.jenkins.plugins.mesosagents.testcluster.registry.LocalRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ECR token fetching against a local HTTP server that plays the ECR API, with a fake clock. */
class EcrCredentialsSourceTest {
  private static final Instant START = Instant.parse("2026-01-10T08:00:00Z");
  private static final AwsCredentials AWS = new AwsCredentials("AKIDTEST", "secret-key", null);

  private HttpServer server;
  private final List<Map<String, String>> requests = new ArrayList<>();
  private final List<String> bodies = new ArrayList<>();
  private final AtomicInteger status = new AtomicInteger(200);
  private final AtomicReference<String> password = new AtomicReference<>("pw-1");
  private MutableClock clock;

  @BeforeEach
  void start() throws Exception {
    clock = new MutableClock(START);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      try (exchange) {
        Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, v.get(0)));
        headers.put(":method", exchange.getRequestMethod());
        headers.put(":path", exchange.getRequestURI().toString());
        requests.add(headers);
        bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String token = Base64.getEncoder().encodeToString(("AWS:" + password.get()).getBytes(StandardCharsets.UTF_8));
        double expires = clock.instant().plus(Duration.ofHours(12)).toEpochMilli() / 1000.0;
        String body = status.get() == 200
            ? "{\"authorizationData\":[{\"authorizationToken\":\"" + token + "\",\"expiresAt\":" + expires
                + ",\"proxyEndpoint\":\"https://123456789012.dkr.ecr.eu-west-1.amazonaws.com\"}]}"
            : "{\"__type\":\"com.amazon.coral.service#UnrecognizedClientException\","
                + "\"message\":\"The security token included in the request is invalid.\"}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status.get(), bytes.length);
        exchange.getResponseBody().write(bytes);
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private EcrCredentialsSource source() {
    return new EcrCredentialsSource("http://127.0.0.1:" + server.getAddress().getPort() + "/", "eu-west-1",
        () -> AWS, new OkHttpClient(), clock, Duration.ofHours(1));
  }

  @Test
  void sendsASignedGetAuthorizationTokenCall() throws Exception {
    RegistryCredentials credentials = source().credentials();
    assertThat(credentials.username()).isEqualTo("AWS");
    assertThat(credentials.secret()).isEqualTo("pw-1");
    Map<String, String> request = requests.get(0);
    assertThat(request.get(":method")).isEqualTo("POST");
    assertThat(request.get(":path")).isEqualTo("/");
    assertThat(request.get("X-Amz-Target")).isEqualTo("AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken");
    assertThat(request.get("Content-Type")).isEqualTo("application/x-amz-json-1.1");
    assertThat(request.get("X-Amz-Date")).isEqualTo("20260110T080000Z");
    assertThat(bodies.get(0)).isEqualTo("{}");
    String authorization = request.get("Authorization");
    assertThat(authorization).startsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/20260110/eu-west-1/ecr/aws4_request, "
        + "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=");
    // the server recomputes the signature from what it received
    Map<String, String> expected = AwsSigV4.sign("POST",
        HttpUrl.get("http://" + request.get("Host") + "/"), Map.of("Content-Type", request.get("Content-Type"),
            "X-Amz-Target", request.get("X-Amz-Target")), bodies.get(0).getBytes(StandardCharsets.UTF_8),
        "eu-west-1", "ecr", AWS, START);
    assertThat(authorization).isEqualTo(expected.get("Authorization"));
  }

  @Test
  void cachesTheTokenAndRefreshesAnHourBeforeItsTwelveHourExpiry() throws Exception {
    EcrCredentialsSource source = source();
    assertThat(source.credentials().secret()).isEqualTo("pw-1");
    assertThat(source.expiresAt()).isEqualTo(START.plus(Duration.ofHours(12)));
    password.set("pw-2");
    clock.advance(Duration.ofHours(10));
    assertThat(source.credentials().secret()).isEqualTo("pw-1");
    clock.advance(Duration.ofMinutes(59));
    assertThat(source.credentials().secret()).isEqualTo("pw-1");
    assertThat(source.tokenRequests()).isEqualTo(1);
    clock.advance(Duration.ofMinutes(1)); // 11 h: one hour before expiry
    assertThat(source.credentials().secret()).isEqualTo("pw-2");
    assertThat(source.tokenRequests()).isEqualTo(2);
    assertThat(source.expiresAt()).isEqualTo(START.plus(Duration.ofHours(23)));
    clock.advance(Duration.ofHours(5));
    source.credentials();
    assertThat(source.tokenRequests()).isEqualTo(2);
  }

  @Test
  void rejectedAwsKeysGiveAnActionableMessage() {
    status.set(400);
    assertThatThrownBy(() -> source().credentials())
        .hasMessageContaining("ECR GetAuthorizationToken in eu-west-1 failed (HTTP 400 UnrecognizedClientException")
        .hasMessageContaining("the AWS access key id or secret key is wrong")
        .hasMessageNotContaining("secret-key");
  }

  @Test
  void ecrHostsAreRecognised() {
    EcrRegistry ecr = EcrRegistry.parse("123456789012.dkr.ecr.eu-west-1.amazonaws.com");
    assertThat(ecr.region()).isEqualTo("eu-west-1");
    assertThat(ecr.accountId()).isEqualTo("123456789012");
    assertThat(ecr.apiEndpoint()).isEqualTo("https://api.ecr.eu-west-1.amazonaws.com/");
    assertThat(EcrRegistry.isEcr("registry.example.com")).isFalse();
    assertThatThrownBy(() -> EcrRegistry.parse("12.dkr.ecr.x.amazonaws.com")).hasMessageContaining("not an ECR");
  }

  @Test
  void theTokenAuthenticatesAgainstARealRegistry() throws Exception {
    password.set("ecr-password");
    try (LocalRegistry registry = LocalRegistry.builder().user("AWS", "ecr-password").start()) {
      RegistryClient client = RegistryClient.builder(registry.hostPort()).httpClient(registry.httpClient().build())
          .credentials(source()).build();
      io.jenkins.plugins.mesosagents.image.registry.TestImages.push(client, "ecr/app", "v1", 9, 64);
      assertThat(client.tags("ecr/app")).containsExactly("v1");
    }
  }
}
