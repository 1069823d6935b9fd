package io.jenkins.plugins.mesosagents.marathon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jenkins.plugins.mesosagents.dcos.TlsFailures;

import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A small Marathon REST v2 client: apps, deployments and info. App definitions travel as Jackson
 * {@link ObjectNode}s so that fields this client does not know survive a GET → PUT round trip.
 * Errors become {@link MarathonException} (409 "locked": {@link AppLockedException}) with
 * Marathon's own message. After a 401 the request is repeated once when the {@link MarathonAuth}
 * could refresh its token.
 */
public final class MarathonClient {
    private static final MediaType JSON = MediaType.get("application/json");
    private static final String[] APP_EMBEDS = {
        "app.counts", "app.tasks", "app.deployments", "app.lastTaskFailure", "app.readiness"
    };

    private final HttpUrl baseUrl;
    private final MarathonAuth auth;
    private final OkHttpClient http;
    private final ObjectMapper mapper = new ObjectMapper();

    public MarathonClient(HttpUrl baseUrl, MarathonAuth auth, OkHttpClient http) {
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.auth = Objects.requireNonNull(auth, "auth");
        this.http = Objects.requireNonNull(http, "http");
    }

    /**
     * A client with its own OkHttp instance: 10 s to connect, 60 s per call. Callers that make many
     * clients should share one {@link OkHttpClient} through the constructor instead.
     */
    public static MarathonClient create(String url, MarathonAuth auth) {
        OkHttpClient http =
                new OkHttpClient.Builder()
                        .connectTimeout(java.time.Duration.ofSeconds(10))
                        .callTimeout(java.time.Duration.ofSeconds(60))
                        .build();
        return new MarathonClient(parseUrl(url), auth, http);
    }

    /**
     * Parses {@code url} (e.g. {@code http://marathon:8080} or {@code
     * https://dcos/service/marathon}).
     */
    public static HttpUrl parseUrl(String url) {
        HttpUrl parsed = url == null ? null : HttpUrl.parse(url.strip());
        if (parsed == null) {
            throw new IllegalArgumentException(
                    "'" + url + "' is not a Marathon URL: expected http(s)://host[:port][/path]");
        }
        return parsed;
    }

    public HttpUrl baseUrl() {
        return baseUrl;
    }

    /** {@code GET /v2/info}. */
    public ObjectNode info() throws IOException {
        return (ObjectNode) send("GET", url("v2/info").build(), null).json;
    }

    /** {@code GET /v2/apps}. */
    public List<ObjectNode> apps() throws IOException {
        List<ObjectNode> apps = new ArrayList<>();
        for (JsonNode app : send("GET", url("v2/apps").build(), null).json.path("apps")) {
            apps.add((ObjectNode) app);
        }
        return apps;
    }

    /**
     * {@code GET /v2/apps/{id}} with counts, tasks, deployments, last task failure and readiness
     * embedded; empty on 404.
     */
    public Optional<ObjectNode> app(String appId) throws IOException {
        HttpUrl.Builder url = appUrl(appId);
        for (String embed : APP_EMBEDS) {
            url.addQueryParameter("embed", embed);
        }
        try {
            return Optional.of((ObjectNode) send("GET", url.build(), null).json.path("app"));
        } catch (MarathonException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** {@code POST /v2/apps}: create; 409 when the id exists. */
    public DeploymentResult createApp(ObjectNode app, boolean force) throws IOException {
        HttpUrl url = url("v2/apps").addQueryParameter("force", String.valueOf(force)).build();
        return deploymentResult(send("POST", url, app));
    }

    /**
     * {@code PUT /v2/apps/{id}}: create or update. With {@code partialUpdate} Marathon keeps the
     * values of fields the body omits (its default); without, the body replaces the definition.
     */
    public DeploymentResult putApp(ObjectNode app, boolean force, boolean partialUpdate)
            throws IOException {
        String id = app.path("id").asText("");
        HttpUrl url =
                appUrl(id)
                        .addQueryParameter("force", String.valueOf(force))
                        .addQueryParameter("partialUpdate", String.valueOf(partialUpdate))
                        .build();
        return deploymentResult(send("PUT", url, app));
    }

    /**
     * {@code PUT /v2/apps/{id}} with {@code {"version": v}}: deploys the app's definition of
     * version {@code v} again, as a new version (AppHelpers.scala:120-130 at v1.10.26).
     */
    public DeploymentResult putAppVersion(String appId, String version, boolean force)
            throws IOException {
        ObjectNode body = mapper.createObjectNode().put("version", version);
        HttpUrl url = appUrl(appId).addQueryParameter("force", String.valueOf(force)).build();
        return deploymentResult(send("PUT", url, body));
    }

    /**
     * The app's entry of {@code GET /v2/queue} (instances waiting to be launched, backoff delay,
     * declined offers), or empty when none of its instances waits.
     */
    public Optional<LaunchQueueStatus> queue(String appId) throws IOException {
        String id = appId.startsWith("/") ? appId : "/" + appId;
        for (JsonNode item : send("GET", url("v2/queue").build(), null).json.path("queue")) {
            if (item.path("app").path("id").asText().equals(id)) {
                return Optional.of(LaunchQueueStatus.of(item));
            }
        }
        return Optional.empty();
    }

    /** {@code DELETE /v2/apps/{id}}: destroys the app (a deployment). */
    public DeploymentResult deleteApp(String appId, boolean force) throws IOException {
        return deploymentResult(
                send(
                        "DELETE",
                        appUrl(appId).addQueryParameter("force", String.valueOf(force)).build(),
                        null));
    }

    /** {@code GET /v2/deployments}: the running deployments; a finished one is no longer listed. */
    public List<Deployment> deployments() throws IOException {
        List<Deployment> deployments = new ArrayList<>();
        for (JsonNode deployment : send("GET", url("v2/deployments").build(), null).json) {
            deployments.add(new Deployment((ObjectNode) deployment));
        }
        return deployments;
    }

    /**
     * {@code DELETE /v2/deployments/{id}}: cancels it and starts a deployment that reverts its
     * changes.
     */
    public DeploymentResult rollbackDeployment(String deploymentId) throws IOException {
        HttpUrl url =
                url("v2/deployments")
                        .addPathSegment(deploymentId)
                        .addQueryParameter("force", "false")
                        .build();
        return deploymentResult(send("DELETE", url, null));
    }

    /**
     * {@code DELETE /v2/deployments/{id}?force=true}: cancels it without a rollback (may leave old
     * and new tasks).
     */
    public void cancelDeployment(String deploymentId) throws IOException {
        send(
                "DELETE",
                url("v2/deployments")
                        .addPathSegment(deploymentId)
                        .addQueryParameter("force", "true")
                        .build(),
                null);
    }

    private HttpUrl.Builder url(String path) {
        return baseUrl.newBuilder().addPathSegments(path);
    }

    private HttpUrl.Builder appUrl(String appId) {
        String bare = appId.startsWith("/") ? appId.substring(1) : appId;
        if (bare.isEmpty()) {
            throw new IllegalArgumentException("The app id is empty");
        }
        return url("v2/apps").addPathSegments(bare);
    }

    private DeploymentResult deploymentResult(Reply reply) {
        String id = reply.deploymentIdHeader;
        if (id == null) {
            id = reply.json.path("deploymentId").asText(null);
        }
        if (id == null && reply.json.path("deployments").size() > 0) {
            id = reply.json.path("deployments").get(0).path("id").asText(null);
        }
        return new DeploymentResult(
                id, reply.json.path("version").asText(null), reply.status == 201);
    }

    private record Reply(int status, JsonNode json, String deploymentIdHeader) {}

    private Reply send(String method, HttpUrl url, ObjectNode body) throws IOException {
        byte[] bytes = body == null ? null : mapper.writeValueAsBytes(body);
        for (int attempt = 1; ; attempt++) {
            Request.Builder request =
                    new Request.Builder().url(url).header("Accept", "application/json");
            String authorization = auth.authorization(http);
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            request.method(
                    method,
                    bytes == null
                            ? (method.equals("POST") || method.equals("PUT")
                                    ? RequestBody.create(new byte[0], JSON)
                                    : null)
                            : RequestBody.create(bytes, JSON));
            try (Response response = http.newCall(request.build()).execute()) {
                String text = response.body() == null ? "" : response.body().string();
                if (response.code() == 401 && attempt == 1 && auth.invalidate()) {
                    continue;
                }
                JsonNode json = parse(text);
                if (!response.isSuccessful()) {
                    throw error(method, url, response.code(), json, text);
                }
                return new Reply(response.code(), json, response.header("Marathon-Deployment-Id"));
            } catch (javax.net.ssl.SSLException e) {
                throw new MarathonException(
                        "TLS with Marathon at "
                                + baseUrl
                                + " failed: "
                                + e.getMessage()
                                + TlsFailures.hint(
                                        e,
                                        "Marathon",
                                        "the Jenkins controller's Java trust store (the step"
                                                + " has no CA setting)"),
                        e);
            } catch (java.net.ConnectException
                    | java.net.SocketTimeoutException
                    | java.net.UnknownHostException e) {
                throw new MarathonException(
                        "Cannot reach Marathon at "
                                + baseUrl
                                + " ("
                                + method
                                + " "
                                + url.encodedPath()
                                + "): "
                                + e.getClass().getSimpleName()
                                + ": "
                                + e.getMessage(),
                        e);
            }
        }
    }

    private JsonNode parse(String text) {
        if (text.isBlank()) {
            return mapper.createObjectNode();
        }
        try {
            return mapper.readTree(text);
        } catch (IOException e) {
            return mapper.createObjectNode();
        }
    }

    private MarathonException error(
            String method, HttpUrl url, int status, JsonNode json, String text) {
        String what = method + " " + url.encodedPath();
        String message = json.path("message").asText("");
        if (message.isEmpty()) {
            message = text.isBlank() ? "(no message)" : abbreviate(text.strip());
        }
        List<String> details = new ArrayList<>();
        for (JsonNode detail : json.path("details")) {
            List<String> errors = new ArrayList<>();
            detail.path("errors").forEach(e -> errors.add(e.asText()));
            details.add(detail.path("path").asText("/") + ": " + String.join("; ", errors));
        }
        if (status == 409 && json.has("deployments")) {
            List<String> ids = new ArrayList<>();
            json.path("deployments").forEach(d -> ids.add(d.path("id").asText()));
            return new AppLockedException("Marathon refused " + what + " (409): " + message, ids);
        }
        StringBuilder text2 =
                new StringBuilder("Marathon at ")
                        .append(baseUrl)
                        .append(" answered ")
                        .append(status)
                        .append(" to ")
                        .append(what)
                        .append(": ")
                        .append(message);
        for (String detail : details) {
            text2.append("\n  ").append(detail);
        }
        if (status == 401) {
            text2.append("\nThe credentials (")
                    .append(auth.describe())
                    .append(") were not accepted: check them.");
        } else if (status == 403 && message.contains("running deployments")) {
            // TooManyRunningDeploymentsException is mapped to 403 (MarathonExceptionMapper.scala
            // :113 at v1.10.26); it is about Marathon's load, not about the credentials
            return new TooManyDeploymentsException(text2.toString());
        } else if (status == 403) {
            text2.append("\nThe credentials (")
                    .append(auth.describe())
                    .append(") lack the permission for this action.");
        }
        return new MarathonException(status, text2.toString(), details);
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }
}
