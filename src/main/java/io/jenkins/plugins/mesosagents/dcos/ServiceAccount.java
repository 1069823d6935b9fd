package io.jenkins.plugins.mesosagents.dcos;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import okhttp3.HttpUrl;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * A DC/OS service account, as both the Mesos framework and the Marathon deploy log in with it: a
 * uid and an RSA private key, optionally the login endpoint. {@link #loginToken} is the RS256 JWT
 * {@code {"uid", "exp"}} that DC/OS' {@code /acs/api/v1/auth/login} exchanges for an authentication
 * token. The key never appears in {@code toString()} or in any error message.
 */
public record ServiceAccount(String uid, PrivateKey privateKey, Optional<HttpUrl> loginUrl) {
    /** How long a login token is valid; DC/OS only needs it for the login request itself. */
    public static final long LOGIN_TOKEN_SECONDS = 300;

    private static final ObjectMapper JSON = new ObjectMapper();

    public ServiceAccount {
        if (uid == null || uid.isEmpty()) {
            throw new IllegalArgumentException("DC/OS service account uid must not be empty");
        }
        Objects.requireNonNull(privateKey, "privateKey");
        if (!"RSA".equals(privateKey.getAlgorithm())) {
            throw new IllegalArgumentException(
                    "DC/OS service account '"
                            + uid
                            + "' needs an RSA private key (RS256), got "
                            + privateKey.getAlgorithm());
        }
        Objects.requireNonNull(loginUrl, "loginUrl");
    }

    /**
     * Reads the secret as DC/OS stores it (and the incumbent plugins accepted it): {@code {"uid":
     * "...", "private_key": "-----BEGIN PRIVATE KEY-----...", "login_endpoint": "https://...",
     * "scheme": "RS256"}}; {@code login_endpoint} and {@code scheme} are optional.
     */
    public static ServiceAccount fromJson(String secretJson) {
        JsonNode json;
        try {
            json = JSON.readTree(secretJson == null ? "" : secretJson);
        } catch (JsonProcessingException e) {
            // the secret's text must not reach the message: report the position only
            throw new IllegalArgumentException(
                    "The DC/OS service-account secret is not valid JSON (line "
                            + e.getLocation().getLineNr()
                            + ", column "
                            + e.getLocation().getColumnNr()
                            + "); expected {\"uid\": ..., \"private_key\": ..., \"login_endpoint\":"
                            + " ...}");
        }
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException(
                    "The DC/OS service-account secret must be a JSON object with \"uid\" and"
                            + " \"private_key\"");
        }
        String uid = json.path("uid").asText("");
        String key = json.path("private_key").asText("");
        if (uid.isEmpty() || key.isEmpty()) {
            throw new IllegalArgumentException(
                    "The DC/OS service-account secret needs the fields \"uid\" and"
                            + " \"private_key\"");
        }
        String scheme = json.path("scheme").asText("RS256");
        if (!scheme.equals("RS256")) {
            throw new IllegalArgumentException(
                    "DC/OS service-account scheme '"
                            + scheme
                            + "' is not supported; only RS256 is");
        }
        String endpoint = json.path("login_endpoint").asText("");
        Optional<HttpUrl> login = Optional.empty();
        if (!endpoint.isEmpty()) {
            HttpUrl parsed = HttpUrl.parse(endpoint);
            if (parsed == null) {
                throw new IllegalArgumentException(
                        "The DC/OS login_endpoint '" + endpoint + "' is not an http(s) URL");
            }
            login = Optional.of(parsed);
        }
        return new ServiceAccount(uid, Pem.rsaPrivateKey(key), login);
    }

    /** The default login endpoint on the host that serves {@code url}. */
    public static HttpUrl defaultLoginUrl(HttpUrl url) {
        return new HttpUrl.Builder()
                .scheme(url.scheme())
                .host(url.host())
                .port(url.port())
                .addPathSegments("acs/api/v1/auth/login")
                .build();
    }

    /** The RS256 JWT {@code {"uid": uid, "exp": now + 5 min}} signed with the private key. */
    public String loginToken(Instant now) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String claims =
                JSON.createObjectNode()
                        .put("uid", uid)
                        .put("exp", now.getEpochSecond() + LOGIN_TOKEN_SECONDS)
                        .toString();
        String signingInput =
                b64.encodeToString(
                                "{\"alg\":\"RS256\",\"typ\":\"JWT\"}"
                                        .getBytes(StandardCharsets.UTF_8))
                        + "."
                        + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(privateKey);
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + b64.encodeToString(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "Cannot sign the DC/OS login token for '"
                            + uid
                            + "': "
                            + e.getClass().getSimpleName());
        }
    }

    @Override
    public String toString() {
        return "ServiceAccount[uid="
                + uid
                + ", privateKey=****"
                + loginUrl.map(u -> ", loginUrl=" + u.redact()).orElse("")
                + "]";
    }
}
