package io.jenkins.plugins.mesosagents.image.auth;

import io.jenkins.plugins.mesosagents.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;

import io.jenkins.plugins.mesosagents.image.registry.RegistryClient;
import io.jenkins.plugins.mesosagents.image.registry.RegistryCredentials;
import io.jenkins.plugins.mesosagents.testcluster.registry.LocalRegistry;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** ECR token fetching against a local HTTP server that plays the ECR API, with a fake clock. */
class EcrCredentialsSourceTest {
    private static final Instant START = Instant.parse("2026-01-10T08:00:00Z");
    private static final AwsCredentials AWS = new AwsCredentials("AKIDTEST", "secret-key", null);

    private HttpServer server;
    private final List<Map<String, String>> requests = new ArrayList<>();
    private final List<String> bodies = new ArrayList<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicReference<String> password = new AtomicReference<>("pw-1");
    private final AtomicReference<String> errorType =
            new AtomicReference<>("UnrecognizedClientException");
    private MutableClock clock;

    @BeforeEach
    void start() throws Exception {
        clock = new MutableClock(START);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/",
                exchange -> {
                    try (exchange) {
                        Map<String, String> headers =
                                new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, v.get(0)));
                        headers.put(":method", exchange.getRequestMethod());
                        headers.put(":path", exchange.getRequestURI().toString());
                        requests.add(headers);
                        bodies.add(
                                new String(
                                        exchange.getRequestBody().readAllBytes(),
                                        StandardCharsets.UTF_8));
                        String token =
                                Base64.getEncoder()
                                        .encodeToString(
                                                ("AWS:" + password.get())
                                                        .getBytes(StandardCharsets.UTF_8));
                        double expires =
                                clock.instant().plus(Duration.ofHours(12)).toEpochMilli() / 1000.0;
                        String body =
                                status.get() == 200
                                        ? "{\"authorizationData\":[{\"authorizationToken\":\""
                                                + token
                                                + "\",\"expiresAt\":"
                                                + expires
                                                + ",\"proxyEndpoint\":\"https://123456789012.dkr.ecr.eu-west-1.amazonaws.com\"}]}"
                                        : "{\"__type\":\"com.amazon.coral.service#"
                                                + errorType.get()
                                                + "\","
                                                + "\"message\":\""
                                                + errorMessage()
                                                + "\"}";
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

    private String errorMessage() {
        return errorType.get().equals("AccessDeniedException")
                ? "User: arn:aws:iam::123456789012:user/ci is not authorized to perform:"
                        + " ecr:GetAuthorizationToken"
                : "The security token included in the request is invalid.";
    }

    private EcrCredentialsSource source() {
        return source(AWS);
    }

    private EcrCredentialsSource source(AwsCredentials aws) {
        return new EcrCredentialsSource(
                "http://127.0.0.1:" + server.getAddress().getPort(),
                "eu-west-1",
                () -> aws,
                clock,
                Duration.ofHours(1));
    }

    @Test
    void sendsASignedGetAuthorizationTokenCall() throws Exception {
        RegistryCredentials credentials = source().credentials();
        assertThat(credentials.username()).isEqualTo("AWS");
        assertThat(credentials.secret()).isEqualTo("pw-1");
        Map<String, String> request = requests.get(0);
        assertThat(request.get(":method")).isEqualTo("POST");
        assertThat(request.get(":path")).isEqualTo("/");
        assertThat(request.get("X-Amz-Target"))
                .isEqualTo("AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken");
        assertThat(request.get("Content-Type")).isEqualTo("application/x-amz-json-1.1");
        assertThat(request.get("X-Amz-Date")).isEqualTo("20260110T080000Z");
        assertThat(bodies.get(0)).isEqualTo("{}");
        assertThat(request).doesNotContainKey("X-Amz-Security-Token");
        String authorization = request.get("Authorization");
        assertThat(authorization)
                .startsWith(
                        "AWS4-HMAC-SHA256 Credential=AKIDTEST/20260110/eu-west-1/ecr/aws4_request, "
                                + "SignedHeaders=")
                .contains(";host;")
                .contains(";x-amz-date;x-amz-target, Signature=");
        assertThat(authorization).isEqualTo(signatureOf(request, bodies.get(0), AWS));
    }

    /**
     * What a SigV4 signature over the request as the server received it is (keys known to the
     * server).
     */
    private static String signatureOf(
            Map<String, String> received, String body, AwsCredentials aws) {
        String authorization = received.get("Authorization");
        String signedHeaders = authorization.replaceAll(".*SignedHeaders=([^,]+),.*", "$1");
        SdkHttpRequest.Builder request =
                SdkHttpRequest.builder()
                        .method(SdkHttpMethod.POST)
                        .uri(URI.create("http://" + received.get("Host") + received.get(":path")));
        for (String name : signedHeaders.split(";")) {
            if (!name.equals("host") && !name.equals("x-amz-date")) {
                request.putHeader(name, received.get(name));
            }
        }
        return AwsV4HttpSigner.create()
                .sign(
                        sign ->
                                sign.identity(
                                                AwsCredentialsIdentity.create(
                                                        aws.accessKeyId(), aws.secretAccessKey()))
                                        .request(request.build())
                                        .payload(ContentStreamProvider.fromUtf8String(body))
                                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ecr")
                                        .putProperty(AwsV4HttpSigner.REGION_NAME, "eu-west-1")
                                        .putProperty(
                                                HttpSigner.SIGNING_CLOCK,
                                                Clock.fixed(START, java.time.ZoneOffset.UTC)))
                .request()
                .firstMatchingHeader("Authorization")
                .orElseThrow();
    }

    @Test
    void temporaryCredentialsSendTheirSessionToken() throws Exception {
        source(new AwsCredentials("ASIATEST", "secret-key", "session-token-1")).credentials();
        assertThat(requests.get(0).get("X-Amz-Security-Token")).isEqualTo("session-token-1");
        assertThat(requests.get(0).get("Authorization"))
                .contains("Credential=ASIATEST/20260110/eu-west-1/ecr/aws4_request")
                .contains("x-amz-security-token");
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
                .hasMessageContaining(
                        "ECR GetAuthorizationToken in eu-west-1 failed (HTTP 400"
                                + " UnrecognizedClientException")
                .hasMessageContaining("the AWS access key id or secret key is wrong")
                .hasMessageNotContaining("secret-key");
    }

    @Test
    void aMissingPermissionIsNamed() {
        status.set(400);
        errorType.set("AccessDeniedException");
        assertThatThrownBy(() -> source().credentials())
                .hasMessageContaining(
                        "ECR GetAuthorizationToken in eu-west-1 failed (HTTP 400"
                                + " AccessDeniedException")
                .hasMessageContaining("lacks the ecr:GetAuthorizationToken permission")
                .hasMessageNotContaining("secret-key");
    }

    @Test
    void anUnknownRegionIsNamedWhenItsEndpointCannotBeReached() throws Exception {
        int closedPort;
        try (ServerSocket socket =
                new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        EcrCredentialsSource source =
                new EcrCredentialsSource(
                        "http://127.0.0.1:" + closedPort,
                        "xx-nowhere-1",
                        () -> AWS,
                        clock,
                        Duration.ofHours(1));
        assertThatThrownBy(source::credentials)
                .hasMessageContaining(
                        "ECR GetAuthorizationToken in xx-nowhere-1 failed: could not reach"
                                + " http://127.0.0.1:")
                .hasMessageContaining("'xx-nowhere-1' is not an AWS region this plugin knows")
                .hasMessageNotContaining("secret-key");
    }

    @Test
    void ecrHostsAreRecognised() {
        EcrRegistry ecr = EcrRegistry.parse("123456789012.dkr.ecr.eu-west-1.amazonaws.com");
        assertThat(ecr.region()).isEqualTo("eu-west-1");
        assertThat(ecr.accountId()).isEqualTo("123456789012");
        assertThat(ecr.fips()).isFalse();
        assertThat(EcrRegistry.parse("123456789012.dkr.ecr-fips.us-east-1.amazonaws.com").fips())
                .isTrue();
        assertThat(EcrRegistry.parse("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn").region())
                .isEqualTo("cn-north-1");
        assertThat(EcrRegistry.isEcr("registry.example.com")).isFalse();
        assertThatThrownBy(() -> EcrRegistry.parse("12.dkr.ecr.x.amazonaws.com"))
                .hasMessageContaining("not an ECR");
    }

    @Test
    void theTokenAuthenticatesAgainstARealRegistry() throws Exception {
        password.set("ecr-password");
        try (LocalRegistry registry = LocalRegistry.builder().user("AWS", "ecr-password").start()) {
            RegistryClient client =
                    RegistryClient.builder(registry.hostPort())
                            .httpClient(registry.httpClient().build())
                            .credentials(source())
                            .build();
            io.jenkins.plugins.mesosagents.image.registry.TestImages.push(
                    client, "ecr/app", "v1", 9, 64);
            assertThat(client.tags("ecr/app")).containsExactly("v1");
        }
    }
}
