package io.jenkins.plugins.mesosagents.marathon;

import static io.jenkins.plugins.mesosagents.marathon.DeployFixture.app;
import static io.jenkins.plugins.mesosagents.marathon.DeployFixture.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jenkins.plugins.mesosagents.testcluster.marathon.HealthMode;
import io.jenkins.plugins.mesosagents.testcluster.marathon.MarathonSimulator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The deploy against the behaviours of real Marathon that the simulator reproduces: deployments
 * that end once each instance was healthy once, rollbacks that are new versions, health-check
 * timing, offers and the launch queue, forced deployments and the smaller API quirks (see
 * docs/marathon-deploy.md).
 */
class MarathonDeployRealSemanticsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DeployFixture fixture;

    private DeployFixture start(MarathonSimulator.Builder simulator) throws Exception {
        fixture = new DeployFixture(simulator.build(), MarathonAuth.none());
        return fixture;
    }

    private static MarathonSimulator.Builder simulator() {
        return MarathonSimulator.builder().stepInterval(Duration.ofMillis(20));
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private String image(String appId) {
        return fixture.marathon.app(appId).path("container").path("docker").path("image").asText();
    }

    private ObjectNode json(String text) throws Exception {
        return (ObjectNode) MAPPER.readTree(text);
    }

    @Test
    void aVersionThatCrashesAfterTheDeploymentFinishedIsRolledBackWhileSettling() throws Exception {
        start(simulator());
        DeployResult first =
                fixture.deployer().deploy(request(app("/shop/settle", "shop:1", 2, false)).build());
        // without health checks Marathon finishes the deployment once each task was RUNNING once
        fixture.marathon.crashAfterRunning("shop:2", 4);

        DeployRequest update =
                request(app("/shop/settle", "shop:2", 2, false))
                        .pollInterval(Duration.ofSeconds(1))
                        .timeout(Duration.ofMinutes(5))
                        .settleTime(Duration.ofSeconds(30))
                        .build();
        assertThatThrownBy(() -> fixture.fastDeployer(Duration.ofMillis(20)).deploy(update))
                .isInstanceOfSatisfying(
                        DeployFailedException.class,
                        e -> {
                            assertThat(e.reason())
                                    .isEqualTo(DeployFailedException.Reason.TASK_FAILURES);
                            assertThat(e.getMessage())
                                    .contains("after Marathon finished the deployment")
                                    .contains("simulated crash after running")
                                    .contains(
                                            "Rolled back to version "
                                                    + first.version()
                                                    + " (PUT /v2/apps/shop/settle");
                            assertThat(e.rollbackDeploymentId()).isNotBlank();
                        });
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(image("/shop/settle")).isEqualTo("shop:1"));
    }

    @Test
    void aRollbackIsReportedAsTheNewVersionItIsAndWaitedFor() throws Exception {
        start(simulator());
        DeployResult first =
                fixture.deployer().deploy(request(app("/shop/cart", "shop:1", 3, true)).build());
        fixture.marathon.healthOfImage("shop:2", HealthMode.FAIL);

        DeployRequest update =
                request(app("/shop/cart", "shop:2", 3, true)).maxTaskFailures(2).build();
        assertThatThrownBy(() -> fixture.deployer().deploy(update))
                .isInstanceOfSatisfying(
                        DeployFailedException.class,
                        e -> {
                            assertThat(e.getMessage())
                                    .contains(
                                            "Rolled back: deployment "
                                                    + e.rollbackDeploymentId()
                                                    + " reverts /shop/cart to its previous"
                                                    + " definition as a new version")
                                    .contains("every instance restarts")
                                    .containsPattern("Rollback finished after .*: 3/3 healthy");
                        });
        ObjectNode app = fixture.marathon.app("/shop/cart");
        assertThat(image("/shop/cart")).isEqualTo("shop:1");
        assertThat(app.path("version").asText()).isGreaterThan(first.version());
        assertThat(app.path("deployments")).isEmpty();
    }

    @Test
    void noOffersAreExplainedFromTheQueueAndAHangingRollbackIsReported() throws Exception {
        // three one-cpu agents: the old version fills them, the upgrade needs a fourth slot
        start(simulator().agents(3, 1.0, 4096));
        String strategy =
                "  \"cpus\": 1, \"upgradeStrategy\": {\"minimumHealthCapacity\": 1,"
                        + " \"maximumOverCapacity\": 0},\n";
        fixture.deployer()
                .deploy(
                        request(
                                        app("/shop/full", "shop:1", 3, true)
                                                .replace("\"cpus\": 0.1,", "")
                                                .replace(
                                                        "\"labels\"",
                                                        strategy.strip() + "\n  \"labels\""))
                                .build());

        DeployRequest update =
                request(
                                app("/shop/full", "shop:2", 3, true)
                                        .replace("\"cpus\": 0.1,", "")
                                        .replace("\"labels\"", strategy.strip() + "\n  \"labels\""))
                        .timeout(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofSeconds(5))
                        .build();
        assertThatThrownBy(() -> fixture.fastDeployer(Duration.ofMillis(20)).deploy(update))
                .isInstanceOfSatisfying(
                        DeployFailedException.class,
                        e -> {
                            assertThat(e.reason()).isEqualTo(DeployFailedException.Reason.DEADLINE);
                            assertThat(e.getMessage())
                                    .contains("Launch queue: 1 instance(s) waiting for offers")
                                    .contains("InsufficientCpus")
                                    .contains("Rollback did NOT finish within")
                                    .contains(
                                            "DELETE /v2/deployments/"
                                                    + e.rollbackDeploymentId()
                                                    + "?force=true");
                        });
        assertThat(fixture.lines)
                .anyMatch(
                        line ->
                                line.startsWith("/shop/full: ")
                                        && line.contains("InsufficientCpus"));
    }

    @Test
    void mesosLevelHealthCheckKillsCountAsTaskFailures() throws Exception {
        start(simulator());
        fixture.deployer().deploy(request(app("/shop/mesos", "shop:1", 2, true)).build());
        fixture.marathon.healthOfImage("shop:2", HealthMode.FAIL);
        String mesosHttp =
                app("/shop/mesos", "shop:2", 2, true)
                        .replace("\"protocol\": \"HTTP\"", "\"protocol\": \"MESOS_HTTP\"");

        DeployRequest update =
                request(mesosHttp)
                        .maxTaskFailures(2)
                        .timeout(Duration.ofMinutes(10))
                        .pollInterval(Duration.ofSeconds(2))
                        .build();
        assertThatThrownBy(() -> fixture.fastDeployer(Duration.ofMillis(10)).deploy(update))
                .isInstanceOfSatisfying(
                        DeployFailedException.class,
                        e -> {
                            assertThat(e.reason())
                                    .isEqualTo(DeployFailedException.Reason.TASK_FAILURES);
                            assertThat(e.getMessage())
                                    .contains("2 consecutive health check failures");
                        });
        // Mesos-level kills never become Marathon's lastTaskFailure
        assertThat(fixture.marathon.app("/shop/mesos").has("lastTaskFailure")).isFalse();
    }

    @Test
    void theHealthCheckGracePeriodIsShownAsSuch() throws Exception {
        // one Marathon second = 20 ms: a 60 s grace period lasts 1.2 s
        start(simulator().marathonSecond(Duration.ofMillis(20)));
        fixture.marathon.healthOfImage("shop:1", HealthMode.FAIL);
        String graceful =
                app("/shop/grace", "shop:1", 2, true)
                        .replace(
                                "\"maxConsecutiveFailures\": 2",
                                "\"maxConsecutiveFailures\": 0, \"gracePeriodSeconds\": 60,"
                                        + " \"intervalSeconds\": 5");

        assertThatThrownBy(
                        () ->
                                fixture.deployer()
                                        .deploy(
                                                request(graceful)
                                                        .timeout(Duration.ofSeconds(3))
                                                        .build()))
                .isInstanceOf(DeployFailedException.class);
        List<String> progress =
                fixture.lines.stream().filter(line -> line.startsWith("/shop/grace: ")).toList();
        assertThat(progress).anyMatch(line -> line.contains("2 in health-check grace period"));
        int firstUnhealthy = indexOf(progress, "unhealthy");
        int firstGrace = indexOf(progress, "grace period");
        assertThat(firstGrace).isNotNegative();
        assertThat(firstUnhealthy).isGreaterThan(firstGrace);
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void theDefaultDeadlineFollowsHealthChecksAndBatchesAndResetsOnProgress() throws Exception {
        // one Marathon second = 2 ms; each new task needs 240 s to become healthy and the
        // strategy replaces one at a time: 4 × 240 s is more than the 10 min fixed default
        start(simulator().marathonSecond(Duration.ofMillis(2)).stepInterval(Duration.ofMillis(10)));
        String strategy =
                "  \"upgradeStrategy\": {\"minimumHealthCapacity\": 1, \"maximumOverCapacity\":"
                        + " 0},\n";
        String definition =
                app("/shop/slow", "shop:1", 4, true, strategy)
                        .replace(
                                "\"maxConsecutiveFailures\": 2",
                                "\"maxConsecutiveFailures\": 3, \"gracePeriodSeconds\": 300,"
                                        + " \"intervalSeconds\": 10");
        fixture.deployer().deploy(request(definition).build());
        fixture.marathon.healthyAfter("shop:2", 240);

        DeployRequest update =
                DeployRequest.fromJson(definition.replace("shop:1", "shop:2"), "marathon.json")
                        .pollInterval(Duration.ofSeconds(5))
                        .build();
        DeployResult result = fixture.fastDeployer(Duration.ofMillis(8)).deploy(update);

        assertThat(result.version()).isNotBlank();
        assertThat(image("/shop/slow")).isEqualTo("shop:2");
        assertThat(fixture.lines).anyMatch(line -> line.contains("derived from the health checks"));
    }

    @Test
    void aForcedDeployWaitsOutTheCancelledDeploymentAndWarnsAboutIt() throws Exception {
        start(simulator().forceWindowSteps(15));
        fixture.deployer().deploy(request(app("/shop/force", "shop:1", 1, true)).build());
        // someone else's deployment that never finishes
        fixture.marathon.healthOfImage("shop:stuck", HealthMode.FAIL);
        String stuck =
                app("/shop/force", "shop:stuck", 1, true)
                        .replace("\"maxConsecutiveFailures\": 2", "\"maxConsecutiveFailures\": 0");
        String other = fixture.client.putApp(json(stuck), false, false).deploymentId();

        DeployResult result =
                fixture.deployer()
                        .deploy(request(app("/shop/force", "shop:2", 1, true)).force(true).build());

        assertThat(result.deploymentId()).isNotEqualTo(other);
        assertThat(image("/shop/force")).isEqualTo("shop:2");
        assertThat(fixture.lines)
                .anyMatch(
                        line ->
                                line.startsWith(
                                                "WARNING: force: true cancelled deployment "
                                                        + other)
                                        && line.contains("not started by this deploy"));
    }

    @Test
    void aScaleBySomeoneElseDuringTheRolloutIsNotASupersedingDeploy() throws Exception {
        start(simulator().stepInterval(Duration.ofMillis(60)));
        fixture.deployer().deploy(request(app("/shop/scale", "shop:1", 2, true)).build());
        List<Object> outcome = new CopyOnWriteArrayList<>();
        Thread deploy =
                fixture.deployInBackground(
                        request(app("/shop/scale", "shop:2", 2, true)).build(), outcome);
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                fixture.lines.stream()
                                        .anyMatch(l -> l.contains("started for /shop/scale")));
        // an autoscaler changes only the instance count, forcing past our deployment
        ObjectNode scale = json("{\"id\": \"/shop/scale\", \"instances\": 3}");
        fixture.client.putApp(scale, true, true);
        deploy.join(20_000);

        assertThat(outcome).singleElement().isInstanceOf(DeployResult.class);
        assertThat(image("/shop/scale")).isEqualTo("shop:2");
    }

    @Test
    void unreachableTasksWithoutVersionAreNotCountedAsOld() throws Exception {
        start(simulator());
        fixture.deployer().deploy(request(app("/shop/lost", "shop:1", 3, false)).build());
        fixture.marathon.makeUnreachable("/shop/lost", 1);
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                fixture.marathon
                                        .app("/shop/lost")
                                        .path("tasks")
                                        .findValuesAsText("state")
                                        .contains("TASK_UNREACHABLE"));

        RolloutStatus status = RolloutStatus.of(fixture.client.app("/shop/lost").orElseThrow());

        assertThat(status.old()).isZero();
        assertThat(status.line()).isEqualTo("2/3 running, 1 unreachable");
    }

    /** Holds the deployment still (so that it can be looked up) until the line was logged. */
    private void unpauseWhenLogged(String text) {
        fixture.marathon.pause(true);
        Thread unpause =
                new Thread(
                        () -> {
                            await().atMost(Duration.ofSeconds(10))
                                    .until(
                                            () ->
                                                    fixture.lines.stream()
                                                            .anyMatch(l -> l.contains(text)));
                            fixture.marathon.pause(false);
                        });
        unpause.setDaemon(true);
        unpause.start();
    }

    @Test
    void aPutThatTimesOutButStartedADeploymentIsTracked() throws Exception {
        start(simulator());
        fixture.deployer().deploy(request(app("/shop/slowput", "shop:1", 1, false)).build());
        fixture.marathon.timeOutNextPuts(1);
        unpauseWhenLogged("but Marathon applied the change");

        DeployResult result =
                fixture.deployer()
                        .deploy(request(app("/shop/slowput", "shop:2", 1, false)).build());

        assertThat(result.deploymentId()).isNotBlank();
        assertThat(image("/shop/slowput")).isEqualTo("shop:2");
        assertThat(fixture.lines)
                .anyMatch(
                        line ->
                                line.contains("answered 503")
                                        && line.contains(
                                                "started deployment " + result.deploymentId()));
    }

    @Test
    void aPutWhoseAnswerCameTooLateIsTrackedToo() throws Exception {
        start(simulator());
        fixture.deployer().deploy(request(app("/shop/late", "shop:1", 1, false)).build());
        okhttp3.OkHttpClient impatient =
                fixture.http.newBuilder().callTimeout(Duration.ofMillis(300)).build();
        MarathonClient client =
                new MarathonClient(
                        MarathonClient.parseUrl(fixture.marathon.url()),
                        MarathonAuth.none(),
                        impatient);
        fixture.marathon.answerNextPutAfter(Duration.ofSeconds(1));
        unpauseWhenLogged("but Marathon applied the change");

        DeployResult result =
                new MarathonDeployer(
                                client,
                                java.time.Clock.systemUTC(),
                                Sleeper.SYSTEM,
                                fixture.lines::add)
                        .deploy(request(app("/shop/late", "shop:2", 1, false)).build());

        assertThat(image("/shop/late")).isEqualTo("shop:2");
        assertThat(fixture.lines)
                .anyMatch(
                        line ->
                                line.contains("got no answer from Marathon in time")
                                        && line.contains(
                                                "started deployment " + result.deploymentId()));
    }

    @Test
    void tooManyRunningDeploymentsIsWaitedOutNotBlamedOnCredentials() throws Exception {
        start(simulator().maxRunningDeployments(1));
        fixture.deployer().deploy(request(app("/shop/busy", "shop:1", 1, false)).build());
        fixture.deployer().deploy(request(app("/shop/other", "shop:1", 1, false)).build());
        fixture.marathon.pause(true);
        fixture.client.putApp(json(app("/shop/other", "shop:1", 2, false)), false, false);
        List<Object> outcome = new CopyOnWriteArrayList<>();
        Thread deploy =
                fixture.deployInBackground(
                        request(app("/shop/busy", "shop:2", 1, false)).build(), outcome);
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                fixture.lines.stream()
                                        .anyMatch(l -> l.contains("--max_running_deployments")));
        fixture.marathon.pause(false);
        deploy.join(20_000);

        assertThat(outcome).singleElement().isInstanceOf(DeployResult.class);
        assertThat(fixture.lines).noneMatch(line -> line.contains("credentials"));
    }

    @Test
    void theDryRunDiffIgnoresMarathonsNormalisedDefaults() throws Exception {
        start(simulator());
        String definition = app("/shop/norm", "shop:1", 2, true);
        fixture.deployer().deploy(request(definition).build());

        DeployResult dryRun = fixture.deployer().deploy(request(definition).dryRun(true).build());

        assertThat(dryRun.diff()).isEmpty();
    }

    @Test
    void readinessChecksThatFailAreShownWhileWaiting() throws Exception {
        start(simulator());
        fixture.marathon.readiness("shop:r", false);
        String ready =
                app(
                        "/shop/ready",
                        "shop:r",
                        1,
                        true,
                        "  \"readinessChecks\": [{\"name\": \"warm\", \"path\": \"/ready\"}],\n");

        assertThatThrownBy(
                        () ->
                                fixture.fastDeployer(Duration.ofMillis(20))
                                        .deploy(
                                                request(ready)
                                                        .pollInterval(Duration.ofSeconds(5))
                                                        .timeout(Duration.ofMinutes(1))
                                                        .build()))
                .isInstanceOfSatisfying(
                        DeployFailedException.class,
                        e ->
                                assertThat(e.getMessage())
                                        .contains(
                                                "Readiness check warm of task shop_ready.instance-")
                                        .contains("not ready"));
        assertThat(fixture.lines).anyMatch(line -> line.contains("1 not ready"));
    }
}
