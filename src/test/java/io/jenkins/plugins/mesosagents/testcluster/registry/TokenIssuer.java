package io.jenkins.plugins.mesosagents.testcluster.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny Docker token service for tests: checks Basic credentials against its users, grants the
 * requested repository actions the user may have, and signs RS256 JWTs that docker-registry trusts
 * through its {@code rootcertbundle} (the signing certificate travels in the JWT's {@code x5c}
 * header).
 */
public final class TokenIssuer implements AutoCloseable {
    public static final String SERVICE = "mesos-agents-test-registry";
    public static final String ISSUER = "mesos-agents-test-issuer";

    private final Map<String, String> passwords = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> allowedActions = new ConcurrentHashMap<>();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final AtomicInteger anonymousRequests = new AtomicInteger();
    private final List<String> scopesRequested =
            java.util.Collections.synchronizedList(new ArrayList<>());
    private final ObjectMapper json = new ObjectMapper();
    private final PrivateKey key;
    private final byte[] certificateDer;
    private final Path certificate;
    private final HttpServer server;
    private volatile int expiresInSeconds = 300;

    static {
        // the JDK server writes headers and body separately; without TCP_NODELAY each token waits
        // ~40 ms for a
        // delayed ACK, which would make token registries look slow in benchmarks
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    public TokenIssuer(Path dir) throws IOException, InterruptedException {
        TestCertificates.selfSigned(dir, "token-signer");
        this.certificate = dir.resolve("token-signer.crt");
        this.key = TestCertificates.readPkcs8(dir.resolve("token-signer.key"));
        this.certificateDer = TestCertificates.readCertificateDer(certificate);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", this::handle);
        server.start();
    }

    /** Adds a user who may perform {@code actions} (e.g. pull, push) on every repository. */
    public TokenIssuer user(String name, String password, String... actions) {
        passwords.put(name, password);
        allowedActions.put(name, Set.of(actions));
        return this;
    }

    public TokenIssuer expiresInSeconds(int seconds) {
        this.expiresInSeconds = seconds;
        return this;
    }

    public String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    public Path rootCertificateBundle() {
        return certificate;
    }

    public int tokenRequests() {
        return tokenRequests.get();
    }

    /** Token requests that came without any {@code Authorization} (a client with no login). */
    public int anonymousRequests() {
        return anonymousRequests.get();
    }

    public List<String> scopesRequested() {
        return List.copyOf(scopesRequested);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            tokenRequests.incrementAndGet();
            if (exchange.getRequestHeaders().getFirst("Authorization") == null) {
                anonymousRequests.incrementAndGet();
            }
            String user = authenticate(exchange.getRequestHeaders().getFirst("Authorization"));
            if (user == null) {
                byte[] body =
                        "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"bad credentials\"}]}"
                                .getBytes();
                exchange.sendResponseHeaders(401, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            List<Map<String, Object>> access = new ArrayList<>();
            String query = exchange.getRequestURI().getRawQuery();
            for (String pair : query == null ? new String[0] : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq < 0 || !pair.substring(0, eq).equals("scope")) {
                    continue;
                }
                String scope = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                scopesRequested.add(scope);
                for (String one : scope.split(" ")) {
                    String[] parts = one.split(":");
                    if (parts.length != 3) {
                        continue;
                    }
                    List<String> granted = new ArrayList<>();
                    for (String action : parts[2].split(",")) {
                        if (allowedActions.get(user).contains(action)
                                || allowedActions.get(user).contains("*")) {
                            granted.add(action);
                        }
                    }
                    access.add(Map.of("type", parts[0], "name", parts[1], "actions", granted));
                }
            }
            String token = sign(user, access);
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("token", token);
            response.put("access_token", token);
            response.put("expires_in", expiresInSeconds);
            response.put("issued_at", Instant.now().toString());
            byte[] body = json.writeValueAsBytes(response);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private String authenticate(String header) {
        if (header == null || !header.startsWith("Basic ")) {
            return null;
        }
        String decoded =
                new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        String name = decoded.substring(0, Math.max(colon, 0));
        return colon > 0 && decoded.substring(colon + 1).equals(passwords.get(name)) ? name : null;
    }

    private String sign(String subject, List<Map<String, Object>> access) throws IOException {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> header =
                Map.of(
                        "typ",
                        "JWT",
                        "alg",
                        "RS256",
                        "x5c",
                        List.of(Base64.getEncoder().encodeToString(certificateDer)));
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("sub", subject);
        claims.put("aud", SERVICE);
        claims.put("exp", now + expiresInSeconds);
        claims.put("nbf", now - 10);
        claims.put("iat", now);
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("access", access);
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String signingInput =
                url.encodeToString(json.writeValueAsBytes(header))
                        + "."
                        + url.encodeToString(json.writeValueAsBytes(claims));
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + url.encodeToString(rsa.sign());
        } catch (Exception e) {
            throw new IOException("cannot sign token", e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
