package io.jenkins.plugins.mesosagents.testcluster.marathon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The simulator's authentication: none, HTTP Basic (Marathon's {@code --http_credentials}), or
 * DC/OS tokens ({@code Authorization: token=…}) issued by the login endpoint to service accounts
 * that prove their identity with an RS256 JWT, plus fixed tokens. Tokens can be expired to make
 * clients log in again.
 */
final class SimAuth {
    private final ObjectMapper mapper = new ObjectMapper();
    private final Clock clock;
    private final String basicHeader;
    private final Map<String, PublicKey> serviceAccounts;
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final AtomicInteger logins = new AtomicInteger();

    SimAuth(
            Clock clock,
            String basicUser,
            String basicPassword,
            Map<String, PublicKey> serviceAccounts,
            Set<String> fixedTokens) {
        this.clock = clock;
        this.basicHeader =
                basicUser == null
                        ? null
                        : "Basic "
                                + Base64.getEncoder()
                                        .encodeToString(
                                                (basicUser + ":" + basicPassword)
                                                        .getBytes(StandardCharsets.UTF_8));
        this.serviceAccounts = Map.copyOf(serviceAccounts);
        tokens.addAll(fixedTokens);
    }

    boolean dcos() {
        return !serviceAccounts.isEmpty() || !tokens.isEmpty();
    }

    /** Null when the request may pass, otherwise the 401 answer. */
    SimResponse check(String authorization) {
        if (basicHeader != null) {
            if (basicHeader.equals(authorization)) {
                return null;
            }
            return new SimResponse(
                    401,
                    mapper.createObjectNode().put("message", "Invalid username or password."),
                    Map.of("WWW-Authenticate", "Basic realm=\"Mesosphere\""));
        }
        if (dcos()) {
            if (authorization != null
                    && authorization.startsWith("token=")
                    && tokens.contains(authorization.substring(6))) {
                return null;
            }
            return new SimResponse(
                    401,
                    mapper.createObjectNode()
                            .put("title", "Unauthorized")
                            .put(
                                    "description",
                                    "Authentication token is missing, invalid or expired")
                            .put("code", "ERR_INVALID_TOKEN"),
                    Map.of("WWW-Authenticate", "acsjwt"));
        }
        return null;
    }

    /**
     * POST /acs/api/v1/auth/login with {"uid","token"}: verify the RS256 service login token, issue
     * an auth token.
     */
    SimResponse login(JsonNode body) {
        String uid = body.path("uid").asText("");
        String jwt = body.path("token").asText("");
        PublicKey key = serviceAccounts.get(uid);
        if (key == null || !valid(jwt, uid, key)) {
            return new SimResponse(
                    401,
                    mapper.createObjectNode()
                            .put("title", "Invalid credentials")
                            .put("description", "The login credentials are invalid")
                            .put("code", "ERR_INVALID_CREDENTIALS"),
                    Map.of("WWW-Authenticate", "acsjwt"));
        }
        String token = "sim-" + UUID.randomUUID();
        tokens.add(token);
        logins.incrementAndGet();
        return SimResponse.json(200, mapper.createObjectNode().put("token", token));
    }

    private boolean valid(String jwt, String uid, PublicKey key) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            return false;
        }
        try {
            Base64.Decoder b64 = Base64.getUrlDecoder();
            JsonNode header = mapper.readTree(b64.decode(parts[0]));
            JsonNode payload = mapper.readTree(b64.decode(parts[1]));
            if (!header.path("alg").asText().equals("RS256")
                    || !payload.path("uid").asText().equals(uid)
                    || payload.path("exp").asLong() <= clock.instant().getEpochSecond()) {
                return false;
            }
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(key);
            rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return rsa.verify(b64.decode(parts[2]));
        } catch (Exception e) {
            return false;
        }
    }

    /** Forgets every token issued by login (fixed tokens stay valid). */
    void expireIssuedTokens() {
        tokens.removeIf(token -> token.startsWith("sim-"));
    }

    int logins() {
        return logins.get();
    }
}
