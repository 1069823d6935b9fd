package io.jenkins.plugins.mesosagents.engine;

import java.util.List;
import java.util.Map;

/**
 * A consistent, immutable picture of the engine published after each step of its loop; safe to read
 * anywhere. {@code suppressed} is what the master accepted; {@code unkillable} describes each task
 * the engine has been asking Mesos to kill without success.
 */
public record EngineSnapshot(
        String frameworkId,
        boolean subscribed,
        boolean suppressed,
        int pendingAgents,
        int trackedTasks,
        int heldOffers,
        boolean reconciling,
        Map<String, TemplateStatus> templates,
        List<String> unkillable) {
    public EngineSnapshot {
        templates = Map.copyOf(templates);
        unkillable = List.copyOf(unkillable);
    }

    /** A snapshot in which no task resists being killed. */
    public EngineSnapshot(
            String frameworkId,
            boolean subscribed,
            boolean suppressed,
            int pendingAgents,
            int trackedTasks,
            int heldOffers,
            boolean reconciling,
            Map<String, TemplateStatus> templates) {
        this(
                frameworkId,
                subscribed,
                suppressed,
                pendingAgents,
                trackedTasks,
                heldOffers,
                reconciling,
                templates,
                List.of());
    }

    static final EngineSnapshot EMPTY =
            new EngineSnapshot("", false, false, 0, 0, 0, false, Map.of(), List.of());
}
