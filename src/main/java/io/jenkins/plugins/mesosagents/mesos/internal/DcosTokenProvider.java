package io.jenkins.plugins.mesosagents.mesos.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jenkins.plugins.mesosagents.dcos.ServiceAccount;
import io.jenkins.plugins.mesosagents.mesos.MesosCredentials;

import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

import java.io.IOException;
import java.time.Clock;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Obtains and caches a DC/OS authentication token for a service account: signs a short-lived RS256
 * login token {@code {"uid","exp"}} and exchanges it at {@code /acs/api/v1/auth/login}. {@link
 * #invalidate} after a 401 forces the next {@link #token} to log in again.
 */
public final class DcosTokenProvider {
    private static final Logger LOG = Logger.getLogger(DcosTokenProvider.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType APPLICATION_JSON = MediaType.get("application/json");

    private final MesosCredentials.DcosServiceAccount account;
    private final Supplier<HttpUrl> loginUrl;
    private final OkHttpClient http;
    private final Clock clock;
    private String token;

    /**
     * @param defaultLoginUrl used when the account has no login URL (Admin Router's login on the
     *     cluster URL of the gateway master URL); asked at every login
     */
    public DcosTokenProvider(
            MesosCredentials.DcosServiceAccount account,
            Supplier<HttpUrl> defaultLoginUrl,
            OkHttpClient http,
            Clock clock) {
        this.account = account;
        this.loginUrl =
                account.loginUrl().<Supplier<HttpUrl>>map(url -> () -> url).orElse(defaultLoginUrl);
        this.http = http;
        this.clock = clock;
    }

    /** The current token, logging in first if there is none. */
    public synchronized String token() throws IOException {
        if (token == null) {
            token = login();
        }
        return token;
    }

    /** Forgets {@code rejected} if it is still the current token; returns whether it was. */
    public synchronized boolean invalidate(String rejected) {
        if (token != null && token.equals(rejected)) {
            token = null;
            return true;
        }
        return false;
    }

    private String login() throws IOException {
        HttpUrl loginUrl = this.loginUrl.get();
        ObjectNode body =
                JSON.createObjectNode().put("uid", account.uid()).put("token", loginToken());
        Request request =
                new Request.Builder()
                        .url(loginUrl)
                        .post(RequestBody.create(JSON.writeValueAsBytes(body), APPLICATION_JSON))
                        .build();
        try (Response response = http.newCall(request).execute()) {
            ResponseBody responseBody = response.body();
            String text = responseBody == null ? "" : responseBody.string();
            if (response.code() != 200) {
                throw new IOException(
                        "DC/OS login of service account '"
                                + account.uid()
                                + "' at "
                                + loginUrl.redact()
                                + " failed: HTTP "
                                + response.code()
                                + " "
                                + Bodies.excerpt(text)
                                + (response.code() == 401
                                        ? " (check the uid and that its public key is registered)"
                                        : response.code() == 404
                                                ? " (nothing serves the DC/OS login there: a Mesos"
                                                        + " master's own port has none; DC/OS"
                                                        + " serves it behind Admin Router at"
                                                        + " https://<cluster>/acs/api/v1/auth/login."
                                                        + " Set login_endpoint in the"
                                                        + " service-account secret, or use the"
                                                        + " cluster's https://<cluster>/mesos as"
                                                        + " the master URL)"
                                                : ""));
            }
            JsonNode parsed = JSON.readTree(text);
            JsonNode value = parsed == null ? null : parsed.get("token");
            if (value == null || !value.isTextual() || value.asText().isEmpty()) {
                throw new IOException(
                        "DC/OS login at "
                                + loginUrl.redact()
                                + " answered 200 without a \"token\"");
            }
            LOG.fine(() -> "Logged in to DC/OS as service account " + account.uid());
            return value.asText();
        }
    }

    /**
     * The RS256 JWT {@code {"uid": uid, "exp": now + 5 min}} signed with the account's private key.
     */
    String loginToken() {
        return new ServiceAccount(account.uid(), account.privateKey(), account.loginUrl())
                .loginToken(clock.instant());
    }
}
