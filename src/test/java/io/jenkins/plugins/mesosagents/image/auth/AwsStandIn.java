package io.jenkins.plugins.mesosagents.image.auth;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One local HTTP server playing the AWS services an ECR login touches: the ECR API ({@code
 * GetAuthorizationToken}, answering {@code AWS:ecr-password}), STS ({@code AssumeRole}, answering
 * the role's keys {@code ASIAROLE}/{@code role-secret}/{@code role-session}, or AccessDenied) and
 * the EC2 instance metadata service (IMDSv2 token, role listing, keys {@code ASIAIMDS}/{@code
 * imds-secret}/{@code imds-session}). While open, the AWS SDK's own system properties are cleared
 * and {@code ~/.aws} files replaced by empty ones, so no identity of whoever runs the tests
 * answers; {@link #pointSdkAtThis()} makes the SDK's clients use this server through the SDK's
 * documented endpoint settings ({@code aws.endpointUrlEcr}, {@code aws.endpointUrlSts}). Closing
 * restores every property.
 */
public final class AwsStandIn implements AutoCloseable {
    public static final String ROLE = "arn:aws:iam::123456789012:role/ecr-push";
    private static final List<String> PROPERTIES =
            List.of(
                    "aws.accessKeyId",
                    "aws.secretAccessKey",
                    "aws.sessionToken",
                    "aws.ec2MetadataServiceEndpoint",
                    "aws.sharedCredentialsFile",
                    "aws.configFile",
                    "aws.endpointUrlEcr",
                    "aws.endpointUrlSts",
                    "aws.region");

    private final HttpServer server;
    private final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
    private final AtomicBoolean stsDenies = new AtomicBoolean();
    private final AtomicReference<String> proxyLogin = new AtomicReference<>();
    private final AtomicInteger proxyRefusals = new AtomicInteger();
    private final Map<String, String> savedProperties = new TreeMap<>();
    private final Path emptyAwsFiles;

    private AwsStandIn() throws IOException {
        for (String name : PROPERTIES) {
            savedProperties.put(name, System.getProperty(name));
            System.clearProperty(name);
        }
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
                        // absolute (http://host/…) when the request came through it as a proxy
                        request.put(":target", exchange.getRequestURI().toString());
                        request.put(
                                ":body",
                                new String(
                                        exchange.getRequestBody().readAllBytes(),
                                        StandardCharsets.UTF_8));
                        String login = proxyLogin.get();
                        if (login != null && !login.equals(request.get("Proxy-Authorization"))) {
                            // RFC 9110 §15.5.8: a proxy asks for its login with 407
                            proxyRefusals.incrementAndGet();
                            exchange.getResponseHeaders()
                                    .add("Proxy-Authenticate", "Basic realm=\"corp\"");
                            exchange.sendResponseHeaders(407, -1);
                            return;
                        }
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

    /** Starts the server and isolates the SDK from the machine's AWS settings. */
    public static AwsStandIn start() throws IOException {
        return new AwsStandIn();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Makes every ECR and STS client the SDK builds call this server. */
    public void pointSdkAtThis() {
        System.setProperty("aws.endpointUrlEcr", endpoint());
        System.setProperty("aws.endpointUrlSts", endpoint());
    }

    /** Makes the default chain find the EC2 instance profile here. */
    public void serveInstanceProfile() {
        System.setProperty("aws.ec2MetadataServiceEndpoint", endpoint());
    }

    /**
     * From now on this server also plays an HTTP proxy that wants a Basic login: a request without
     * it is answered 407. Reach it as a proxy ({@link #proxy()}) with endpoints on hosts that do
     * not resolve, so that only a request sent through the proxy arrives.
     */
    public void requireProxyLogin(String user, String password) {
        proxyLogin.set(
                "Basic "
                        + Base64.getEncoder()
                                .encodeToString(
                                        (user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    /** This server as an HTTP proxy. */
    public Proxy proxy() {
        return new Proxy(Proxy.Type.HTTP, server.getAddress());
    }

    /** How many requests were answered 407 for want of the proxy login. */
    public int proxyRefusals() {
        return proxyRefusals.get();
    }

    /** From now on, STS refuses AssumeRole with AccessDenied. */
    public void denyAssumeRole() {
        stsDenies.set(true);
    }

    /**
     * Every request received: headers (case-insensitive), {@code :method}, {@code :path}, {@code
     * :body}.
     */
    public List<Map<String, String>> requests() {
        return requests;
    }

    /** The last ECR API call; fails when there was none. */
    public Map<String, String> ecrCall() {
        return requests.stream()
                .filter(r -> r.containsKey("X-Amz-Target"))
                .reduce((first, second) -> second)
                .orElseThrow(() -> new AssertionError("no ECR API call reached the stand-in"));
    }

    public boolean ecrCalled() {
        return requests.stream().anyMatch(r -> r.containsKey("X-Amz-Target"));
    }

    /** The first STS AssumeRole call; fails when there was none. */
    public Map<String, String> assumeRoleCall() {
        return requests.stream()
                .filter(r -> r.get(":body").contains("Action=AssumeRole"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no STS AssumeRole reached the stand-in"));
    }

    @Override
    public void close() throws IOException {
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
}
