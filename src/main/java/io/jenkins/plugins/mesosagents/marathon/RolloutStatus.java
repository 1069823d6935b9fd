package io.jenkins.plugins.mesosagents.marathon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of an app's rollout computed from {@code GET /v2/apps/{id}} (tasks and readiness
 * embedded). Tasks launched with the current configuration ({@code task.version >=
 * versionInfo.lastConfigChangeAt}, TaskStatsByVersion.scala:27-31 at v1.10.26) count as new, others
 * as old; a task without a version is inactive, e.g. unreachable (TaskConversion.scala:25-30), and
 * counts as neither. A new task whose health results are all failing but that has no failure yet is
 * in its health-check grace period (failures are ignored then, HealthCheckActor.scala:135-143), not
 * unhealthy. New tasks at {@code maxConsecutiveFailures} are being killed (the kill follows on the
 * next failed check, HealthCheckActor.scala:163-164); {@link #healthKills()} lists them, since
 * Mesos-level checks never record such a kill as lastTaskFailure (TaskFailure.scala:127-133).
 * {@link #line()} is the progress line, e.g. "3/5 healthy, 1 staged, 2 old".
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
        String lastTaskFailureId,
        int inGrace,
        int notReady,
        int unreachable,
        List<String> readinessProblems,
        Map<String, String> healthKills) {

    public RolloutStatus {
        healthProblems = List.copyOf(healthProblems);
        readinessProblems = List.copyOf(readinessProblems);
        healthKills = Map.copyOf(healthKills);
    }

    public static RolloutStatus of(ObjectNode app) {
        int wanted = app.path("instances").asInt(1);
        JsonNode check = app.path("healthChecks").path(0);
        boolean healthChecked = check.isObject();
        int maxFailures = check.path("maxConsecutiveFailures").asInt(3);
        String configVersion =
                app.path("versionInfo")
                        .path("lastConfigChangeAt")
                        .asText(app.path("version").asText(""));
        Map<String, JsonNode> readiness = new LinkedHashMap<>();
        for (JsonNode result : app.path("readinessCheckResults")) {
            readiness.put(result.path("taskId").asText(), result);
        }
        Counts counts = new Counts();
        JsonNode tasks = app.path("tasks");
        if (tasks.isArray()) {
            for (JsonNode task : tasks) {
                counts.add(task, configVersion, healthChecked, maxFailures, readiness);
            }
        } else {
            counts.staged = app.path("tasksStaged").asInt();
            counts.running = app.path("tasksRunning").asInt();
            counts.healthy = app.path("tasksHealthy").asInt();
            counts.unhealthy = app.path("tasksUnhealthy").asInt();
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
                counts.staged,
                counts.running,
                counts.healthy,
                counts.unhealthy,
                counts.old,
                counts.healthProblems,
                failureText,
                failure.path("version").asText(null),
                failure.isObject()
                        ? failure.path("taskId").asText() + "@" + failure.path("timestamp").asText()
                        : null,
                counts.grace,
                counts.notReady,
                counts.unreachable,
                counts.readinessProblems,
                counts.kills);
    }

    private static final class Counts {
        int staged;
        int running;
        int healthy;
        int unhealthy;
        int grace;
        int notReady;
        int unreachable;
        int old;
        final List<String> healthProblems = new ArrayList<>();
        final List<String> readinessProblems = new ArrayList<>();
        final Map<String, String> kills = new LinkedHashMap<>();

        void add(
                JsonNode task,
                String configVersion,
                boolean healthChecked,
                int maxFailures,
                Map<String, JsonNode> readiness) {
            String state = task.path("state").asText();
            if (isTerminal(state)) {
                return;
            }
            String version = task.path("version").asText("");
            if (state.equals("TASK_UNREACHABLE") || version.isEmpty()) {
                unreachable++;
                return;
            }
            if (version.compareTo(configVersion) < 0) {
                old++;
                return;
            }
            if (!state.equals("TASK_RUNNING")) {
                staged++;
                return;
            }
            running++;
            JsonNode results = task.path("healthCheckResults");
            boolean allAlive = results.size() > 0;
            boolean failing = false;
            for (JsonNode result : results) {
                if (result.path("alive").asBoolean(false)) {
                    continue;
                }
                allAlive = false;
                int failures = result.path("consecutiveFailures").asInt();
                if (failures > 0 || result.hasNonNull("lastFailure")) {
                    failing = true;
                    healthProblems.add(describeHealth(task, result));
                    if (maxFailures > 0 && failures >= maxFailures) {
                        kills.put(task.path("id").asText(), describeHealth(task, result));
                    }
                }
            }
            if (healthChecked && !allAlive) {
                if (failing) {
                    unhealthy++;
                } else if (results.size() > 0) {
                    grace++;
                }
                return;
            }
            JsonNode ready = readiness.get(task.path("id").asText());
            if (ready != null && !ready.path("ready").asBoolean(false)) {
                notReady++;
                readinessProblems.add(describeReadiness(task, ready));
                return;
            }
            if (healthChecked) {
                healthy++;
            }
        }
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
                    .append(" consecutive health check failures");
        }
        if (result.hasNonNull("lastFailureCause")) {
            text.append(", last cause \"")
                    .append(result.path("lastFailureCause").asText())
                    .append('"');
        }
        return text.toString();
    }

    private static String describeReadiness(JsonNode task, JsonNode result) {
        StringBuilder text =
                new StringBuilder("Readiness check ")
                        .append(result.path("name").asText("readinessCheck"))
                        .append(" of task ")
                        .append(task.path("id").asText())
                        .append(": not ready");
        JsonNode response = result.path("lastResponse");
        if (response.isObject()) {
            text.append(" (HTTP ").append(response.path("status").asInt());
            String body = response.path("body").asText("");
            if (!body.isBlank()) {
                text.append(" \"")
                        .append(body.length() > 200 ? body.substring(0, 200) + "…" : body)
                        .append('"');
            }
            text.append(')');
        }
        return text.toString();
    }

    /**
     * True when the new configuration runs on all wanted instances, healthy when health checks
     * exist, ready, and no old task remains.
     */
    public boolean complete() {
        boolean ready = healthChecked ? healthy == wanted && unhealthy == 0 : running == wanted;
        return ready && staged == 0 && old == 0 && notReady == 0;
    }

    /**
     * "3/5 healthy, 1 unhealthy, 1 in health-check grace period, 1 staged, 2 old" (or "n/m running"
     * without health checks).
     */
    public String line() {
        StringBuilder line = new StringBuilder();
        if (healthChecked) {
            line.append(healthy).append('/').append(wanted).append(" healthy");
            int waiting = running - healthy - unhealthy - inGrace - notReady;
            if (unhealthy > 0) {
                line.append(", ").append(unhealthy).append(" unhealthy");
            }
            if (inGrace > 0) {
                line.append(", ").append(inGrace).append(" in health-check grace period");
            }
            if (waiting > 0) {
                line.append(", ").append(waiting).append(" running (health pending)");
            }
        } else {
            line.append(running - notReady).append('/').append(wanted).append(" running");
        }
        if (notReady > 0) {
            line.append(", ").append(notReady).append(" not ready");
        }
        if (staged > 0) {
            line.append(", ").append(staged).append(" staged");
        }
        if (unreachable > 0) {
            line.append(", ").append(unreachable).append(" unreachable");
        }
        if (old > 0) {
            line.append(", ").append(old).append(" old");
        }
        return line.toString();
    }
}
