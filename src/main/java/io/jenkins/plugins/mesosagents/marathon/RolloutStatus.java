package io.jenkins.plugins.mesosagents.marathon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * A snapshot of an app's rollout computed from {@code GET /v2/apps/{id}} (tasks embedded). Tasks
 * launched with the current configuration ({@code task.version >= versionInfo.lastConfigChangeAt})
 * count as new; others as old. {@link #line()} is the progress line, e.g. "3/5 healthy, 1 staged, 2
 * old".
 */
public record RolloutStatus(
        int wanted,
        boolean healthChecked,
        int staged,
        int running,
        int healthy,
        int unhealthy,
        int old,
        List<String> healthProblems,
        String lastTaskFailure,
        String lastTaskFailureVersion,
        String lastTaskFailureId) {

    public static RolloutStatus of(ObjectNode app) {
        int wanted = app.path("instances").asInt(1);
        boolean healthChecked = app.path("healthChecks").size() > 0;
        String configVersion =
                app.path("versionInfo")
                        .path("lastConfigChangeAt")
                        .asText(app.path("version").asText(""));
        int staged = 0;
        int running = 0;
        int healthy = 0;
        int unhealthy = 0;
        int old = 0;
        List<String> healthProblems = new ArrayList<>();
        JsonNode tasks = app.path("tasks");
        if (tasks.isArray()) {
            for (JsonNode task : tasks) {
                String state = task.path("state").asText();
                if (isTerminal(state)) {
                    continue;
                }
                if (task.path("version").asText("").compareTo(configVersion) < 0) {
                    old++;
                    continue;
                }
                if (!state.equals("TASK_RUNNING")) {
                    staged++;
                    continue;
                }
                running++;
                JsonNode results = task.path("healthCheckResults");
                boolean allAlive = results.size() > 0;
                boolean anyDead = false;
                for (JsonNode result : results) {
                    if (!result.path("alive").asBoolean(false)) {
                        allAlive = false;
                        anyDead = true;
                        healthProblems.add(describeHealth(task, result));
                    }
                }
                if (healthChecked && allAlive) {
                    healthy++;
                } else if (anyDead) {
                    unhealthy++;
                }
            }
        } else {
            staged = app.path("tasksStaged").asInt();
            running = app.path("tasksRunning").asInt();
            healthy = app.path("tasksHealthy").asInt();
            unhealthy = app.path("tasksUnhealthy").asInt();
        }
        JsonNode failure = app.path("lastTaskFailure");
        String failureText = null;
        if (failure.isObject()) {
            failureText =
                    "task "
                            + failure.path("taskId").asText()
                            + " on "
                            + failure.path("host").asText("?")
                            + ": "
                            + failure.path("state").asText()
                            + " \""
                            + failure.path("message").asText()
                            + "\" at "
                            + failure.path("timestamp").asText()
                            + " (version "
                            + failure.path("version").asText()
                            + ")";
        }
        return new RolloutStatus(
                wanted,
                healthChecked,
                staged,
                running,
                healthy,
                unhealthy,
                old,
                List.copyOf(healthProblems),
                failureText,
                failure.path("version").asText(null),
                failure.isObject()
                        ? failure.path("taskId").asText() + "@" + failure.path("timestamp").asText()
                        : null);
    }

    private static boolean isTerminal(String state) {
        return switch (state) {
            case "TASK_FINISHED",
                            "TASK_FAILED",
                            "TASK_KILLED",
                            "TASK_ERROR",
                            "TASK_LOST",
                            "TASK_DROPPED",
                            "TASK_GONE" ->
                    true;
            default -> false;
        };
    }

    private static String describeHealth(JsonNode task, JsonNode result) {
        StringBuilder text =
                new StringBuilder("task ").append(task.path("id").asText()).append(": unhealthy");
        if (result.has("consecutiveFailures")) {
            text.append(", ")
                    .append(result.path("consecutiveFailures").asInt())
                    .append(" consecutive failures");
        }
        if (result.hasNonNull("lastFailureCause")) {
            text.append(", last cause \"")
                    .append(result.path("lastFailureCause").asText())
                    .append('"');
        }
        return text.toString();
    }

    /**
     * True when the new configuration runs on all wanted instances, healthy when health checks
     * exist, and no old task remains.
     */
    public boolean complete() {
        boolean ready = healthChecked ? healthy == wanted && unhealthy == 0 : running == wanted;
        return ready && staged == 0 && old == 0;
    }

    /** "3/5 healthy, 1 unhealthy, 1 staged, 2 old" (or "n/m running" without health checks). */
    public String line() {
        StringBuilder line = new StringBuilder();
        if (healthChecked) {
            line.append(healthy).append('/').append(wanted).append(" healthy");
            int waiting = running - healthy - unhealthy;
            if (unhealthy > 0) {
                line.append(", ").append(unhealthy).append(" unhealthy");
            }
            if (waiting > 0) {
                line.append(", ").append(waiting).append(" running (health pending)");
            }
        } else {
            line.append(running).append('/').append(wanted).append(" running");
        }
        if (staged > 0) {
            line.append(", ").append(staged).append(" staged");
        }
        if (old > 0) {
            line.append(", ").append(old).append(" old");
        }
        return line.toString();
    }
}
