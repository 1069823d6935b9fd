package io.jenkins.plugins.mesosagents.engine;

import java.util.List;

/**
 * The engine state that survives a restart: the framework id ("" before the first SUBSCRIBED) and
 * live tasks.
 */
public record PersistedState(String frameworkId, List<PersistedTask> tasks) {
    public PersistedState {
        frameworkId = frameworkId == null ? "" : frameworkId;
        tasks = List.copyOf(tasks);
    }

    /** A task the engine launched and that was not yet known to be terminal. */
    public record PersistedTask(
            String taskId,
            String agentName,
            String templateName,
            String agentId,
            String hostname,
            String state,
            long launchedAtMillis,
            double cpus,
            double memMb) {}
}
