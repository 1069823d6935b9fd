package io.jenkins.plugins.mesosagents.engine;

import java.time.Instant;
import java.util.List;

/**
 * What the UI shows for one template: agents waiting for an offer, launching and running; the
 * current reason for waiting (null when nothing waits) and a bounded history of recent distinct
 * reasons; crash-loop state; how many more agents the caps would admit right now (Integer.MAX_VALUE
 * when uncapped); and what it has done so far ({@link TemplateFigures}).
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
        int admissible,
        TemplateFigures figures) {
    public TemplateStatus {
        recent = List.copyOf(recent);
        figures = figures == null ? TemplateFigures.NONE : figures;
    }

    /** A status without figures (nothing counted yet). */
    public TemplateStatus(
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
        this(
                template,
                pending,
                launching,
                running,
                waiting,
                recent,
                consecutiveFailures,
                lastFailure,
                backingOffUntil,
                admissible,
                TemplateFigures.NONE);
    }

    /**
     * Why this template can never launch as things stand, or empty while it may: its launches
     * failed often enough to back it off (the crash-loop limit), which is also how a refused image
     * pull shows (Mesos ends each such task TASK_FAILED with REASON_CONTAINER_LAUNCH_FAILED,
     * apache/mesos 1.11.0 src/slave/slave.cpp:6993-6997). A success clears the streak, so this ends
     * when a launch works again.
     */
    public java.util.Optional<String> cannotLaunch() {
        if (backingOffUntil == null || consecutiveFailures == 0) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(
                "template "
                        + template
                        + " failed to launch "
                        + consecutiveFailures
                        + " times in a row (last: "
                        + lastFailure
                        + ")");
    }
}
