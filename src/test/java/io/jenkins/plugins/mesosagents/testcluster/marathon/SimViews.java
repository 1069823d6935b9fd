package io.jenkins.plugins.mesosagents.testcluster.marathon;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jenkins.plugins.mesosagents.testcluster.marathon.SimModel.App;
import io.jenkins.plugins.mesosagents.testcluster.marathon.SimModel.Deployment;
import io.jenkins.plugins.mesosagents.testcluster.marathon.SimModel.Task;

import java.util.List;

/**
 * How the simulated Marathon shows its records: AppInfo with tasks, deployments and readiness
 * results, the versioned definitions with the defaults Marathon fills in, and task JSON.
 */
final class SimViews {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private SimViews() {}

    static ObjectNode versionedDefinition(App app) {
        ObjectNode json = withDefaults(app.definition);
        json.put("version", app.version);
        json.putObject("versionInfo")
                .put("lastScalingAt", app.lastScalingAt)
                .put("lastConfigChangeAt", app.lastConfigChangeAt);
        return json;
    }

    /**
     * Marathon answers with every field filled in; the defaults are those of RAML types/app.raml.
     */
    static ObjectNode withDefaults(ObjectNode definition) {
        ObjectNode json = JSON.objectNode();
        json.put("id", definition.path("id").asText());
        json.put("instances", 1)
                .put("cpus", 1.0)
                .put("mem", 128.0)
                .put("disk", 0.0)
                .put("gpus", 0)
                .put("backoffFactor", 1.15)
                .put("backoffSeconds", 1)
                .put("maxLaunchDelaySeconds", 300)
                .put("executor", "")
                .put("requirePorts", false);
        json.putObject("env");
        json.putObject("labels");
        json.putArray("healthChecks");
        json.putObject("upgradeStrategy")
                .put("minimumHealthCapacity", 1.0)
                .put("maximumOverCapacity", 1.0);
        json.put("killSelection", "YOUNGEST_FIRST");
        json.putObject("unreachableStrategy")
                .put("inactiveAfterSeconds", 0)
                .put("expungeAfterSeconds", 0);
        json.putArray("constraints");
        json.putArray("fetch");
        json.putArray("networks").addObject().put("mode", "host");
        json.putArray("portDefinitions").addObject().put("port", 10000).put("protocol", "tcp");
        json.setAll(definition.deepCopy());
        normalizeNested(json);
        return json;
    }

    /**
     * Nested defaults Marathon fills in (types/healthCheck.raml, types/container.raml,
     * types/unreachableStrategy.raml at v1.10.26), so that a GET never equals what was PUT.
     */
    private static void normalizeNested(ObjectNode json) {
        for (com.fasterxml.jackson.databind.JsonNode check : json.path("healthChecks")) {
            if (check instanceof ObjectNode health) {
                ObjectNode filled = JSON.objectNode();
                filled.put("gracePeriodSeconds", 300)
                        .put("intervalSeconds", 60)
                        .put("maxConsecutiveFailures", 3)
                        .put("timeoutSeconds", 20)
                        .put("delaySeconds", 15)
                        .put("protocol", "HTTP");
                String protocol = health.path("protocol").asText("HTTP");
                if (protocol.endsWith("HTTP") || protocol.endsWith("HTTPS")) {
                    filled.put("path", "/").put("ignoreHttp1xx", false);
                }
                if (!protocol.equals("COMMAND") && !health.has("port")) {
                    filled.put("portIndex", 0);
                }
                filled.setAll(health);
                health.setAll(filled);
            }
        }
        if (json.path("container") instanceof ObjectNode container) {
            if (!container.has("volumes")) {
                container.putArray("volumes");
            }
            if (container.path("docker") instanceof ObjectNode docker) {
                ObjectNode filled = JSON.objectNode();
                filled.put("forcePullImage", false).put("privileged", false);
                filled.putArray("parameters");
                filled.setAll(docker);
                docker.setAll(filled);
            }
        }
    }

    static ObjectNode appInfo(App app, List<Deployment> listed) {
        ObjectNode json = versionedDefinition(app);
        int staged = 0;
        int running = 0;
        int healthy = 0;
        int unhealthy = 0;
        ArrayNode tasks = JSON.arrayNode();
        for (Task task : app.tasks) {
            if (task.state.equals("TASK_RUNNING")) {
                running++;
                if (Boolean.TRUE.equals(task.alive)) {
                    healthy++;
                } else if (Boolean.FALSE.equals(task.alive)) {
                    unhealthy++;
                }
            } else if (!task.unreachable()) {
                staged++;
            }
            tasks.add(taskJson(app, task));
        }
        json.put("tasksStaged", staged)
                .put("tasksRunning", running)
                .put("tasksHealthy", healthy)
                .put("tasksUnhealthy", unhealthy);
        ArrayNode ids = json.putArray("deployments");
        listed.stream()
                .filter(d -> d.appId.equals(app.id()))
                .forEach(d -> ids.addObject().put("id", d.id));
        ArrayNode readiness = json.putArray("readinessCheckResults");
        boolean deploying =
                listed.stream().anyMatch(d -> d.appId.equals(app.id()) && d.stopping < 0);
        if (deploying && app.hasReadinessChecks()) {
            readinessResults(app, readiness);
        }
        json.set("tasks", tasks);
        if (app.lastTaskFailure != null) {
            json.set("lastTaskFailure", app.lastTaskFailure.deepCopy());
        }
        return json;
    }

    static ObjectNode taskJson(App app, Task task) {
        ObjectNode json =
                JSON.objectNode()
                        .put("appId", app.id())
                        .put("host", "agent-" + task.host + ".sim")
                        .put("id", task.id)
                        .put("slaveId", "sim-agent-" + task.host)
                        .put("state", task.state)
                        .put("role", "*");
        // an inactive (e.g. unreachable) task has no version, stagedAt, startedAt nor ports
        // (TaskConversion.scala:25-30 at v1.10.26)
        if (!task.unreachable()) {
            json.put("stagedAt", task.stagedAt).put("version", task.version);
            if (task.startedAt != null) {
                json.put("startedAt", task.startedAt);
            }
        }
        json.putArray("ports").add(31000 + task.host);
        json.putArray("servicePorts").add(10000);
        json.putArray("ipAddresses")
                .addObject()
                .put("ipAddress", "127.0.0." + task.host)
                .put("protocol", "IPv4");
        if (task.alive != null) {
            ObjectNode health =
                    json.putArray("healthCheckResults")
                            .addObject()
                            .put("alive", task.alive)
                            .put("consecutiveFailures", task.consecutiveFailures)
                            .put("instanceId", task.instanceId);
            putIfSet(health, "firstSuccess", task.firstSuccess);
            putIfSet(health, "lastSuccess", task.lastSuccess);
            putIfSet(health, "lastFailure", task.lastFailure);
            putIfSet(health, "lastFailureCause", task.lastFailureCause);
        }
        return json;
    }

    private static void putIfSet(ObjectNode json, String field, String value) {
        if (value != null) {
            json.put(field, value);
        }
    }

    static void readinessResults(App app, ArrayNode results) {
        String name =
                app.definition
                        .path("readinessChecks")
                        .path(0)
                        .path("name")
                        .asText("readinessCheck");
        for (Task task : app.tasks) {
            if (task.configVersion.equals(app.lastConfigChangeAt)
                    && task.state.equals("TASK_RUNNING")
                    && !task.counted) {
                ObjectNode result =
                        results.addObject()
                                .put("name", name)
                                .put("taskId", task.id)
                                .put("ready", task.readinessPassed);
                if (!task.readinessPassed) {
                    result.putObject("lastResponse")
                            .put("status", 503)
                            .put("contentType", "text/plain")
                            .put("body", "not ready (simulated)");
                }
            }
        }
    }
}
