package io.jenkins.plugins.mesosagents.testcluster.marathon;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jenkins.plugins.mesosagents.testcluster.marathon.SimModel.App;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One {@code GET /v2/queue} item (QueueApp of types/queue.raml; built like
 * QueueInfoConversion.scala at v1.10.26): instances left to launch, the backoff delay and the offer
 * summary whose DeclinedOfferSteps follow the reason funnel.
 */
final class SimQueue {
    private static final List<String> FUNNEL =
            List.of(
                    "UnfulfilledRole",
                    "UnfulfilledConstraint",
                    "NoCorrespondingReservationFound",
                    "AgentMaintenance",
                    "InsufficientCpus",
                    "InsufficientMemory",
                    "InsufficientDisk",
                    "InsufficientGpus",
                    "InsufficientPorts",
                    "DeclinedScarceResources");

    private SimQueue() {}

    static ObjectNode item(App app, ObjectNode appJson, Instant now, String nowText) {
        ObjectNode item = JsonNodeFactory.instance.objectNode();
        item.put("count", app.queued).put("role", "*");
        long left = Math.max(0, Duration.between(now, app.delayUntil).toSeconds());
        boolean backedOff = now.isBefore(app.delayUntil);
        item.putObject("delay")
                .put("timeLeftSeconds", backedOff ? Math.max(1, left) : 0)
                .put("overdue", !backedOff);
        item.put("since", app.queuedSince == null ? nowText : app.queuedSince);
        ObjectNode summary = item.putObject("processedOffersSummary");
        int declined = app.declinedOffers.values().stream().mapToInt(Integer::intValue).sum();
        summary.put("processedOffersCount", app.processedOffers).put("unusedOffersCount", declined);
        if (declined > 0) {
            summary.put("lastUnusedOfferAt", nowText);
        }
        steps(summary.putArray("rejectSummaryLastOffers"), app, app.processedOffers);
        steps(summary.putArray("rejectSummaryLaunchAttempt"), app, app.processedOffers);
        item.set("app", appJson);
        return item;
    }

    private static void steps(ArrayNode steps, App app, int processed) {
        int left = processed;
        for (String reason : FUNNEL) {
            int declined = app.declinedOffers.getOrDefault(reason, 0);
            steps.addObject()
                    .put("reason", reason)
                    .put("declined", declined)
                    .put("processed", left);
            left -= declined;
        }
    }
}
