package io.jenkins.plugins.mesosagents.marathon;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The text of a failed deploy: what went wrong, the deployment, the last progress, the new
 * version's task failures, failing health and readiness checks, and why the launch queue waits. The
 * rollback's own lines are appended by the caller.
 */
final class FailureReport {
    private FailureReport() {}

    static StringBuilder of(
            String appId,
            String what,
            DeploymentResult started,
            RolloutStatus status,
            LaunchQueueStatus queue,
            Map<String, String> taskFailures) {
        StringBuilder message =
                new StringBuilder("Marathon deploy of ")
                        .append(appId)
                        .append(" failed: ")
                        .append(what)
                        .append('.');
        message.append("\n  Deployment: ")
                .append(started.deploymentId())
                .append(" (version ")
                .append(started.version())
                .append(')');
        if (status != null) {
            message.append("\n  Progress: ").append(status.line());
            if (!taskFailures.isEmpty()) {
                List<String> recent = new ArrayList<>(taskFailures.values());
                message.append("\n  Task failures of the new version (")
                        .append(recent.size())
                        .append(", most recent last):");
                for (String failure :
                        recent.subList(Math.max(0, recent.size() - 3), recent.size())) {
                    message.append("\n    - ").append(failure);
                }
            } else if (status.lastTaskFailure() != null) {
                message.append("\n  Last task failure (an earlier version): ")
                        .append(status.lastTaskFailure());
            }
            for (String problem : status.healthProblems()) {
                if (taskFailures.values().stream().noneMatch(f -> f.startsWith(problem))) {
                    message.append("\n  Health check: ").append(problem);
                }
            }
            for (String problem : status.readinessProblems()) {
                message.append("\n  ").append(problem);
            }
        }
        if (queue != null && queue.waiting()) {
            message.append("\n  Launch queue: ").append(queue.detail());
        }
        return message;
    }
}
