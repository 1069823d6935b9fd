package io.jenkins.plugins.mesosagents.marathon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.util.Base64;
import java.util.Objects;

/**
 * DC/OS service-account login: signs a short-lived RS256 JWT {@code {"uid","exp"}} with the
 * account's private key, exchanges it at {@code /acs/api/v1/auth/login} for an authentication token
 * and sends that as {@code Authorization: token=…}. The token lives only in this object's memory;
 * after a 401 it is dropped and a new login happens on the next request. Nothing is ever written
 * back into the credentials.
 */
public final class DcosServiceAccountAuth implements MarathonAuth {
    private static final MediaType JSON = MediaType.get("application/json");
    private static final long LOGIN_TOKEN_SECONDS = 300;

    private final HttpUrl loginUrl;
    private final String uid;
    private final PrivateKey privateKey;
    private final Clock clock;
    private final ObjectMapper mapper = new ObjectMapper();
    private String token;

    public DcosServiceAccountAuth(
            HttpUrl loginUrl, String uid, PrivateKey privateKey, Clock clock) {
        this.loginUrl = Objects.requireNonNull(loginUrl, "loginUrl");
        this.uid = Objects.requireNonNull(uid, "uid");
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The default login endpoint of the cluster that serves {@code marathonUrl}: {@code
     * <scheme://host:port>/acs/api/v1/auth/login}.
     */
    public static HttpUrl defaultLoginUrl(HttpUrl marathonUrl) {
        return marathonUrl.newBuilder().encodedPath("/acs/api/v1/auth/login").query(null).build();
    }

    /**
     * Reads the service-account secret as DC/OS stores it (and marathon-plugin accepted it): {@code
     * {"uid": "...", "private_key": "-----BEGIN PRIVATE KEY-----...", "login_endpoint":
     * "https://.../acs/api/v1/auth/login", "scheme": "RS256"}}; {@code login_endpoint} is optional
     * (default: {@link #defaultLoginUrl}).
     */
    public static DcosServiceAccountAuth fromJson(
            String secretJson, HttpUrl marathonUrl, Clock clock) {
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(secretJson);
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
        HttpUrl login = endpoint.isEmpty() ? defaultLoginUrl(marathonUrl) : HttpUrl.parse(endpoint);
        if (login == null) {
            throw new IllegalArgumentException(
                    "The DC/OS login_endpoint '" + endpoint + "' is not an http(s) URL");
        }
        return new DcosServiceAccountAuth(login, uid, parsePrivateKey(key), clock);
    }

    /**
     * Parses an RSA private key in PEM, either PKCS#8 ("BEGIN PRIVATE KEY") or PKCS#1 ("BEGIN RSA
     * PRIVATE KEY").
     */
    public static PrivateKey parsePrivateKey(String pem) {
        boolean pkcs1 = pem.contains("BEGIN RSA PRIVATE KEY");
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(base64);
            if (pkcs1) {
                der = wrapPkcs1(der);
            }
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "The DC/OS service-account private key is not an RSA key in PEM format"
                            + " (expected -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE"
                            + " KEY-----)");
        }
    }

    /**
     * PKCS#8 PrivateKeyInfo = SEQUENCE { INTEGER 0, AlgorithmIdentifier rsaEncryption, OCTET STRING
     * pkcs1 }.
     */
    private static byte[] wrapPkcs1(byte[] pkcs1) {
        byte[] algorithm = {
            0x30,
            0x0d,
            0x06,
            0x09,
            0x2a,
            (byte) 0x86,
            0x48,
            (byte) 0x86,
            (byte) 0xf7,
            0x0d,
            0x01,
            0x01,
            0x01,
            0x05,
            0x00
        };
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octets = concat(new byte[] {0x04}, derLength(pkcs1.length), pkcs1);
        byte[] body = concat(version, algorithm, octets);
        return concat(new byte[] {0x30}, derLength(body.length), body);
    }

    private static byte[] derLength(int length) {
        if (length < 0x80) {
            return new byte[] {(byte) length};
        }
        if (length < 0x100) {
            return new byte[] {(byte) 0x81, (byte) length};
        }
        if (length < 0x10000) {
            return new byte[] {(byte) 0x82, (byte) (length >> 8), (byte) length};
        }
        return new byte[] {(byte) 0x83, (byte) (length >> 16), (byte) (length >> 8), (byte) length};
    }

    private static byte[] concat(byte[]... parts) {
        int size = 0;
        for (byte[] part : parts) {
            size += part.length;
        }
        byte[] all = new byte[size];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    @Override
    public synchronized String authorization(OkHttpClient http) throws IOException {
        if (token == null) {
            token = login(http);
        }
        return "token=" + token;
    }

    @Override
    public synchronized boolean invalidate() {
        token = null;
        return true;
    }

    @Override
    public String describe() {
        return "DC/OS service account '" + uid + "' (login at " + loginUrl + ")";
    }

    @Override
    public String toString() {
        return "DcosServiceAccountAuth(" + uid + ", " + loginUrl + ", ****)";
    }

    /** The RS256 service login token: header.payload.signature, each base64url without padding. */
    String serviceLoginToken() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        ObjectNode payload =
                mapper.createObjectNode()
                        .put("uid", uid)
                        .put("exp", clock.instant().getEpochSecond() + LOGIN_TOKEN_SECONDS);
        String signingInput =
                b64.encodeToString(
                                "{\"alg\":\"RS256\",\"typ\":\"JWT\"}"
                                        .getBytes(StandardCharsets.UTF_8))
                        + "."
                        + b64.encodeToString(payload.toString().getBytes(StandardCharsets.UTF_8));
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(privateKey);
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + b64.encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "Cannot sign the DC/OS service login token with RS256", e);
        }
    }

    private String login(OkHttpClient http) throws IOException {
        ObjectNode body =
                mapper.createObjectNode().put("uid", uid).put("token", serviceLoginToken());
        Request request =
                new Request.Builder()
                        .url(loginUrl)
                        .post(RequestBody.create(body.toString(), JSON))
                        .build();
        try (Response response = http.newCall(request).execute()) {
            String text = response.body() == null ? "" : response.body().string();
            if (response.code() == 401 || response.code() == 403) {
                throw new MarathonException(
                        response.code(),
                        "DC/OS login of service account '"
                                + uid
                                + "' at "
                                + loginUrl
                                + " was rejected (HTTP "
                                + response.code()
                                + "): check the uid and that the private key belongs to it",
                        java.util.List.of());
            }
            if (!response.isSuccessful()) {
                throw new MarathonException(
                        response.code(),
                        "DC/OS login at " + loginUrl + " failed with HTTP " + response.code(),
                        java.util.List.of());
            }
            String issued = mapper.readTree(text).path("token").asText("");
            if (issued.isEmpty()) {
                throw new MarathonException(
                        response.code(),
                        "DC/OS login at " + loginUrl + " answered without a token",
                        java.util.List.of());
            }
            return issued;
        }
    }
}
