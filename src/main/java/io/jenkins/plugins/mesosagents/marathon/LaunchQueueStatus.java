package io.jenkins.plugins.mesosagents.marathon;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Why Marathon has not launched an app's instances, from its {@code GET /v2/queue} item (QueueApp
 * of types/queue.raml, QueueInfoConversion.scala at v1.10.26): instances left to launch, the
 * backoff delay after task failures ({@code delay.overdue} false: backed off), and which offers
 * were declined for which reason ({@code processedOffersSummary.rejectSummaryLaunchAttempt}, one
 * first reason per offer along NoOfferMatchReason.reasonFunnel).
 */
public record LaunchQueueStatus(
        int count,
        boolean backedOff,
        long delaySeconds,
        int processedOffers,
        int unusedOffers,
        Map<String, Integer> declined) {

    public LaunchQueueStatus {
        // keeps Marathon's funnel order (first reason first)
        declined = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(declined));
    }

    public static LaunchQueueStatus of(JsonNode item) {
        Map<String, Integer> declined = new LinkedHashMap<>();
        JsonNode summary = item.path("processedOffersSummary");
        for (JsonNode step : summary.path("rejectSummaryLaunchAttempt")) {
            int count = step.path("declined").asInt();
            if (count > 0) {
                declined.put(step.path("reason").asText(), count);
            }
        }
        JsonNode delay = item.path("delay");
        return new LaunchQueueStatus(
                item.path("count").asInt(),
                !delay.path("overdue").asBoolean(true),
                delay.path("timeLeftSeconds").asLong(),
                summary.path("processedOffersCount").asInt(),
                summary.path("unusedOffersCount").asInt(),
                new LinkedHashMap<>(declined));
    }

    /** True when instances wait to be launched. */
    public boolean waiting() {
        return count > 0;
    }

    /**
     * A stable short reason for progress lines, e.g. "1 instance(s) waiting for offers (declined:
     * InsufficientCpus)" or "launch delayed by backoff after task failures".
     */
    public String reason() {
        if (backedOff) {
            return count + " instance(s) wait: launch delayed by backoff after task failures";
        }
        if (declined.isEmpty()) {
            return count + " instance(s) waiting for offers";
        }
        return count
                + " instance(s) waiting for offers (declined: "
                + String.join(", ", declined.keySet())
                + ")";
    }

    /** The reason with numbers, for the failure message. */
    public String detail() {
        if (backedOff) {
            return count
                    + " instance(s) wait: launch delayed by backoff after task failures, next"
                    + " attempt in "
                    + delaySeconds
                    + " s (see the app's backoffSeconds, backoffFactor, maxLaunchDelaySeconds)";
        }
        StringBuilder text =
                new StringBuilder().append(count).append(" instance(s) waiting for offers");
        if (processedOffers == 0) {
            return text.append(
                            ": no offer received yet (is the cluster or the role out of"
                                    + " resources?)")
                    .toString();
        }
        text.append(": ")
                .append(unusedOffers)
                .append(" of ")
                .append(processedOffers)
                .append(" offers declined");
        if (!declined.isEmpty()) {
            StringBuilder reasons = new StringBuilder();
            declined.forEach(
                    (reason, n) ->
                            reasons.append(reasons.length() == 0 ? "" : ", ")
                                    .append(reason)
                                    .append(' ')
                                    .append(n));
            text.append(" (").append(reasons).append(")");
            text.append(
                    "; the upgrade strategy may need capacity beyond the running instances"
                            + " (maximumOverCapacity), and constraints or the role limit which"
                            + " agents qualify");
        }
        return text.toString();
    }
}
