package io.jenkins.plugins.mesosagents.engine;

import java.time.Instant;

/**
 * An agent whose Mesos task reached TASK_RUNNING: where it runs, the resources its TaskInfo gave it
 * and when it started running by the TASK_RUNNING update's own timestamp (the Mesos agent's clock).
 * {@code resources} is {@link TaskResources#UNKNOWN} and {@code runningSince} null for a task
 * recovered after a restart.
 */
public record LaunchedAgent(
        String agentName,
        String templateName,
        String taskId,
        String mesosAgentId,
        String hostname,
        TaskResources resources,
        Instant runningSince) {

    public LaunchedAgent {
        resources = resources == null ? TaskResources.UNKNOWN : resources;
    }

    /** A launched agent whose resources and start are not known. */
    public LaunchedAgent(
            String agentName,
            String templateName,
            String taskId,
            String mesosAgentId,
            String hostname) {
        this(agentName, templateName, taskId, mesosAgentId, hostname, TaskResources.UNKNOWN, null);
    }
}
