package io.jenkins.plugins.mesosagents.marathon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;

class MarathonClientTest {
    private final ObjectMapper mapper = new ObjectMapper();
    private DeployFixture fixture;
    private MarathonClient client;

    @BeforeEach
    void start() throws Exception {
        fixture = new DeployFixture();
        client = fixture.client;
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private ObjectNode json(String text) throws Exception {
        return (ObjectNode) mapper.readTree(text);
    }

    private void awaitNoDeployments() {
        await().atMost(Duration.ofSeconds(10)).until(() -> client.deployments().isEmpty());
    }

    @Test
    void createsAppsAndRefusesDuplicates() throws Exception {
        fixture.marathon.pause(true);
        DeploymentResult created =
                client.createApp(
                        json("{\"id\": \"/c/one\", \"cmd\": \"sleep 100\", \"instances\": 2}"),
                        false);
        assertThat(created.deploymentId()).isNotBlank();
        assertThat(client.deployments())
                .extracting(Deployment::id)
                .contains(created.deploymentId());
        assertThat(client.deployments().get(0).affectedApps()).containsExactly("/c/one");

        assertThatThrownBy(
                        () -> client.createApp(json("{\"id\": \"/c/one\", \"cmd\": \"x\"}"), false))
                .isInstanceOfSatisfying(
                        MarathonException.class, e -> assertThat(e.status()).isEqualTo(409))
                .isNotInstanceOf(AppLockedException.class)
                .hasMessageContaining("An app with id [/c/one] already exists.");
        fixture.marathon.pause(false);
        awaitNoDeployments();
        assertThat(client.app("/c/one").orElseThrow().path("tasksRunning").asInt()).isEqualTo(2);
        assertThat(client.apps())
                .extracting(app -> app.path("id").asText())
                .containsExactly("/c/one");
    }

    @Test
    void partialUpdateKeepsOmittedFieldsAndFullUpdateReplaces() throws Exception {
        client.putApp(
                json(
                        "{\"id\": \"/p/app\", \"cmd\": \"serve\", \"labels\": {\"a\": \"1\"},"
                                + " \"env\": {\"X\": \"1\"}}"),
                false,
                false);
        awaitNoDeployments();
        client.putApp(
                json("{\"id\": \"/p/app\", \"cmd\": \"serve\", \"labels\": {\"b\": \"2\"}}"),
                false,
                true);
        awaitNoDeployments();
        ObjectNode partial = client.app("/p/app").orElseThrow();
        assertThat(partial.path("env").path("X").asText()).isEqualTo("1");
        assertThat(partial.path("labels").has("a")).isFalse();

        client.putApp(json("{\"id\": \"/p/app\", \"cmd\": \"serve\"}"), false, false);
        awaitNoDeployments();
        assertThat(client.app("/p/app").orElseThrow().path("env").isEmpty()).isTrue();
    }

    @Test
    void reportsMarathonValidationDetailsAnd404() throws Exception {
        assertThatThrownBy(
                        () ->
                                client.putApp(
                                        json("{\"id\": \"/Bad_Id\", \"cmd\": \"x\"}"),
                                        false,
                                        false))
                .isInstanceOfSatisfying(
                        MarathonException.class,
                        e -> {
                            assertThat(e.status()).isEqualTo(422);
                            assertThat(e.details())
                                    .singleElement()
                                    .asString()
                                    .startsWith("/id: must fully match regular expression");
                        })
                .hasMessageContaining("answered 422 to PUT /v2/apps/Bad_Id: Object is not valid");
        assertThat(client.app("/nope")).isEmpty();
        assertThatThrownBy(() -> client.deleteApp("/nope", false))
                .hasMessageContaining("App '/nope' does not exist");
        assertThatThrownBy(() -> client.rollbackDeployment("0000"))
                .hasMessageContaining("DeploymentPlan 0000 does not exist");
    }

    @Test
    void rollbackRestoresThePreviousVersionAndCancelDoesNot() throws Exception {
        DeploymentResult v1 =
                client.putApp(json("{\"id\": \"/r/app\", \"cmd\": \"v1\"}"), false, false);
        awaitNoDeployments();
        fixture.marathon.pause(true);
        DeploymentResult v2 =
                client.putApp(json("{\"id\": \"/r/app\", \"cmd\": \"v2\"}"), false, false);
        assertThatThrownBy(
                        () ->
                                client.putApp(
                                        json("{\"id\": \"/r/app\", \"cmd\": \"v3\"}"),
                                        false,
                                        false))
                .isInstanceOfSatisfying(
                        AppLockedException.class,
                        e -> assertThat(e.deploymentIds()).containsExactly(v2.deploymentId()));

        DeploymentResult rollback = client.rollbackDeployment(v2.deploymentId());
        assertThat(rollback.deploymentId()).isNotEqualTo(v2.deploymentId());
        ObjectNode restored = client.app("/r/app").orElseThrow();
        assertThat(restored.path("cmd").asText()).isEqualTo("v1");
        // Marathon's rollback is a new version with the previous definition
        // (DeploymentsResource.scala:68-77 at v1.10.26)
        assertThat(restored.path("version").asText())
                .isEqualTo(rollback.version())
                .isGreaterThan(v2.version());
        assertThat(restored.path("versionInfo").path("lastConfigChangeAt").asText())
                .isEqualTo(rollback.version());

        DeploymentResult v4 =
                client.putApp(json("{\"id\": \"/r/app\", \"cmd\": \"v4\"}"), true, false);
        assertThat(client.deployments())
                .extracting(Deployment::id)
                .containsExactly(v4.deploymentId());
        client.cancelDeployment(v4.deploymentId());
        assertThat(client.deployments()).isEmpty();
        assertThat(client.app("/r/app").orElseThrow().path("cmd").asText()).isEqualTo("v4");
        fixture.marathon.pause(false);

        DeploymentResult deleted = client.deleteApp("/r/app", false);
        assertThat(deleted.deploymentId()).isNotBlank();
        await().atMost(Duration.ofSeconds(10)).until(() -> client.app("/r/app").isEmpty());
    }

    @Test
    void unreachableMarathonIsNamed() throws Exception {
        int freePort;
        try (ServerSocket socket =
                new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            freePort = socket.getLocalPort();
        }
        MarathonClient nowhere =
                new MarathonClient(
                        MarathonClient.parseUrl("http://127.0.0.1:" + freePort),
                        MarathonAuth.none(),
                        fixture.http);
        assertThatThrownBy(nowhere::info)
                .isInstanceOfSatisfying(
                        MarathonException.class, e -> assertThat(e.status()).isZero())
                .hasMessageContaining("Cannot reach Marathon at http://127.0.0.1:" + freePort);
        assertThatThrownBy(() -> MarathonClient.parseUrl("marathon:8080"))
                .hasMessageContaining("is not a Marathon URL");
        assertThat(
                        MarathonClient.create(client.baseUrl().toString(), MarathonAuth.none())
                                .info()
                                .path("elected")
                                .asBoolean())
                .isTrue();
    }

    @Test
    void worksBehindAPathPrefixLikeDcosServiceMarathon() throws Exception {
        MarathonClient prefixed =
                new MarathonClient(
                        client.baseUrl().newBuilder().addPathSegments("service/marathon").build(),
                        MarathonAuth.none(),
                        fixture.http);
        assertThatThrownBy(prefixed::info)
                .hasMessageContaining("answered 404 to GET /service/marathon/v2/info");
    }
}
