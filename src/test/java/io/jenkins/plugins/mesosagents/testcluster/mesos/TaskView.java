package io.jenkins.plugins.mesosagents.testcluster.mesos;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of one task as the simulator sees it, for test assertions: the master's state, where
 * its sandbox is, its local process, and the container settings it was launched with (recorded, not
 * enforced).
 */
public record TaskView(
        String taskId,
        String frameworkId,
        String agentId,
        String hostname,
        String state,
        Path sandbox,
        long pid,
        boolean processAlive,
        int unacknowledgedUpdates,
        String containerType,
        String image,
        List<String> networks,
        List<String> volumes,
        Map<String, String> environment,
        java.time.Instant accepted) {}
