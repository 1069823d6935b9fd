package io.jenkins.plugins.mesosagents.marathon;

import static io.jenkins.plugins.mesosagents.marathon.DeployFixture.app;
import static io.jenkins.plugins.mesosagents.marathon.DeployFixture.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jenkins.plugins.mesosagents.testcluster.marathon.HealthMode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

class MarathonDeployerTest {
    private DeployFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new DeployFixture();
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void createsANewAppAndWaitsUntilAllInstancesAreHealthy(@TempDir Path workspace)
            throws Exception {
        Path rendered = workspace.resolve("marathon-rendered-7.json");
        DeployResult result =
                fixture.deployer()
                        .deploy(
                                request(app("/shop/web", "shop:1", 3, true))
                                        .renderedFile(rendered)
                                        .build());

        assertThat(result.dryRun()).isFalse();
        assertThat(result.appExisted()).isFalse();
        assertThat(result.appId()).isEqualTo("/shop/web");
        assertThat(result.deploymentId()).isNotBlank();
        assertThat(result.version()).isNotBlank();
        ObjectNode app = fixture.marathon.app("/shop/web");
        assertThat(app.path("tasksHealthy").asInt()).isEqualTo(3);
        assertThat(app.path("version").asText()).isEqualTo(result.version());
        assertThat(fixture.marathon.deploymentIds()).doesNotContain(result.deploymentId());
        assertThat(progress()).last().isEqualTo("/shop/web: 3/3 healthy");
        assertThat(progress()).doesNotHaveDuplicates();
        assertThat(Files.readString(rendered)).contains("\"image\" : \"shop:1\"");
    }

    @Test
    void updatesToANewImageReplacingTasksInARollingWay() throws Exception {
        // slower steps than usual so that the 10 ms polls see every intermediate state even on a
        // loaded machine
        fixture.close();
        fixture = new DeployFixture(Duration.ofMillis(150));
        String strategy =
                "  \"upgradeStrategy\": {\"minimumHealthCapacity\": 0.5, \"maximumOverCapacity\":"
                        + " 0},\n";
        DeployResult first =
                fixture.deployer()
                        .deploy(request(app("/shop/api", "shop:1", 4, true, strategy)).build());
        fixture.lines.clear();

        DeployResult second =
                fixture.deployer()
                        .deploy(
                                request(app("/shop/api", "shop:1", 4, true, strategy))
                                        .overrides(Overrides.builder().image("shop:2").build())
                                        .build());

        assertThat(second.version()).isGreaterThan(first.version());
        assertThat(second.appExisted()).isTrue();
        ObjectNode app = fixture.marathon.app("/shop/api");
        assertThat(app.path("container").path("docker").path("image").asText()).isEqualTo("shop:2");
        assertThat(app.path("tasks"))
                .hasSize(4)
                .allSatisfy(
                        task ->
                                assertThat(task.path("version").asText())
                                        .isEqualTo(second.version()));
        // rolling: new tasks started while old ones still served, and healthy new + old never fell
        // below
        // minimumHealthCapacity (0.5 x 4 = 2)
        assertThat(progress())
                .anyMatch(
                        line ->
                                line.matches(
                                        "/shop/api: 0/4 healthy, 2 (staged|running).*, 2 old"));
        assertThat(progress())
                .allSatisfy(
                        line -> {
                            java.util.regex.Matcher counts =
                                    java.util.regex.Pattern.compile(
                                                    "(\\d+)/4 healthy(?:.*, (\\d+) old)?")
                                            .matcher(line);
                            assertThat(counts.find()).isTrue();
                            int old =
                                    counts.group(2) == null ? 0 : Integer.parseInt(counts.group(2));
                            assertThat(Integer.parseInt(counts.group(1)) + old)
                                    .as(line)
                                    .isGreaterThanOrEqualTo(2);
                        });
    }

    @Test
    void failingHealthChecksRollBackAndExplainWhy() throws Exception {
        fixture.deployer().deploy(request(app("/shop/cart", "shop:1", 2, true)).build());
        fixture.marathon.healthOfImage("shop:2", HealthMode.FAIL);

        DeployRequest update =
                request(app("/shop/cart", "shop:2", 2, true)).maxTaskFailures(2).build();
        assertThatThrownBy(() -> fixture.deployer().deploy(update))
                .isInstanceOfSatisfying(
                        DeployFailedException.class,
                        e -> {
                            assertThat(e.reason())
                                    .isEqualTo(DeployFailedException.Reason.TASK_FAILURES);
                            assertThat(e.rollbackDeploymentId()).isNotBlank();
                            assertThat(e.getMessage())
                                    .contains(
                                            "Marathon deploy of /shop/cart failed: 2 task(s) of the"
                                                    + " new version failed")
                                    .contains(
                                            "Task failures of the new version (2, most recent"
                                                    + " last):\n"
                                                    + "    - task shop_cart.instance-")
                                    .contains("consecutive health check failures")
                                    .contains(
                                            "Rolled back: deployment "
                                                    + e.rollbackDeploymentId()
                                                    + " reverts /shop/cart to its previous"
                                                    + " definition as a new version");
                        });

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> {
                            ObjectNode app = fixture.marathon.app("/shop/cart");
                            assertThat(app.path("container").path("docker").path("image").asText())
                                    .isEqualTo("shop:1");
                            assertThat(app.path("deployments")).isEmpty();
                            assertThat(app.path("tasksHealthy").asInt()).isEqualTo(2);
                        });
    }

    @Test
    void deadlineRollsBackAndReportsHealthResults() throws Exception {
        fixture.deployer().deploy(request(app("/shop/search", "shop:1", 2, true)).build());
        fixture.marathon.healthOfImage("shop:3", HealthMode.FAIL);
        String neverKilled =
                app("/shop/search", "shop:3", 2, true)
                        .replace("\"maxConsecutiveFailures\": 2", "\"maxConsecutiveFailures\": 0");

        DeployRequest update =
                request(neverKilled)
                        .timeout(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofSeconds(5))
                        .build();
        assertThatThrownBy(() -> fixture.fastDeployer(Duration.ofMillis(25)).deploy(update))
                .isInstanceOfSatisfying(
                        DeployFailedException.class,
                        e -> {
                            assertThat(e.reason()).isEqualTo(DeployFailedException.Reason.DEADLINE);
                            assertThat(e.getMessage())
                                    .contains("the rollout did not become healthy within 2 min")
                                    .contains("Progress: 0/2 healthy, 2 unhealthy")
                                    .contains("Health check: task shop_search.instance-")
                                    .contains("answered 503")
                                    .contains("Rolled back");
                        });
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () ->
                                assertThat(
                                                fixture.marathon
                                                        .app("/shop/search")
                                                        .path("container")
                                                        .path("docker")
                                                        .path("image")
                                                        .asText())
                                        .isEqualTo("shop:1"));
    }

    @Test
    void deadlineWithoutRollbackLeavesTheDeploymentRunning() throws Exception {
        fixture.marathon.failTaskStartsOfImage("shop:9", true);
        DeployRequest request =
                request(app("/shop/broken", "shop:9", 1, false))
                        .rollbackOnFailure(false)
                        .maxTaskFailures(0)
                        .timeout(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofSeconds(5))
                        .build();

        assertThatThrownBy(() -> fixture.fastDeployer(Duration.ofMillis(20)).deploy(request))
                .isInstanceOfSatisfying(
                        DeployFailedException.class,
                        e -> {
                            assertThat(e.reason()).isEqualTo(DeployFailedException.Reason.DEADLINE);
                            assertThat(e.rollbackDeploymentId()).isNull();
                            assertThat(e.getMessage())
                                    .contains("Not rolled back (rollback disabled)")
                                    .contains(
                                            "TASK_FAILED \"Failed to launch container: simulated"
                                                    + " start failure of image shop:9");
                            assertThat(fixture.marathon.deploymentIds()).contains(e.deploymentId());
                        });
    }

    @Test
    void aFailedNewAppIsRemovedByTheRollback() throws Exception {
        fixture.marathon.failTaskStartsOfImage("shop:bad", true);
        DeployRequest request =
                request(app("/shop/new", "shop:bad", 2, false)).maxTaskFailures(3).build();

        assertThatThrownBy(() -> fixture.deployer().deploy(request))
                .isInstanceOf(DeployFailedException.class)
                .hasMessageContaining("3 task(s) of the new version failed")
                .hasMessageContaining(" removes /shop/new, which this deploy created.");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> fixture.marathon.app("/shop/new") == null);
    }

    @Test
    void waitsForTheDeploymentThatLocksTheApp() throws Exception {
        fixture.deployer().deploy(request(app("/shop/pay", "shop:1", 1, true)).build());
        fixture.marathon.pause(true);
        String blocking =
                fixture.client
                        .putApp(
                                (ObjectNode)
                                        new com.fasterxml.jackson.databind.ObjectMapper()
                                                .readTree(app("/shop/pay", "shop:1", 2, true)),
                                false,
                                false)
                        .deploymentId();

        List<Object> outcome = new ArrayList<>();
        Thread deploy =
                fixture.deployInBackground(
                        request(app("/shop/pay", "shop:2", 2, true)).build(), outcome);
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                fixture.lines.stream()
                                        .anyMatch(
                                                line ->
                                                        line.contains(
                                                                "App /shop/pay is locked by"
                                                                        + " deployment "
                                                                        + blocking
                                                                        + " (ScaleApplication"
                                                                        + " /shop/pay); waiting")));
        fixture.marathon.pause(false);
        deploy.join(20_000);

        assertThat(outcome).singleElement().isInstanceOf(DeployResult.class);
        assertThat(
                        fixture.marathon
                                .app("/shop/pay")
                                .path("container")
                                .path("docker")
                                .path("image")
                                .asText())
                .isEqualTo("shop:2");
    }

    @Test
    void forceCancelsTheLockingDeployment() throws Exception {
        fixture.deployer().deploy(request(app("/shop/mail", "shop:1", 1, false)).build());
        fixture.marathon.pause(true);
        String blocking =
                fixture.client
                        .putApp(
                                (ObjectNode)
                                        new com.fasterxml.jackson.databind.ObjectMapper()
                                                .readTree(app("/shop/mail", "shop:1", 3, false)),
                                false,
                                false)
                        .deploymentId();

        Thread unpause =
                new Thread(
                        () -> {
                            await().atMost(Duration.ofSeconds(10))
                                    .until(
                                            () ->
                                                    fixture.lines.stream()
                                                            .anyMatch(
                                                                    line ->
                                                                            line.contains(
                                                                                    "force: true"
                                                                                        + " cancels"
                                                                                        + " it")));
                            fixture.marathon.pause(false);
                        });
        unpause.start();
        DeployResult result =
                fixture.deployer()
                        .deploy(request(app("/shop/mail", "shop:2", 1, false)).force(true).build());
        unpause.join(10_000);

        assertThat(fixture.lines)
                .anyMatch(line -> line.contains("locked by deployment " + blocking));
        assertThat(fixture.marathon.deploymentIds())
                .doesNotContain(blocking, result.deploymentId());
        assertThat(fixture.marathon.app("/shop/mail").path("tasksRunning").asInt()).isEqualTo(1);
    }

    @Test
    void givesUpWhenTheAppStaysLockedUntilTheDeadline() throws Exception {
        fixture.deployer().deploy(request(app("/shop/ads", "shop:1", 1, false)).build());
        fixture.marathon.pause(true);
        String blocking =
                fixture.client
                        .putApp(
                                (ObjectNode)
                                        new com.fasterxml.jackson.databind.ObjectMapper()
                                                .readTree(app("/shop/ads", "shop:1", 2, false)),
                                false,
                                false)
                        .deploymentId();

        DeployRequest request =
                request(app("/shop/ads", "shop:2", 1, false))
                        .timeout(Duration.ofMinutes(1))
                        .pollInterval(Duration.ofSeconds(10))
                        .build();
        assertThatThrownBy(() -> fixture.fastDeployer(Duration.ofMillis(1)).deploy(request))
                .isInstanceOfSatisfying(
                        DeployFailedException.class,
                        e -> {
                            assertThat(e.reason()).isEqualTo(DeployFailedException.Reason.LOCKED);
                            assertThat(e.getMessage())
                                    .contains("still locked by deployment " + blocking)
                                    .contains("Nothing was changed")
                                    .contains("force: true");
                        });
        assertThat(
                        fixture.marathon
                                .app("/shop/ads")
                                .path("container")
                                .path("docker")
                                .path("image")
                                .asText())
                .isEqualTo("shop:1");
    }

    @Test
    void dryRunRendersAndDiffsWithoutDeploying(@TempDir Path workspace) throws Exception {
        fixture.deployer().deploy(request(app("/shop/img", "shop:1", 2, false)).build());
        fixture.lines.clear();

        DeployResult result =
                fixture.deployer()
                        .deploy(
                                request(app("/shop/img", "shop:1", 2, false))
                                        .overrides(
                                                Overrides.builder()
                                                        .image("shop:${TAG}")
                                                        .label("commit", "abc123")
                                                        .build())
                                        .environment(java.util.Map.of("TAG", "2"))
                                        .renderedFile(workspace.resolve("rendered.json"))
                                        .dryRun(true)
                                        .build());

        assertThat(result.dryRun()).isTrue();
        assertThat(result.appExisted()).isTrue();
        assertThat(result.deploymentId()).isNull();
        assertThat(result.diff())
                .containsExactly(
                        "~ /container/docker/image: \"shop:1\" -> \"shop:2\"",
                        "+ /labels/commit: \"abc123\"");
        assertThat(fixture.lines)
                .anyMatch(
                        line ->
                                line.startsWith(
                                        "Dry run: would PUT"
                                                + " /v2/apps/shop/img?partialUpdate=false"));
        assertThat(fixture.lines).anyMatch(line -> line.contains("~ /container/docker/image"));
        assertThat(fixture.marathon.deploymentIds()).isEmpty();
        assertThat(
                        fixture.marathon
                                .app("/shop/img")
                                .path("container")
                                .path("docker")
                                .path("image")
                                .asText())
                .isEqualTo("shop:1");
        assertThat(Files.readString(workspace.resolve("rendered.json"))).contains("shop:2");

        DeployResult fresh =
                fixture.deployer()
                        .deploy(
                                request(app("/shop/other", "shop:1", 1, false))
                                        .dryRun(true)
                                        .build());
        assertThat(fresh.appExisted()).isFalse();
        assertThat(fresh.diff()).contains("+ /id: \"/shop/other\"");
        assertThat(fixture.marathon.app("/shop/other")).isNull();
    }

    @Test
    void unknownFieldsSurviveTheRoundTrip() throws Exception {
        String extra =
                "  \"x-future\": {\"nested\": [1, {\"deep\": true}]},\n"
                        + "  \"resourceLimits\": {\"cpus\": \"unlimited\"},\n";
        String json =
                app("/shop/future", "shop:1", 1, false, extra)
                        .replace("\"docker\": {", "\"docker\": {\"futureFlag\": \"on\", ");
        fixture.deployer().deploy(request(json).build());

        ObjectNode running = fixture.client.app("/shop/future").orElseThrow();
        assertThat(running.path("x-future").path("nested").get(1).path("deep").asBoolean())
                .isTrue();
        assertThat(running.path("container").path("docker").path("futureFlag").asText())
                .isEqualTo("on");

        ObjectNode definition = running.deepCopy();
        definition.retain(
                "id",
                "instances",
                "cpus",
                "mem",
                "container",
                "x-future",
                "resourceLimits",
                "labels");
        definition.put("instances", 2);
        DeploymentResult put = fixture.client.putApp(definition, false, false);
        assertThat(put.deploymentId()).isNotBlank();
        JsonNode after = fixture.client.app("/shop/future").orElseThrow();
        assertThat(after.path("x-future")).isEqualTo(running.path("x-future"));
        assertThat(after.path("resourceLimits").path("cpus").asText()).isEqualTo("unlimited");
        assertThat(after.path("container").path("docker").path("futureFlag").asText())
                .isEqualTo("on");
    }

    @Test
    void anAbortRollsBackAndKeepsTheInterruptFlag() throws Exception {
        fixture.deployer().deploy(request(app("/shop/abort", "shop:1", 1, false)).build());
        fixture.marathon.failTaskStartsOfImage("shop:2", true);
        List<Object> outcome = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread deploy =
                new Thread(
                        () -> {
                            try {
                                fixture.deployer()
                                        .deploy(
                                                request(app("/shop/abort", "shop:2", 1, false))
                                                        .maxTaskFailures(0)
                                                        .build());
                            } catch (Exception e) {
                                outcome.add(e);
                                outcome.add(Thread.currentThread().isInterrupted());
                            }
                        });
        deploy.start();
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                fixture.lines.stream()
                                        .anyMatch(
                                                line -> line.contains("started for /shop/abort")));
        deploy.interrupt();
        deploy.join(10_000);

        assertThat(outcome).hasSize(2);
        assertThat(outcome.get(0))
                .isInstanceOfSatisfying(
                        DeployFailedException.class,
                        e -> {
                            assertThat(e.reason()).isEqualTo(DeployFailedException.Reason.ABORTED);
                            assertThat(e.rollbackDeploymentId()).isNotBlank();
                        });
        assertThat(outcome.get(1)).isEqualTo(true);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () ->
                                assertThat(
                                                fixture.marathon
                                                        .app("/shop/abort")
                                                        .path("container")
                                                        .path("docker")
                                                        .path("image")
                                                        .asText())
                                        .isEqualTo("shop:1"));
    }

    @Test
    void aDeploymentReplacedBySomeoneElseFailsWithoutRollback() throws Exception {
        fixture.deployer().deploy(request(app("/shop/race", "shop:1", 1, false)).build());
        fixture.marathon.pause(true);
        List<Object> outcome = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread deploy =
                fixture.deployInBackground(
                        request(app("/shop/race", "shop:2", 1, false)).build(), outcome);
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                fixture.lines.stream()
                                        .anyMatch(line -> line.contains("started for /shop/race")));
        String other =
                fixture.client
                        .putApp(
                                (ObjectNode)
                                        new com.fasterxml.jackson.databind.ObjectMapper()
                                                .readTree(app("/shop/race", "shop:3", 1, false)),
                                true,
                                false)
                        .deploymentId();
        deploy.join(10_000);
        fixture.marathon.pause(false);

        assertThat(outcome)
                .singleElement()
                .isInstanceOfSatisfying(
                        DeployFailedException.class,
                        e -> {
                            assertThat(e.reason())
                                    .isEqualTo(DeployFailedException.Reason.SUPERSEDED);
                            assertThat(e.rollbackDeploymentId()).isNull();
                            assertThat(e.getMessage())
                                    .contains("was replaced by deployment " + other)
                                    .contains("Not rolled back");
                        });
    }

    @Test
    void aShortMarathonOutageWhileWaitingIsRiddenOut() throws Exception {
        fixture.marathon.pause(true);
        Thread outage =
                new Thread(
                        () -> {
                            await().atMost(Duration.ofSeconds(10))
                                    .until(
                                            () ->
                                                    fixture.lines.stream()
                                                            .anyMatch(
                                                                    line ->
                                                                            line.contains(
                                                                                    "started for"
                                                                                        + " /shop/outage")));
                            fixture.marathon.failNextRequests(4);
                            fixture.marathon.pause(false);
                        });
        outage.start();
        DeployResult result =
                fixture.deployer().deploy(request(app("/shop/outage", "shop:1", 1, true)).build());
        outage.join(10_000);

        assertThat(result.deploymentId()).isNotBlank();
        assertThat(fixture.lines)
                .filteredOn(line -> line.startsWith("Polling Marathon failed"))
                .singleElement()
                .asString()
                .contains("answered 503 to GET /v2/")
                .contains("Could not determine the current leader");
    }

    private List<String> progress() {
        return fixture.lines.stream().filter(line -> line.startsWith("/")).toList();
    }
}
