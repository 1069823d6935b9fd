package io.jenkins.plugins.mesosagents.accounting;

import io.jenkins.plugins.mesosagents.engine.TaskResources;

import java.time.Duration;
import java.time.Instant;

/**
 * What one build used of one Mesos agent: where (agent, template, host, task id), the resources the
 * task's TaskInfo gave it, when the build held the agent ({@code start}..{@code end}, from Jenkins'
 * executor) and when Mesos says the task ran ({@code taskRunning}..{@code taskEnded}, the status
 * updates' timestamps; null where not known or not ended yet). The charged time is the build's time
 * clipped to the task's: a build cannot use a task before it runs or after it ended.
 */
public record AgentUsage(
        String agentName,
        String templateName,
        String host,
        String taskId,
        TaskResources resources,
        Instant start,
        Instant end,
        Instant taskRunning,
        Instant taskEnded) {

    private static final double MB_PER_GB = 1024;

    public AgentUsage {
        resources = resources == null ? TaskResources.UNKNOWN : resources;
        if (start == null || end == null) {
            throw new IllegalArgumentException("a usage needs its start and end");
        }
    }

    /** The start of the charged time: the build's start, not before the task ran. */
    public Instant chargedStart() {
        return taskRunning != null && taskRunning.isAfter(start) ? taskRunning : start;
    }

    /** The end of the charged time: the build's end, not after the task ended. */
    public Instant chargedEnd() {
        return taskEnded != null && taskEnded.isBefore(end) ? taskEnded : end;
    }

    /** The charged time in seconds (0 when the build and the task did not overlap). */
    public double seconds() {
        Duration d = Duration.between(chargedStart(), chargedEnd());
        return d.isNegative() ? 0 : d.toMillis() / 1000.0;
    }

    /** cpus × charged seconds. */
    public double cpuSeconds() {
        return resources.cpus() * seconds();
    }

    /** Memory in GB (1024 MB, Mesos' mem unit is MB) × charged seconds. */
    public double gbSeconds() {
        return resources.memMb() / MB_PER_GB * seconds();
    }
}
