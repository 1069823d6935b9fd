package io.jenkins.plugins.mesosagents.testcluster.marathon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulator's behaviours that copy real Marathon beyond the REST contract, stepped by hand on a
 * fake clock so that every intermediate state is seen. Each test names the Marathon code (tag
 * v1.10.26) it mimics.
 */
class MarathonSimulatorParityTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ManualClock clock = new ManualClock();

    private MarathonState state(SimConfig config) {
        return new MarathonState(clock, config);
    }

    private MarathonState state() {
        return state(SimConfig.DEFAULT);
    }

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) MAPPER.readTree(text.replace('\'', '"'));
    }

    private static JsonNode app(MarathonState state, String id) {
        return state.getApp(id).body().path("app");
    }

    private static String put(MarathonState state, String definition) throws Exception {
        SimResponse response =
                state.put(json(definition).path("id").asText(), json(definition), false, false);
        assertThat(response.status()).as(response.body().toString()).isIn(200, 201);
        return response.body().path("deploymentId").asText();
    }

    private void steps(MarathonState state, int count) {
        for (int i = 0; i < count; i++) {
            clock.advance(Duration.ofSeconds(1));
            state.step();
        }
    }

    private static List<String> taskIds(JsonNode app) {
        List<String> ids = new ArrayList<>();
        app.path("tasks").forEach(task -> ids.add(task.path("id").asText()));
        return ids;
    }

    /** ReadinessBehavior.scala:70, :78-81, :145-148: healthy once counts until terminated. */
    @Test
    void aDeploymentEndsOnceEachInstanceWasHealthyOnceEvenIfOneIsUnhealthyNow() throws Exception {
        MarathonState state = state();
        state.faults().healthOfApp("/flap", HealthMode.FLAP);
        String app =
                "{'id': '/flap', 'cmd': 's', 'instances': 1, 'healthChecks': [{'path': '/',"
                        + " 'maxConsecutiveFailures': 0}]}";
        put(state, app);
        steps(state, 3);
        assertThat(state.deploymentIds()).isEmpty();

        // the second instance starts a step later, so the two flap out of phase
        put(state, app.replace("'instances': 1", "'instances': 2"));
        steps(state, 3);

        assertThat(state.deploymentIds()).isEmpty();
        assertThat(app(state, "/flap").path("tasks"))
                .hasSize(2)
                .anyMatch(
                        task -> !task.path("healthCheckResults").get(0).path("alive").asBoolean());
    }

    @Test
    void aTaskCanCrashAfterItWasRunningAndTheDeploymentFinished() throws Exception {
        MarathonState state = state();
        state.faults().crashAfterRunning("crashy:1", 2);
        put(state, "{'id': '/crashy', 'container': {'docker': {'image': 'crashy:1'}}}");
        steps(state, 3);
        assertThat(state.deploymentIds()).isEmpty();
        assertThat(app(state, "/crashy").path("tasks").get(0).path("state").asText())
                .isEqualTo("TASK_RUNNING");

        steps(state, 3);

        JsonNode failure = app(state, "/crashy").path("lastTaskFailure");
        assertThat(failure.path("state").asText()).isEqualTo("TASK_FAILED");
        assertThat(failure.path("message").asText()).contains("crash after running");
    }

    /** DeploymentsResource.scala:68-77: the revert is a new, forced version. */
    @Test
    void aRollbackIsANewVersionThatRestartsEveryInstance() throws Exception {
        MarathonState state = state();
        put(state, "{'id': '/rb', 'instances': 2, 'cmd': 'v1'}");
        steps(state, 3);
        List<String> before = taskIds(app(state, "/rb"));
        String v2 = put(state, "{'id': '/rb', 'instances': 2, 'cmd': 'v2'}");
        String v2Version = app(state, "/rb").path("version").asText();

        SimResponse rollback = state.deleteDeployment(v2, false);

        assertThat(rollback.status()).isEqualTo(200);
        String version = rollback.body().path("version").asText();
        assertThat(version).isGreaterThan(v2Version);
        JsonNode reverted = app(state, "/rb");
        assertThat(reverted.path("cmd").asText()).isEqualTo("v1");
        assertThat(reverted.path("versionInfo").path("lastConfigChangeAt").asText())
                .isEqualTo(version);
        steps(state, 6);
        assertThat(state.deploymentIds()).isEmpty();
        assertThat(taskIds(app(state, "/rb"))).hasSize(2).doesNotContainAnyElementsOf(before);
    }

    /**
     * TaskReplaceActor.scala:351-367 (minHealthy = maxCapacity allows one extra instance),
     * NoOfferMatchReason.scala:24-35 and QueueInfoConversion.scala: no offer fits the extra
     * instance, /v2/queue says why, and the rollback needs the same extra capacity, so it hangs.
     */
    @Test
    void withoutCapacityTheQueueExplainsAndTheRollbackHangs() throws Exception {
        MarathonState state = state(new SimConfig(null, 0, 100, new SimOffers(2, 1.0, 1024)));
        String app =
                "{'id': '/full', 'instances': 2, 'cpus': 1, 'cmd': 'v1', 'upgradeStrategy':"
                        + " {'minimumHealthCapacity': 1, 'maximumOverCapacity': 0}}";
        put(state, app);
        steps(state, 3);
        String v2 = put(state, app.replace("'v1'", "'v2'"));
        steps(state, 3);

        JsonNode item = state.queue().body().path("queue").get(0);
        assertThat(item.path("count").asInt()).isEqualTo(1);
        assertThat(item.path("delay").path("overdue").asBoolean()).isTrue();
        JsonNode summary = item.path("processedOffersSummary");
        assertThat(summary.path("processedOffersCount").asInt()).isPositive();
        assertThat(summary.path("rejectSummaryLaunchAttempt"))
                .anyMatch(
                        step ->
                                step.path("reason").asText().equals("InsufficientCpus")
                                        && step.path("declined").asInt() > 0);

        String rollback = state.deleteDeployment(v2, false).body().path("deploymentId").asText();
        steps(state, 20);
        assertThat(state.deploymentIds()).containsExactly(rollback);
    }

    @Test
    void aUniqueHostnameConstraintLeavesInstancesQueued() throws Exception {
        MarathonState state = state(new SimConfig(null, 0, 100, new SimOffers(2, 4.0, 4096)));
        put(
                state,
                "{'id': '/uniq', 'cmd': 's', 'instances': 3, 'cpus': 0.5, 'constraints':"
                    + " [['hostname', 'UNIQUE']]}");
        steps(state, 3);

        assertThat(app(state, "/uniq").path("tasks")).hasSize(2);
        JsonNode steps =
                state.queue()
                        .body()
                        .path("queue")
                        .get(0)
                        .path("processedOffersSummary")
                        .path("rejectSummaryLaunchAttempt");
        assertThat(steps)
                .anyMatch(
                        step ->
                                step.path("reason").asText().equals("UnfulfilledConstraint")
                                        && step.path("declined").asInt() > 0);
    }

    /** RateLimiter: backoffSeconds · backoffFactor^(failures-1), shown as /v2/queue delay. */
    @Test
    void failedLaunchesAreBackedOffAndTheQueueShowsTheDelay() throws Exception {
        MarathonState state =
                state(new SimConfig(Duration.ofSeconds(1), 0, 100, SimOffers.unlimited()));
        state.faults().startFailuresOfImage("bad:1", true);
        put(
                state,
                "{'id': '/bo', 'backoffSeconds': 10, 'backoffFactor': 2, 'container': {'docker':"
                        + " {'image': 'bad:1'}}}");
        steps(state, 2);
        assertThat(app(state, "/bo").path("lastTaskFailure").path("state").asText())
                .isEqualTo("TASK_FAILED");

        steps(state, 1);
        JsonNode delay = state.queue().body().path("queue").get(0).path("delay");
        assertThat(delay.path("overdue").asBoolean()).isFalse();
        assertThat(delay.path("timeLeftSeconds").asLong()).isBetween(5L, 10L);
        assertThat(app(state, "/bo").path("tasks")).isEmpty();

        steps(state, 10);
        assertThat(app(state, "/bo").path("lastTaskFailure").path("taskId").asText()).isNotBlank();
        JsonNode second = state.queue().body().path("queue").get(0).path("delay");
        // after the second failure the delay doubled
        assertThat(second.path("timeLeftSeconds").asLong()).isBetween(11L, 20L);
    }

    /**
     * HealthCheckActor.scala:135-143 (failures ignored in the grace period until the first success)
     * and :100-133, :163-164 (the kill follows the check after maxConsecutiveFailures).
     */
    @Test
    void healthChecksFollowGracePeriodAndInterval() throws Exception {
        MarathonState state =
                state(new SimConfig(Duration.ofSeconds(1), 0, 100, SimOffers.unlimited()));
        state.faults().healthOfApp("/hc", HealthMode.FAIL);
        put(
                state,
                "{'id': '/hc', 'cmd': 's', 'healthChecks': [{'protocol': 'HTTP',"
                    + " 'gracePeriodSeconds': 30, 'intervalSeconds': 10, 'maxConsecutiveFailures':"
                    + " 2}]}");
        steps(state, 2);
        JsonNode task = app(state, "/hc").path("tasks").get(0);
        String id = task.path("id").asText();
        steps(state, 25);
        JsonNode inGrace = app(state, "/hc").path("tasks").get(0).path("healthCheckResults").get(0);
        assertThat(inGrace.path("alive").asBoolean()).isFalse();
        assertThat(inGrace.path("consecutiveFailures").asInt()).isZero();

        steps(state, 20);
        JsonNode failing = app(state, "/hc").path("tasks").get(0);
        assertThat(failing.path("id").asText()).isEqualTo(id);
        assertThat(failing.path("healthCheckResults").get(0).path("consecutiveFailures").asInt())
                .isEqualTo(2);

        steps(state, 10);
        assertThat(app(state, "/hc").path("lastTaskFailure").path("taskId").asText()).isEqualTo(id);
    }

    /**
     * TaskFailure.scala:66-82 versus :127-133: only Marathon-level kills become lastTaskFailure.
     */
    @Test
    void onlyMarathonLevelHealthCheckKillsAreRecordedAsTaskFailures() throws Exception {
        MarathonState state = state();
        state.faults().healthOfApp("/http", HealthMode.FAIL);
        state.faults().healthOfApp("/mesos", HealthMode.FAIL);
        put(
                state,
                "{'id': '/http', 'cmd': 's', 'healthChecks': [{'protocol': 'HTTP',"
                    + " 'maxConsecutiveFailures': 1}]}");
        put(
                state,
                "{'id': '/mesos', 'cmd': 's', 'healthChecks': [{'protocol': 'MESOS_HTTP',"
                        + " 'maxConsecutiveFailures': 1}]}");
        steps(state, 6);

        assertThat(app(state, "/http").path("lastTaskFailure").path("message").asText())
                .startsWith("Task was killed since health check failed. Reason: ");
        assertThat(app(state, "/mesos").has("lastTaskFailure")).isFalse();
    }

    @Test
    void readinessChecksHoldTheDeploymentAndAreReported() throws Exception {
        MarathonState state = state();
        state.faults().readiness("slow:1", false);
        String deployment =
                put(
                        state,
                        "{'id': '/rd', 'container': {'docker': {'image': 'slow:1'}},"
                                + " 'readinessChecks': [{'name': 'warm'}]}");
        steps(state, 5);

        assertThat(state.deploymentIds()).containsExactly(deployment);
        JsonNode result =
                state.listDeployments()
                        .body()
                        .get(0)
                        .path("currentActions")
                        .get(0)
                        .path("readinessCheckResults")
                        .get(0);
        assertThat(result.path("name").asText()).isEqualTo("warm");
        assertThat(result.path("ready").asBoolean()).isFalse();
        assertThat(app(state, "/rd").path("readinessCheckResults")).hasSize(1);

        state.faults().readiness("slow:1", true);
        steps(state, 2);
        assertThat(state.deploymentIds()).isEmpty();
    }

    /** TaskConversion.scala:25-30: an inactive task has no version. */
    @Test
    void unreachableTasksHaveNoVersion() throws Exception {
        MarathonState state = state();
        put(state, "{'id': '/lost', 'cmd': 's', 'instances': 2}");
        steps(state, 3);
        state.faults().unreachable("/lost", 1);
        steps(state, 1);

        JsonNode tasks = app(state, "/lost").path("tasks");
        assertThat(tasks).hasSize(2);
        assertThat(tasks)
                .anySatisfy(
                        task -> {
                            assertThat(task.path("state").asText()).isEqualTo("TASK_UNREACHABLE");
                            assertThat(task.has("version")).isFalse();
                        });
    }

    /**
     * DeploymentManagerActor.scala:243-300, :171-173: the forced deployment waits for the cancelled
     * one.
     */
    @Test
    void aForcedDeploymentIsListedOnlyOnceTheCancelledOneStopped() throws Exception {
        MarathonState state = state(new SimConfig(null, 3, 100, SimOffers.unlimited()));
        state.faults().healthOfApp("/fw", HealthMode.FAIL);
        String app = "{'id': '/fw', 'cmd': 'v1', 'healthChecks': [{'maxConsecutiveFailures': 0}]}";
        String first = put(state, app);
        steps(state, 2);

        SimResponse forced = state.put("/fw", json(app.replace("'v1'", "'v2'")), true, false);
        String second = forced.body().path("deploymentId").asText();

        assertThat(state.deploymentIds()).containsExactly(first);
        assertThat(app(state, "/fw").path("deployments").findValuesAsText("id"))
                .containsExactly(first);
        assertThat(app(state, "/fw").path("cmd").asText()).isEqualTo("v2");
        steps(state, 4);
        assertThat(state.deploymentIds()).containsExactly(second);
    }

    /** GroupManagerImpl.scala:135, :194-202; MarathonExceptionMapper.scala:113. */
    @Test
    void tooManyRunningDeploymentsIsA403() throws Exception {
        MarathonState state = state(new SimConfig(null, 0, 1, SimOffers.unlimited()));
        put(state, "{'id': '/one', 'cmd': 's'}");

        SimResponse refused = state.put("/two", json("{'id': '/two', 'cmd': 's'}"), true, false);

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body().path("message").asText())
                .startsWith("Max number (1) of running deployments is achieved.");
    }

    /** AppHelpers.scala:120-130: PUT {"version": v} deploys that version's definition again. */
    @Test
    void putWithAVersionRedeploysThatVersionAsANewOne() throws Exception {
        MarathonState state = state();
        put(state, "{'id': '/pv', 'cmd': 'v1'}");
        steps(state, 3);
        String v1 = app(state, "/pv").path("version").asText();
        put(state, "{'id': '/pv', 'cmd': 'v2'}");
        steps(state, 3);

        SimResponse back = state.put("/pv", json("{'version': '" + v1 + "'}"), false, true);

        assertThat(back.status()).isEqualTo(200);
        assertThat(app(state, "/pv").path("cmd").asText()).isEqualTo("v1");
        assertThat(app(state, "/pv").path("version").asText()).isGreaterThan(v1);
        assertThat(
                        state.put("/pv", json("{'version': '" + v1 + "', 'cmd': 'x'}"), false, true)
                                .status())
                .isEqualTo(422);
    }

    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
