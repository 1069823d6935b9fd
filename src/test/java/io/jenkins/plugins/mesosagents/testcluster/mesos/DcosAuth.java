package io.jenkins.plugins.mesosagents.testcluster.mesos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * DC/OS-style service-account authentication ({@link AdminRouter} serves the login, the masters and
 * Admin Router check the tokens): {@code POST /acs/api/v1/auth/login} with {@code {"uid", "token"}}
 * (an RS256 JWT {@code {"uid","exp"}} signed with the account's private key) returns {@code
 * {"token": <auth token>}}; calls then carry {@code Authorization: token=<auth token>}. Missing,
 * unknown, expired or revoked tokens get 401 with {@code WWW-Authenticate: acsjwt}. Each account
 * holds {@code dcos:adminrouter:ops:mesos} unless a test takes it away ({@link #grantMesos}).
 */
final class DcosAuth {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Base64.Decoder B64URL = Base64.getUrlDecoder();
    private static final Base64.Encoder B64URL_OUT = Base64.getUrlEncoder().withoutPadding();

    private final Map<String, PublicKey> accounts;
    private final Duration tokenLifetime;
    private final KeyPair issuer;

    /** issued token -> uid; removed on revoke. */
    private final Map<String, String> issued = new ConcurrentHashMap<>();

    /** Accounts refused {@code dcos:adminrouter:ops:mesos}; every other account has it. */
    private final java.util.Set<String> withoutMesosPermission = ConcurrentHashMap.newKeySet();

    DcosAuth(Map<String, PublicKey> accounts, Duration tokenLifetime) {
        this.accounts = Map.copyOf(accounts);
        this.tokenLifetime = tokenLifetime;
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            this.issuer = g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    boolean enabled() {
        return !accounts.isEmpty();
    }

    HttpReply login(byte[] body) {
        JsonNode req;
        try {
            req = MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            return unauthorized("ERR_INVALID_DATA", "Request body is not valid JSON");
        }
        String uid = req == null ? null : req.path("uid").asText(null);
        String token = req == null ? null : req.path("token").asText(null);
        if (uid == null || token == null) {
            return unauthorized(
                    "ERR_INVALID_DATA", "Expecting \"uid\" and \"token\" (service login JWT)");
        }
        PublicKey key = accounts.get(uid);
        JsonNode claims = key == null ? null : verify(token, key);
        if (claims == null
                || !uid.equals(claims.path("uid").asText())
                || claims.path("exp").asLong(0) < System.currentTimeMillis() / 1000) {
            return unauthorized(
                    "ERR_INVALID_CREDENTIALS",
                    "The service login token is invalid, expired or not signed by the account's"
                            + " key");
        }
        long exp = System.currentTimeMillis() / 1000 + tokenLifetime.toSeconds();
        String authToken =
                sign(MAPPER.createObjectNode().put("uid", uid).put("exp", exp).toString());
        issued.put(authToken, uid);
        return HttpReply.json(200, MAPPER.createObjectNode().put("token", authToken).toString());
    }

    /** The uid behind an {@code Authorization: token=...} header, or null. */
    String authenticate(String header) {
        if (header == null || !header.startsWith("token=")) {
            return null;
        }
        String token = header.substring("token=".length()).trim();
        String uid = issued.get(token);
        if (uid == null) {
            return null;
        }
        JsonNode claims = verify(token, issuer.getPublic());
        if (claims == null || claims.path("exp").asLong(0) < System.currentTimeMillis() / 1000) {
            issued.remove(token);
            return null;
        }
        return uid;
    }

    /** Whether {@code uid} holds {@code dcos:adminrouter:ops:mesos} (full). */
    boolean mayUseMesos(String uid) {
        return !withoutMesosPermission.contains(uid);
    }

    void grantMesos(String uid, boolean granted) {
        if (granted) {
            withoutMesosPermission.remove(uid);
        } else {
            withoutMesosPermission.add(uid);
        }
    }

    void revokeAll() {
        issued.clear();
    }

    static HttpReply challenge() {
        return HttpReply.json(
                        401,
                        "{\"title\":\"Unauthorized\",\"description\":\"authentication token"
                                + " required\",\"code\":\"ERR_MISSING_AUTH_TOKEN\"}")
                .withHeader("WWW-Authenticate", "acsjwt");
    }

    private static HttpReply unauthorized(String code, String description) {
        return HttpReply.json(
                        401,
                        MAPPER.createObjectNode()
                                .put("title", "Unauthorized")
                                .put("description", description)
                                .put("code", code)
                                .toString())
                .withHeader("WWW-Authenticate", "acsjwt");
    }

    private String sign(String payloadJson) {
        String head =
                B64URL_OUT.encodeToString(
                        "{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = B64URL_OUT.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8));
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(issuer.getPrivate());
            s.update((head + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return head + "." + payload + "." + B64URL_OUT.encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Claims of an RS256 JWT whose signature checks out with {@code key}; null otherwise. */
    static JsonNode verify(String jwt, PublicKey key) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            return null;
        }
        try {
            JsonNode header = MAPPER.readTree(B64URL.decode(parts[0]));
            if (!"RS256".equals(header.path("alg").asText())) {
                return null;
            }
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initVerify(key);
            s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!s.verify(B64URL.decode(parts[2]))) {
                return null;
            }
            return MAPPER.readTree(B64URL.decode(parts[1]));
        } catch (java.io.IOException | IllegalArgumentException | GeneralSecurityException e) {
            return null;
        }
    }

    /** Parses a PEM "PUBLIC KEY" (X.509 SubjectPublicKeyInfo) RSA key. */
    static PublicKey parsePublicKey(String pem) {
        String b64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        try {
            return java.security.KeyFactory.getInstance("RSA")
                    .generatePublic(
                            new java.security.spec.X509EncodedKeySpec(
                                    Base64.getDecoder().decode(b64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "not a PEM RSA public key (expected -----BEGIN PUBLIC KEY-----): "
                            + e.getMessage(),
                    e);
        }
    }
}
