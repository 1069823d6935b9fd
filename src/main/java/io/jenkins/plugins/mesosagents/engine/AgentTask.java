package io.jenkins.plugins.mesosagents.engine;

/**
 * The engine's knowledge of one agent's Mesos task: its latest state name (e.g. TASK_RUNNING),
 * whether it ever ran, whether the engine asked Mesos to kill it (and, when Mesos refused or did
 * not answer the KILL, why: {@code killProblem}, else ""), and where it runs.
 */
public record AgentTask(
        String agentName,
        String templateName,
        String taskId,
        String state,
        boolean running,
        boolean killRequested,
        String mesosAgentId,
        String hostname,
        String killProblem) {}
