package io.jenkins.plugins.mesosagents.mesos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jenkins.plugins.mesosagents.mesos.internal.Pem;

import okhttp3.HttpUrl;

import java.io.IOException;
import java.util.Optional;

/**
 * Reads a DC/OS service account from the JSON that {@code dcos security org service-accounts
 * keypair} users keep as a secret: {@code {"uid": "...", "private_key": "-----BEGIN PRIVATE
 * KEY-----...", "login_endpoint": "..."}}. Errors name the missing or bad field and never quote the
 * key.
 */
public final class ServiceAccounts {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ServiceAccounts() {}

    public static MesosCredentials.DcosServiceAccount fromJson(String json) {
        JsonNode node;
        try {
            node = JSON.readTree(json == null ? "" : json);
        } catch (IOException e) {
            // no message from the parser: it may quote the secret
            throw new IllegalArgumentException(
                    "The DC/OS service account secret is not JSON; expected"
                            + " {\"uid\": ..., \"private_key\": ..., \"login_endpoint\": ...}");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(
                    "The DC/OS service account secret must be a JSON object with uid and"
                        + " private_key");
        }
        String uid = node.path("uid").asText("");
        String key = node.path("private_key").asText("");
        if (uid.isEmpty() || key.isEmpty()) {
            throw new IllegalArgumentException(
                    "The DC/OS service account secret needs both \"uid\" and \"private_key\""
                            + (uid.isEmpty() ? "" : " (uid " + uid + " has no private_key)"));
        }
        String login = node.path("login_endpoint").asText("");
        Optional<HttpUrl> loginUrl = Optional.empty();
        if (!login.isEmpty()) {
            HttpUrl parsed = HttpUrl.parse(login);
            if (parsed == null) {
                throw new IllegalArgumentException(
                        "The DC/OS service account's login_endpoint '"
                                + login
                                + "' is not an http(s) URL");
            }
            loginUrl = Optional.of(parsed);
        }
        return new MesosCredentials.DcosServiceAccount(uid, Pem.rsaPrivateKey(key), loginUrl);
    }
}
