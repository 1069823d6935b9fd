package io.jenkins.plugins.mesosagents.engine;

/** An agent whose Mesos task reached TASK_RUNNING: where it runs. */
public record LaunchedAgent(
        String agentName,
        String templateName,
        String taskId,
        String mesosAgentId,
        String hostname) {}
