package io.jenkins.plugins.mesosagents.testcluster.marathon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import okhttp3.Credentials;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Checks the simulator's answers against Marathon's published contract: the RAML types and examples
 * in mesosphere/marathon @ 90619da7, docs/docs/rest-api/public/api/ (traits.raml, v2/apps.raml,
 * v2/deployments.raml, v2/info.raml,
 * v2/types/{app,task,healthCheck,deploymentEventsInfo,deploymentResult,error,stringTypes,info}.raml,
 * v2/examples/{deployments,deployments_result,info}.json). The required-field lists below were read
 * from there.
 */
class MarathonSimulatorContractTest {
    /** stringTypes.raml PathId. */
    private static final Pattern PATH_ID =
            Pattern.compile(
                    "^(\\/?((\\.\\.)|(([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])\\.)*([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9]))?($|\\/))+$");

    /** stringTypes.raml InstanceId. */
    private static final Pattern INSTANCE_ID =
            Pattern.compile("^(.+)\\.(instance-|marathon-)([^\\.]+)$");

    /** stringTypes.raml MesosTaskState. */
    private static final Set<String> TASK_STATES =
            Set.of(
                    "TASK_ERROR",
                    "TASK_FAILED",
                    "TASK_FINISHED",
                    "TASK_KILLED",
                    "TASK_KILLING",
                    "TASK_RUNNING",
                    "TASK_STAGING",
                    "TASK_STARTING",
                    "TASK_UNREACHABLE",
                    "TASK_UNKNOWN",
                    "TASK_GONE",
                    "TASK_DROPPED");

    /** deploymentAction.raml DeploymentActionName. */
    private static final Set<String> ACTIONS =
            Set.of(
                    "StartApplication",
                    "StopApplication",
                    "ScaleApplication",
                    "RestartApplication",
                    "StartPod",
                    "StopPod",
                    "ScalePod",
                    "RestartPod",
                    "ResolveArtifacts");

    private static final MediaType JSON = MediaType.get("application/json");

    private final ObjectMapper mapper = new ObjectMapper();
    private final OkHttpClient http =
            new OkHttpClient.Builder().callTimeout(10, TimeUnit.SECONDS).build();
    private MarathonSimulator marathon;
    private String url;

    @BeforeEach
    void start() throws IOException {
        marathon =
                MarathonSimulator.builder()
                        .stepInterval(Duration.ofMillis(20))
                        .basicAuth("ci", "pw")
                        .build();
        url = marathon.start();
    }

    @AfterEach
    void stop() {
        marathon.close();
        http.dispatcher().executorService().shutdown();
    }

    private record Reply(int status, JsonNode json, Response response) {}

    private Reply call(String method, String path, String body) throws IOException {
        Request.Builder request =
                new Request.Builder()
                        .url(url + path)
                        .header("Authorization", Credentials.basic("ci", "pw"))
                        .method(method, body == null ? null : RequestBody.create(body, JSON));
        try (Response response = http.newCall(request.build()).execute()) {
            String text = response.body().string();
            return new Reply(
                    response.code(), text.isEmpty() ? null : mapper.readTree(text), response);
        }
    }

    /** A definition exercising many App fields of types/app.raml (written for this test). */
    private static final String RICH_APP =
            """
{"id": "/contract/web", "instances": 2, "cpus": 0.25, "mem": 64, "disk": 10,
 "container": {"type": "DOCKER", "docker": {"image": "nginx:1.25", "forcePullImage": true},
               "portMappings": [{"containerPort": 80, "hostPort": 0, "name": "http", "protocol": "tcp"}]},
 "env": {"MODE": "prod", "DB_PASSWORD": {"secret": "db"}}, "secrets": {"db": {"source": "/shop/db"}},
 "labels": {"HAPROXY_GROUP": "external"}, "constraints": [["hostname", "UNIQUE"]],
 "fetch": [{"uri": "https://example.invalid/config.tgz", "extract": true}],
 "healthChecks": [{"protocol": "MESOS_HTTP", "path": "/", "portIndex": 0, "gracePeriodSeconds": 5,
                   "intervalSeconds": 2, "timeoutSeconds": 1, "maxConsecutiveFailures": 3}],
 "upgradeStrategy": {"minimumHealthCapacity": 0.5, "maximumOverCapacity": 0.5},
 "role": "slave_public"}
""";

    @Test
    void infoHasTheRequiredMarathonInfoFields() throws IOException {
        JsonNode info = call("GET", "/v2/info", null).json();
        assertThat(info.path("name").isTextual()).isTrue();
        assertThat(info.path("version").isTextual()).isTrue();
        assertThat(info.path("buildref").isTextual()).isTrue();
        assertThat(info.path("elected").isBoolean()).isTrue();
        assertThat(info.path("marathon_config").path("features").isArray()).isTrue();
        assertThat(info.path("zookeeper_config").isObject()).isTrue();
        assertThat(info.path("http_config").isObject()).isTrue();
    }

    @Test
    void createGetAndDeploymentsMatchTheAppAndDeploymentTypes() throws IOException {
        Reply created = call("POST", "/v2/apps", RICH_APP);
        assertThat(created.status()).isEqualTo(201);
        String deploymentId = created.response().header("Marathon-Deployment-Id");
        assertThat(deploymentId).matches("[0-9a-f-]{36}");
        assertThat(created.json().path("deployments"))
                .singleElement()
                .satisfies(d -> assertThat(d.path("id").asText()).isEqualTo(deploymentId));
        for (String count :
                List.of("tasksStaged", "tasksRunning", "tasksHealthy", "tasksUnhealthy")) {
            assertThat(created.json().path(count).isInt()).as(count).isTrue();
        }

        JsonNode deployments = call("GET", "/v2/deployments", null).json();
        assertThat(deployments.isArray()).isTrue();
        JsonNode deployment = deployments.get(0);
        assertThat(deployment.path("id").asText()).isEqualTo(deploymentId);
        assertDatetime(deployment.path("version"));
        assertThat(deployment.path("affectedApps"))
                .singleElement()
                .satisfies(app -> assertThat(app.asText()).matches(PATH_ID));
        assertThat(deployment.path("affectedPods").isArray()).isTrue();
        assertThat(deployment.path("steps"))
                .isNotEmpty()
                .allSatisfy(
                        step ->
                                assertThat(step.path("actions"))
                                        .allSatisfy(
                                                action -> {
                                                    assertThat(ACTIONS)
                                                            .contains(
                                                                    action.path("action").asText());
                                                    assertThat(action.path("app").asText())
                                                            .matches(PATH_ID);
                                                }));
        assertThat(deployment.path("currentActions"))
                .allSatisfy(
                        action -> {
                            assertThat(ACTIONS).contains(action.path("action").asText());
                            assertThat(action.path("readinessCheckResults").isArray()).isTrue();
                        });
        assertThat(deployment.path("currentStep").isInt()).isTrue();
        assertThat(deployment.path("totalSteps").isInt()).isTrue();

        await().atMost(Duration.ofSeconds(10))
                .until(() -> call("GET", "/v2/deployments", null).json().isEmpty());
        JsonNode app = call("GET", "/v2/apps/contract/web", null).json().path("app");
        assertThat(app.path("id").asText()).isEqualTo("/contract/web").matches(PATH_ID);
        assertDatetime(app.path("version"));
        assertDatetime(app.path("versionInfo").path("lastScalingAt"));
        assertDatetime(app.path("versionInfo").path("lastConfigChangeAt"));
        assertThat(app.path("deployments").isArray()).isTrue();
        assertThat(app.path("env").path("DB_PASSWORD").path("secret").asText()).isEqualTo("db");
        assertThat(app.path("tasks"))
                .hasSize(2)
                .allSatisfy(
                        task -> {
                            for (String field : List.of("appId", "host", "id", "state", "role")) {
                                assertThat(task.has(field)).as("Task." + field).isTrue();
                            }
                            assertThat(TASK_STATES).contains(task.path("state").asText());
                            assertThat(task.path("healthCheckResults"))
                                    .singleElement()
                                    .satisfies(
                                            health -> {
                                                assertThat(health.path("alive").isBoolean())
                                                        .isTrue();
                                                assertThat(
                                                                health.path("consecutiveFailures")
                                                                        .isNumber())
                                                        .isTrue();
                                                assertThat(health.path("instanceId").asText())
                                                        .matches(INSTANCE_ID);
                                            });
                        });
        assertThat(call("GET", "/v2/apps", null).json().path("apps")).hasSize(1);
        JsonNode versions =
                call("GET", "/v2/apps/contract/web/versions", null).json().path("versions");
        assertThat(versions).singleElement().satisfies(this::assertDatetime);
        assertThat(
                        call(
                                        "GET",
                                        "/v2/apps/contract/web/versions/"
                                                + versions.get(0).asText(),
                                        null)
                                .json()
                                .path("id")
                                .asText())
                .isEqualTo("/contract/web");
    }

    @Test
    void deployableCallsAnswerWithDeploymentResultOrTheLockedError() throws IOException {
        Reply created = call("PUT", "/v2/apps/contract/api", "{\"cmd\": \"sleep 1000\"}");
        assertThat(created.status()).isEqualTo(201);
        assertDeploymentResult(created);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> call("GET", "/v2/deployments", null).json().isEmpty());
        marathon.pause(true);
        Reply updated =
                call(
                        "PUT",
                        "/v2/apps/contract/api?partialUpdate=false",
                        "{\"cmd\": \"sleep 2000\", \"instances\": 2}");
        assertThat(updated.status()).isEqualTo(200);
        assertDeploymentResult(updated);

        Reply locked = call("PUT", "/v2/apps/contract/api", "{\"cmd\": \"sleep 3000\"}");
        assertThat(locked.status()).isEqualTo(409);
        assertThat(locked.json().path("message").asText())
                .isEqualTo(
                        "App is locked by one or more deployments. Override with the"
                                + " option '?force=true'. View details at '/v2/deployments/"
                                + updated.json().path("deploymentId").asText()
                                + "'.");
        assertThat(locked.json().path("deployments"))
                .singleElement()
                .satisfies(
                        d ->
                                assertThat(d.path("id").asText())
                                        .isEqualTo(updated.json().path("deploymentId").asText()));

        Reply rollback =
                call(
                        "DELETE",
                        "/v2/deployments/" + updated.json().path("deploymentId").asText(),
                        null);
        assertThat(rollback.status()).isEqualTo(200);
        assertDeploymentResult(rollback);
        Reply cancel =
                call(
                        "DELETE",
                        "/v2/deployments/"
                                + rollback.json().path("deploymentId").asText()
                                + "?force=true",
                        null);
        assertThat(cancel.status()).isEqualTo(202);
        assertThat(cancel.json()).isNull();
        Reply unknown = call("DELETE", "/v2/deployments/unknown_deployment", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("message").asText())
                .isEqualTo("DeploymentPlan unknown_deployment does not exist");
    }

    @Test
    void errorsHaveTheErrorShape() throws IOException {
        Reply invalidJson = call("POST", "/v2/apps", "{\"id\": ");
        assertThat(invalidJson.status()).isEqualTo(400);
        assertThat(invalidJson.json().path("message").asText()).isEqualTo("Invalid JSON");
        assertErrorDetails(invalidJson.json());

        Reply invalid =
                call(
                        "POST",
                        "/v2/apps",
                        "{\"id\": \"/x\", \"cmd\": \"y\", \"upgradeStrategy\":"
                                + " {\"minimumHealthCapacity\": 1.5}}");
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.json().path("message").asText()).isEqualTo("Object is not valid");
        assertErrorDetails(invalid.json());
        assertThat(invalid.json().path("details").get(0).path("path").asText())
                .isEqualTo("/upgradeStrategy/minimumHealthCapacity");
        assertThat(invalid.json().path("details").get(0).path("errors").get(0).asText())
                .isEqualTo("is greater than 1");

        Reply missing = call("GET", "/v2/apps/not_existent", null);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("message").asText())
                .isEqualTo("App '/not_existent' does not exist");

        Request anonymous = new Request.Builder().url(url + "/v2/apps").build();
        try (Response response = http.newCall(anonymous).execute()) {
            assertThat(response.code()).isEqualTo(401);
            assertThat(mapper.readTree(response.body().string()).path("message").asText())
                    .isEqualTo("Invalid username or password.");
            assertThat(response.header("WWW-Authenticate")).isEqualTo("Basic realm=\"Mesosphere\"");
        }
    }

    @Test
    void lastTaskFailureHasTheTaskFailureShape() throws IOException {
        marathon.failTaskStarts("/contract/crash", true);
        call("PUT", "/v2/apps/contract/crash", "{\"cmd\": \"exit 1\"}");
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                call("GET", "/v2/apps/contract/crash", null)
                                        .json()
                                        .path("app")
                                        .has("lastTaskFailure"));
        JsonNode failure =
                call("GET", "/v2/apps/contract/crash", null)
                        .json()
                        .path("app")
                        .path("lastTaskFailure");
        for (String field : List.of("appId", "host", "message", "state", "taskId")) {
            assertThat(failure.path(field).isTextual()).as("TaskFailure." + field).isTrue();
        }
        assertDatetime(failure.path("timestamp"));
        assertDatetime(failure.path("version"));
    }

    private void assertDeploymentResult(Reply reply) {
        assertThat(reply.json().path("deploymentId").asText()).matches("[0-9a-f-]{36}");
        assertDatetime(reply.json().path("version"));
        assertThat(reply.response().header("Marathon-Deployment-Id"))
                .isEqualTo(reply.json().path("deploymentId").asText());
    }

    private void assertErrorDetails(JsonNode error) {
        assertThat(error.path("details"))
                .isNotEmpty()
                .allSatisfy(
                        detail -> {
                            assertThat(detail.path("path").isTextual()).isTrue();
                            assertThat(detail.path("errors"))
                                    .isNotEmpty()
                                    .allSatisfy(e -> assertThat(e.isTextual()).isTrue());
                        });
    }

    private void assertDatetime(JsonNode value) {
        assertThat(value.isTextual()).as("datetime " + value).isTrue();
        assertThat(Instant.parse(value.asText())).isNotNull();
        assertThat(value.asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    }
}
