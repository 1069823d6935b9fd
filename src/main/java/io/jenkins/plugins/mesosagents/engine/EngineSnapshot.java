package io.jenkins.plugins.mesosagents.engine;

import java.util.Map;

/**
 * A consistent, immutable picture of the engine published after each step of its loop; safe to read
 * anywhere.
 */
public record EngineSnapshot(
        String frameworkId,
        boolean subscribed,
        boolean suppressed,
        int pendingAgents,
        int trackedTasks,
        int heldOffers,
        boolean reconciling,
        Map<String, TemplateStatus> templates) {
    public EngineSnapshot {
        templates = Map.copyOf(templates);
    }

    static final EngineSnapshot EMPTY =
            new EngineSnapshot("", false, false, 0, 0, 0, false, Map.of());
}
