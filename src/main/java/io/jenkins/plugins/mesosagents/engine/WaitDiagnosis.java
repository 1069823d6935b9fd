package io.jenkins.plugins.mesosagents.engine;

import java.time.Instant;
import java.util.Map;

/**
 * Why a template still waits: the dominant reason, a human sentence with numbers (needed vs best
 * offered, the unmet constraint, ...), how many offers were rejected for each reason in the batch,
 * and when this was found.
 */
public record WaitDiagnosis(
        String template,
        WaitReason reason,
        String detail,
        Map<WaitReason, Integer> rejectedOffers,
        Instant at) {
    public WaitDiagnosis {
        rejectedOffers = Map.copyOf(rejectedOffers);
    }

    @Override
    public String toString() {
        return template + ": " + reason + " - " + detail;
    }
}
