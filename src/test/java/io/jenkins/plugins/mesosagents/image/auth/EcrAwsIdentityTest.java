package io.jenkins.plugins.mesosagents.image.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;

import io.jenkins.plugins.mesosagents.image.registry.RegistryCredentials;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * ECR tokens with an AWS identity other than a credential's keys: the AWS SDK's default credentials
 * provider chain (JVM system properties, then the EC2 instance profile) and an IAM role assumed
 * through STS. One local HTTP server plays the ECR API, STS and the EC2 instance metadata service
 * (IMDSv2); the SDK is pointed at it through its endpoint overrides and its own system properties
 * ({@code aws.accessKeyId}, {@code aws.ec2MetadataServiceEndpoint}, {@code
 * aws.sharedCredentialsFile}, {@code aws.configFile}), so the SDK's real providers run in-process.
 * Not exercised: real AWS (no network to it here), web identity tokens, ECS container credentials.
 */
class EcrAwsIdentityTest {
    private static final String ROLE = "arn:aws:iam::123456789012:role/ecr-push";
    private static final List<String> PROPERTIES =
            List.of(
                    "aws.accessKeyId",
                    "aws.secretAccessKey",
                    "aws.sessionToken",
                    "aws.ec2MetadataServiceEndpoint",
                    "aws.sharedCredentialsFile",
                    "aws.configFile");

    private HttpServer server;
    private final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
    private final AtomicBoolean stsDenies = new AtomicBoolean();
    private final Map<String, String> savedProperties = new TreeMap<>();
    private Path emptyAwsFiles;

    @BeforeEach
    void start() throws Exception {
        for (String name : PROPERTIES) {
            savedProperties.put(name, System.getProperty(name));
            System.clearProperty(name);
        }
        // no ~/.aws profile of whoever runs the tests may answer instead of the stand-ins
        emptyAwsFiles = Files.createTempDirectory("aws-empty-");
        System.setProperty(
                "aws.sharedCredentialsFile",
                Files.createFile(emptyAwsFiles.resolve("credentials")).toString());
        System.setProperty(
                "aws.configFile", Files.createFile(emptyAwsFiles.resolve("config")).toString());
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/",
                exchange -> {
                    try (exchange) {
                        Map<String, String> request = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                        exchange.getRequestHeaders().forEach((k, v) -> request.put(k, v.get(0)));
                        request.put(":method", exchange.getRequestMethod());
                        request.put(":path", exchange.getRequestURI().getPath());
                        request.put(
                                ":body",
                                new String(
                                        exchange.getRequestBody().readAllBytes(),
                                        StandardCharsets.UTF_8));
                        requests.add(request);
                        Answer answer = answer(request);
                        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
                        exchange.getResponseHeaders().add("Content-Type", answer.contentType());
                        exchange.sendResponseHeaders(answer.status(), bytes.length);
                        exchange.getResponseBody().write(bytes);
                    }
                });
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop(0);
        savedProperties.forEach(
                (name, value) -> {
                    if (value == null) {
                        System.clearProperty(name);
                    } else {
                        System.setProperty(name, value);
                    }
                });
        Files.deleteIfExists(emptyAwsFiles.resolve("credentials"));
        Files.deleteIfExists(emptyAwsFiles.resolve("config"));
        Files.deleteIfExists(emptyAwsFiles);
    }

    private record Answer(int status, String contentType, String body) {}

    private Answer answer(Map<String, String> request) {
        String path = request.get(":path");
        String expires =
                Instant.now().plus(6, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
        // IMDSv2: a session token first, then the role name and its temporary keys (the SDK
        // asks the "-extended" listing first and falls back to the classic one)
        if (path.equals("/latest/api/token") && request.get(":method").equals("PUT")) {
            return new Answer(200, "text/plain", "imds-session-token");
        }
        if (path.startsWith("/latest/meta-data/iam/security-credentials")) {
            if (!"imds-session-token".equals(request.get("x-aws-ec2-metadata-token"))) {
                return new Answer(401, "text/plain", "");
            }
            if (path.endsWith("/")) {
                return new Answer(200, "text/plain", "ecr-node-role");
            }
            return new Answer(
                    200,
                    "application/json",
                    "{\"Code\":\"Success\",\"Type\":\"AWS-HMAC\",\"AccessKeyId\":\"ASIAIMDS\","
                            + "\"SecretAccessKey\":\"imds-secret\",\"Token\":\"imds-session\","
                            + "\"Expiration\":\""
                            + expires
                            + "\",\"LastUpdated\":\""
                            + Instant.now().truncatedTo(ChronoUnit.SECONDS)
                            + "\"}");
        }
        if (request.get(":body").contains("Action=AssumeRole")) {
            if (stsDenies.get()) {
                return new Answer(
                        403,
                        "text/xml",
                        "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>"
                                + "<Type>Sender</Type><Code>AccessDenied</Code><Message>User:"
                                + " arn:aws:iam::123456789012:user/ci is not authorized to perform:"
                                + " sts:AssumeRole on resource: "
                                + ROLE
                                + "</Message></Error><RequestId>r-1</RequestId></ErrorResponse>");
            }
            return new Answer(
                    200,
                    "text/xml",
                    "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                            + "<AssumeRoleResult><Credentials><AccessKeyId>ASIAROLE</AccessKeyId>"
                            + "<SecretAccessKey>role-secret</SecretAccessKey>"
                            + "<SessionToken>role-session</SessionToken><Expiration>"
                            + expires
                            + "</Expiration></Credentials><AssumedRoleUser>"
                            + "<AssumedRoleId>AROAEXAMPLE:jenkins-mesos-agents-ecr</AssumedRoleId>"
                            + "<Arn>arn:aws:sts::123456789012:assumed-role/ecr-push/"
                            + "jenkins-mesos-agents-ecr</Arn></AssumedRoleUser></AssumeRoleResult>"
                            + "<ResponseMetadata><RequestId>r-2</RequestId></ResponseMetadata>"
                            + "</AssumeRoleResponse>");
        }
        if ("AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken"
                .equals(request.get("X-Amz-Target"))) {
            String token =
                    Base64.getEncoder()
                            .encodeToString("AWS:ecr-password".getBytes(StandardCharsets.UTF_8));
            double at = Instant.now().plus(Duration.ofHours(12)).toEpochMilli() / 1000.0;
            return new Answer(
                    200,
                    "application/x-amz-json-1.1",
                    "{\"authorizationData\":[{\"authorizationToken\":\""
                            + token
                            + "\",\"expiresAt\":"
                            + at
                            + ",\"proxyEndpoint\":\"https://123456789012.dkr.ecr.eu-west-1.amazonaws.com\"}]}");
        }
        return new Answer(404, "text/plain", "not found: " + path);
    }

    private String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private EcrCredentialsSource source(AwsIdentity identity) {
        return new EcrCredentialsSource(
                endpoint(),
                "eu-west-1",
                identity,
                java.time.Clock.systemUTC(),
                Duration.ofHours(1));
    }

    private Map<String, String> ecrCall() {
        return requests.stream()
                .filter(r -> r.containsKey("X-Amz-Target"))
                .reduce((first, second) -> second)
                .orElseThrow();
    }

    @Test
    void theDefaultChainUsesTheJvmsAwsSystemProperties() throws Exception {
        System.setProperty("aws.accessKeyId", "AKIDSYSPROP");
        System.setProperty("aws.secretAccessKey", "sysprop-secret");

        RegistryCredentials credentials = source(AwsIdentity.defaultChain()).credentials();

        assertThat(credentials).isEqualTo(RegistryCredentials.basic("AWS", "ecr-password"));
        assertThat(ecrCall().get("Authorization"))
                .contains("Credential=AKIDSYSPROP/")
                .contains("/eu-west-1/ecr/aws4_request");
    }

    @Test
    void theDefaultChainFallsBackToTheEc2InstanceProfile() throws Exception {
        System.setProperty("aws.ec2MetadataServiceEndpoint", endpoint());

        RegistryCredentials credentials = source(AwsIdentity.defaultChain()).credentials();

        assertThat(credentials.secret()).isEqualTo("ecr-password");
        assertThat(requests)
                .anySatisfy(r -> assertThat(r.get(":path")).isEqualTo("/latest/api/token"));
        assertThat(ecrCall().get("Authorization")).contains("Credential=ASIAIMDS/");
        assertThat(ecrCall().get("X-Amz-Security-Token")).isEqualTo("imds-session");
    }

    @Test
    void anAssumedRoleSignsTheEcrCallWithTheRolesTemporaryKeys() throws Exception {
        AwsIdentity identity =
                AwsIdentity.keys(() -> new AwsCredentials("AKIDBASE", "base-secret", null))
                        .assumingRole(ROLE)
                        .withStsEndpoint(URI.create(endpoint()));

        RegistryCredentials credentials = source(identity).credentials();

        assertThat(credentials.secret()).isEqualTo("ecr-password");
        Map<String, String> sts =
                requests.stream()
                        .filter(r -> r.get(":body").contains("Action=AssumeRole"))
                        .findFirst()
                        .orElseThrow();
        String form = URLDecoder.decode(sts.get(":body"), StandardCharsets.UTF_8);
        assertThat(form).contains("RoleArn=" + ROLE).contains("RoleSessionName=");
        assertThat(sts.get("Authorization"))
                .contains("Credential=AKIDBASE/")
                .contains("/eu-west-1/sts/aws4_request");
        assertThat(ecrCall().get("Authorization")).contains("Credential=ASIAROLE/");
        assertThat(ecrCall().get("X-Amz-Security-Token")).isEqualTo("role-session");
    }

    @Test
    void aRoleTheIdentityMayNotAssumeIsNamedWithWhatToCheck() {
        stsDenies.set(true);
        AwsIdentity identity =
                AwsIdentity.keys(() -> new AwsCredentials("AKIDBASE", "base-secret", null))
                        .assumingRole(ROLE)
                        .withStsEndpoint(URI.create(endpoint()));

        assertThatThrownBy(() -> source(identity).credentials())
                .hasMessageContaining(ROLE)
                .hasMessageContaining("AccessDenied")
                .hasMessageContaining("trust policy")
                .hasMessageNotContaining("base-secret");
        assertThat(requests).noneSatisfy(r -> assertThat(r).containsKey("X-Amz-Target"));
    }

    @Test
    void noAwsIdentityAnywhereSaysSo() throws Exception {
        int closedPort;
        try (ServerSocket socket =
                new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        System.setProperty("aws.ec2MetadataServiceEndpoint", "http://127.0.0.1:" + closedPort);

        assertThatThrownBy(() -> source(AwsIdentity.defaultChain()).credentials())
                .hasMessageContaining("no AWS credentials found")
                .hasMessageContaining("default AWS credentials of the Jenkins controller");
        assertThat(requests).noneSatisfy(r -> assertThat(r).containsKey("X-Amz-Target"));
    }

    @Test
    void aRoleArnIsCheckedWhenGiven() {
        assertThatThrownBy(() -> AwsIdentity.defaultChain().assumingRole("ecr-push"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an IAM role ARN")
                .hasMessageContaining("arn:aws:iam::123456789012:role/");
    }
}
