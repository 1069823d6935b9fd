package io.jenkins.plugins.mesosagents.marathon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import java.time.Duration;

/**
 * The derived timing against Marathon's health-check defaults and upgrade strategy arithmetic, and
 * the queue reasons against Marathon's own /v2/queue example.
 */
class RolloutTimingAndQueueTest {
    private final ObjectMapper mapper = new ObjectMapper();

    private JsonNode json(String text) throws Exception {
        return mapper.readTree(text.replace('\'', '"'));
    }

    @Test
    void marathonsHealthCheckDefaultsGiveMinutesNotSeconds() throws Exception {
        // HealthCheck.scala:402-405 (v1.10.26): grace 300 s, interval 60 s, timeout 20 s, 3
        // failures
        RolloutTiming timing =
                RolloutTiming.of(json("{'instances': 3, 'healthChecks': [{'protocol': 'HTTP'}]}"));

        // the default strategy (1, 1) starts all new instances at once: one batch
        assertThat(timing.batches()).isEqualTo(1);
        assertThat(timing.perBatch()).isEqualTo(Duration.ofSeconds(60 + 300 + 60));
        // the kill comes on the check after the 3rd failure: 4 intervals + the check's timeout
        assertThat(timing.settle()).isEqualTo(Duration.ofSeconds(4 * 60 + 20));
    }

    @Test
    void theUpgradeStrategyDecidesHowManyBatches() throws Exception {
        String oneAtATime =
                "{'instances': 4, 'upgradeStrategy': {'minimumHealthCapacity': 1,"
                        + " 'maximumOverCapacity': 0}, 'healthChecks': [{'gracePeriodSeconds': 30,"
                        + " 'intervalSeconds': 10, 'maxConsecutiveFailures': 0}],"
                        + " 'readinessChecks': [{'name': 'r'}]}";
        RolloutTiming timing = RolloutTiming.of(json(oneAtATime));
        assertThat(timing.batches()).isEqualTo(4);
        assertThat(timing.perBatch()).isEqualTo(Duration.ofSeconds(60 + 30 + 10 + 30));
        assertThat(timing.total()).isEqualTo(Duration.ofSeconds(4 * 130));
        // maxConsecutiveFailures 0 never kills: the minimum settle time applies
        assertThat(timing.settle()).isEqualTo(Duration.ofSeconds(30));

        String halfAndHalf =
                "{'instances': 10, 'upgradeStrategy': {'minimumHealthCapacity': 0.5,"
                        + " 'maximumOverCapacity': 0}}";
        assertThat(RolloutTiming.of(json(halfAndHalf)).batches()).isEqualTo(2);
        assertThat(RolloutTiming.of(json("{'cmd': 'x'}")).total())
                .isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void queueReasonsComeFromTheLaunchAttemptSummary() throws Exception {
        // the second item of docs/docs/rest-api/public/api/v2/examples/queue.json (v1.10.26),
        // without its app and lastUnusedOffers
        JsonNode item =
                json(
                        "{'count': 2, 'role': '*', 'delay': {'timeLeftSeconds': 0, 'overdue':"
                            + " true}, 'since': '2016-02-28T16:41:41.090Z',"
                            + " 'processedOffersSummary': {'processedOffersCount': 123,"
                            + " 'unusedOffersCount': 123, 'rejectSummaryLaunchAttempt': [{'reason':"
                            + " 'UnfulfilledRole', 'declined': 0, 'processed': 246}, {'reason':"
                            + " 'UnfulfilledConstraint', 'declined': 0, 'processed': 246},"
                            + " {'reason': 'InsufficientCpus', 'declined': 150, 'processed': 246},"
                            + " {'reason': 'InsufficientMemory', 'declined': 30, 'processed': 96},"
                            + " {'reason': 'InsufficientDisk', 'declined': 20, 'processed': 66},"
                            + " {'reason': 'InsufficientGpus', 'declined': 0, 'processed': 46}]}}");
        LaunchQueueStatus queue = LaunchQueueStatus.of(item);

        assertThat(queue.waiting()).isTrue();
        assertThat(queue.reason())
                .isEqualTo(
                        "2 instance(s) waiting for offers (declined: InsufficientCpus,"
                                + " InsufficientMemory, InsufficientDisk)");
        assertThat(queue.detail())
                .startsWith(
                        "2 instance(s) waiting for offers: 123 of 123 offers declined"
                                + " (InsufficientCpus 150, InsufficientMemory 30, InsufficientDisk"
                                + " 20)");

        LaunchQueueStatus backedOff =
                LaunchQueueStatus.of(
                        json("{'count': 1, 'delay': {'timeLeftSeconds': 42, 'overdue': false}}"));
        assertThat(backedOff.reason())
                .isEqualTo("1 instance(s) wait: launch delayed by backoff after task failures");
        assertThat(backedOff.detail()).contains("next attempt in 42 s");
    }
}
