package io.jenkins.plugins.mesosagents.marathon;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jenkins.plugins.mesosagents.dcos.ServiceAccount;

import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.io.IOException;
import java.security.PrivateKey;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * DC/OS service-account login: signs a short-lived RS256 JWT {@code {"uid","exp"}} with the
 * account's private key, exchanges it at {@code /acs/api/v1/auth/login} for an authentication token
 * and sends that as {@code Authorization: token=…}. The token lives only in this object's memory;
 * after a 401 it is dropped and a new login happens on the next request. Nothing is ever written
 * back into the credentials.
 */
public final class DcosServiceAccountAuth implements MarathonAuth {
    private static final MediaType JSON = MediaType.get("application/json");

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
        return ServiceAccount.defaultLoginUrl(marathonUrl);
    }

    /**
     * Reads the service-account secret as DC/OS stores it (and marathon-plugin accepted it): {@code
     * {"uid": "...", "private_key": "-----BEGIN PRIVATE KEY-----...", "login_endpoint":
     * "https://.../acs/api/v1/auth/login", "scheme": "RS256"}}; {@code login_endpoint} is optional
     * (default: {@link #defaultLoginUrl}).
     */
    public static DcosServiceAccountAuth fromJson(
            String secretJson, HttpUrl marathonUrl, Clock clock) {
        ServiceAccount account = ServiceAccount.fromJson(secretJson);
        return new DcosServiceAccountAuth(
                account.loginUrl().orElse(defaultLoginUrl(marathonUrl)),
                account.uid(),
                account.privateKey(),
                clock);
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
        return new ServiceAccount(uid, privateKey, Optional.of(loginUrl))
                .loginToken(clock.instant());
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
