package io.jenkins.plugins.mesosagents.testcluster.marathon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/** The simulator's own behaviour: health modes, the HTTP fault-control API and its lifecycle. */
class MarathonSimulatorTest {
    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private MarathonSimulator marathon;
    private String url;

    @BeforeEach
    void start() throws IOException {
        marathon = MarathonSimulator.builder().stepInterval(Duration.ofMillis(20)).build();
        url = marathon.start();
    }

    @AfterEach
    void stop() {
        marathon.close();
    }

    private JsonNode send(String method, String path, String body) throws Exception {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(url + path))
                        .timeout(Duration.ofSeconds(5))
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", "application/json")
                        .build();
        String text = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        return text.isEmpty() ? null : mapper.readTree(text);
    }

    private static final String APP =
            "{\"cmd\": \"serve\", \"instances\": 1, \"healthChecks\": [{\"path\": \"/h\","
                    + " \"maxConsecutiveFailures\": 0}]}";

    @Test
    void flappingHealthAlternatesBetweenAliveAndDead() throws Exception {
        marathon.health("/flap", HealthMode.FLAP);
        send("PUT", "/v2/apps/flap", APP);
        Set<Boolean> seen = new HashSet<>();
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(5))
                .until(
                        () -> {
                            JsonNode results =
                                    marathon.app("/flap")
                                            .path("tasks")
                                            .path(0)
                                            .path("healthCheckResults");
                            if (results.size() > 0) {
                                seen.add(results.get(0).path("alive").asBoolean());
                            }
                            return seen.size() == 2;
                        });
        assertThat(marathon.app("/flap").path("tasks")).hasSize(1);
    }

    @Test
    void httpFaultControlSwitchesHealthAndPausesDeployments() throws Exception {
        send("PUT", "/v2/apps/ctl", APP);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> marathon.app("/ctl").path("tasksHealthy").asInt() == 1);

        send("POST", "/_sim/health?app=/ctl&mode=fail", null);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> marathon.app("/ctl").path("tasksUnhealthy").asInt() == 1);
        JsonNode health =
                marathon.app("/ctl").path("tasks").get(0).path("healthCheckResults").get(0);
        assertThat(health.path("lastFailureCause").asText()).contains("GET /h answered 503");

        send("POST", "/_sim/pause?paused=true", null);
        JsonNode started = send("PUT", "/v2/apps/ctl?partialUpdate=true", "{\"instances\": 2}");
        Thread.sleep(100);
        assertThat(marathon.deploymentIds()).containsExactly(started.path("deploymentId").asText());
        send("POST", "/_sim/pause?paused=false", null);
        send("POST", "/_sim/health?app=/ctl&mode=pass", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> marathon.deploymentIds().isEmpty());
        assertThat(marathon.app("/ctl").path("tasksHealthy").asInt()).isEqualTo(2);
    }

    @Test
    void tasksFailingToStartAreRecordedAndRetried() throws Exception {
        send("POST", "/_sim/start-failures?image=broken:1&enabled=true", null);
        send("PUT", "/v2/apps/crash", "{\"container\": {\"docker\": {\"image\": \"broken:1\"}}}");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> marathon.app("/crash").has("lastTaskFailure"));
        String first = marathon.app("/crash").path("lastTaskFailure").path("taskId").asText();
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                !marathon.app("/crash")
                                        .path("lastTaskFailure")
                                        .path("taskId")
                                        .asText()
                                        .equals(first));
        assertThat(marathon.app("/crash").path("lastTaskFailure").path("state").asText())
                .isEqualTo("TASK_FAILED");
        assertThat(marathon.deploymentIds()).hasSize(1);
    }

    @Test
    void closeReleasesThePortAndStartTwiceIsRefused() throws Exception {
        assertThat(url).startsWith("http://127.0.0.1:");
        assertThat(marathon.url()).isEqualTo(url);
        assertThatThrownBy(marathon::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already started");
        assertThat(send("GET", "/ping", null).asText()).isEqualTo("pong");
        marathon.close();
        assertThatThrownBy(() -> send("GET", "/ping", null)).isInstanceOf(ConnectException.class);
        assertThatThrownBy(marathon::url).hasMessageContaining("not started");
    }
}
