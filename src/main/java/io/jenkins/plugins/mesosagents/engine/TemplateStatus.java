package io.jenkins.plugins.mesosagents.engine;

import java.time.Instant;
import java.util.List;

/**
 * What the UI shows for one template: agents waiting for an offer, launching and running; the
 * current reason for waiting (null when nothing waits) and a bounded history of recent distinct
 * reasons; crash-loop state; how many more agents the caps would admit right now (Integer.MAX_VALUE
 * when uncapped).
 */
public record TemplateStatus(
        String template,
        int pending,
        int launching,
        int running,
        WaitDiagnosis waiting,
        List<WaitDiagnosis> recent,
        int consecutiveFailures,
        String lastFailure,
        Instant backingOffUntil,
        int admissible) {
    public TemplateStatus {
        recent = List.copyOf(recent);
    }
}
