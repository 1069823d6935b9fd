package io.jenkins.plugins.mesosagents.marathon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A readable, line-per-change diff between the app that runs and the app about to be deployed:
 * {@code ~ /container/docker/image: "shop:1" -> "shop:2"}, {@code + /labels/team: "a"}, {@code -
 * /env/OLD: "x"}. Status fields Marathon adds to a running app (tasks, counts, version, …) are
 * ignored, and so are fields the new definition leaves out when the running value is Marathon's
 * default.
 */
public final class JsonDiff {
    /**
     * Read-only status fields of Marathon's AppInfo (RAML types/app.raml AppInfo) and the version
     * fields.
     */
    private static final Set<String> STATUS_FIELDS =
            Set.of(
                    "version",
                    "versionInfo",
                    "tasksStaged",
                    "tasksRunning",
                    "tasksHealthy",
                    "tasksUnhealthy",
                    "deployments",
                    "readinessCheckResults",
                    "tasks",
                    "lastTaskFailure",
                    "tasksStats");

    /**
     * Marathon's defaults for top-level app fields (RAML types/app.raml), so that omitting them is
     * not a change.
     */
    private static final Map<String, JsonNode> DEFAULTS =
            defaults(
                    "{\"instances\": 1, \"cpus\": 1, \"mem\": 128, \"disk\": 0, \"gpus\": 0,"
                        + " \"backoffFactor\": 1.15, \"backoffSeconds\": 1,"
                        + " \"maxLaunchDelaySeconds\": 300, \"executor\": \"\", \"requirePorts\":"
                        + " false, \"killSelection\": \"YOUNGEST_FIRST\", \"upgradeStrategy\":"
                        + " {\"minimumHealthCapacity\": 1, \"maximumOverCapacity\": 1},"
                        + " \"unreachableStrategy\": {\"inactiveAfterSeconds\": 0,"
                        + " \"expungeAfterSeconds\": 0}, \"networks\": [{\"mode\": \"host\"}],"
                        + " \"role\": \"*\"}");

    /**
     * Defaults Marathon fills into nested objects (types/healthCheck.raml, container.raml at
     * v1.10.26; HealthCheck.scala:402-409), by path with array indexes replaced by {@code *}.
     */
    private static final Map<String, JsonNode> NESTED_DEFAULTS =
            defaults(
                    "{\"/healthChecks/*/gracePeriodSeconds\": 300,"
                            + " \"/healthChecks/*/intervalSeconds\": 60,"
                            + " \"/healthChecks/*/timeoutSeconds\": 20,"
                            + " \"/healthChecks/*/maxConsecutiveFailures\": 3,"
                            + " \"/healthChecks/*/delaySeconds\": 15,"
                            + " \"/healthChecks/*/ignoreHttp1xx\": false,"
                            + " \"/healthChecks/*/portIndex\": 0,"
                            + " \"/healthChecks/*/protocol\": \"HTTP\","
                            + " \"/healthChecks/*/path\": \"/\","
                            + " \"/healthChecks/*/ipProtocol\": \"IPv4\","
                            + " \"/container/docker/forcePullImage\": false,"
                            + " \"/container/docker/privileged\": false,"
                            + " \"/portDefinitions/*/protocol\": \"tcp\","
                            + " \"/readinessChecks/*/intervalSeconds\": 30,"
                            + " \"/readinessChecks/*/timeoutSeconds\": 10}");

    private static Map<String, JsonNode> defaults(String json) {
        try {
            Map<String, JsonNode> defaults = new java.util.HashMap<>();
            new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(json)
                    .fields()
                    .forEachRemaining(field -> defaults.put(field.getKey(), field.getValue()));
            return Map.copyOf(defaults);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonDiff() {}

    /**
     * The changes from {@code running} to {@code next}. With {@code partialUpdate} Marathon keeps
     * fields the new definition omits, so those are not reported as removed.
     */
    public static List<String> diff(ObjectNode running, ObjectNode next, boolean partialUpdate) {
        List<String> lines = new ArrayList<>();
        Set<String> fields = new TreeSet<>();
        running.fieldNames().forEachRemaining(fields::add);
        next.fieldNames().forEachRemaining(fields::add);
        for (String field : fields) {
            if (STATUS_FIELDS.contains(field)) {
                continue;
            }
            JsonNode before = running.get(field);
            JsonNode after = next.get(field);
            if (after == null
                    && (partialUpdate
                            || isDefault(field, before)
                            || isAssignedPorts(field, before))) {
                continue;
            }
            compare("/" + field, before, after, lines);
        }
        return lines;
    }

    private static boolean isDefault(String field, JsonNode value) {
        if (value == null || value.isNull() || (value.isContainerNode() && value.isEmpty())) {
            return true;
        }
        JsonNode def = DEFAULTS.get(field);
        if (def == null) {
            return false;
        }
        List<String> differences = new ArrayList<>();
        compare("", value, def, differences);
        return differences.isEmpty();
    }

    /**
     * Left out, portDefinitions default to one port that Marathon assigns: a running app shows that
     * port, which is not a change.
     */
    private static boolean isAssignedPorts(String field, JsonNode value) {
        if (!field.equals("portDefinitions") || !value.isArray() || value.size() != 1) {
            return false;
        }
        JsonNode port = value.get(0);
        java.util.Set<String> fields = new TreeSet<>();
        port.fieldNames().forEachRemaining(fields::add);
        return Set.of("port", "protocol").containsAll(fields)
                && port.path("protocol").asText("tcp").equals("tcp");
    }

    /** A nested value Marathon filled in for a field the new definition leaves out. */
    private static boolean isNestedDefault(String path, JsonNode value) {
        if (value.isNull() || (value.isContainerNode() && value.isEmpty())) {
            return true;
        }
        JsonNode def = NESTED_DEFAULTS.get(path.replaceAll("/\\d+(?=/|$)", "/*"));
        return def != null && same(def, value);
    }

    private static void compare(String path, JsonNode before, JsonNode after, List<String> lines) {
        if (before == null && after == null) {
            return;
        }
        if (after == null && isNestedDefault(path, before)) {
            return;
        }
        if (before == null) {
            lines.add("+ " + path + ": " + after);
        } else if (after == null) {
            lines.add("- " + path + ": " + before);
        } else if (before.isObject() && after.isObject()) {
            Set<String> fields = new TreeSet<>();
            before.fieldNames().forEachRemaining(fields::add);
            after.fieldNames().forEachRemaining(fields::add);
            for (String field : fields) {
                compare(path + "/" + field, before.get(field), after.get(field), lines);
            }
        } else if (before.isArray() && after.isArray() && before.size() == after.size()) {
            for (int i = 0; i < before.size(); i++) {
                compare(path + "/" + i, before.get(i), after.get(i), lines);
            }
        } else if (!same(before, after)) {
            lines.add("~ " + path + ": " + before + " -> " + after);
        }
    }

    private static boolean same(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.asDouble() == b.asDouble();
        }
        return a.equals(b);
    }

    /** Joins the lines for printing; "no changes" when empty. */
    public static String format(List<String> lines) {
        if (lines.isEmpty()) {
            return "no changes";
        }
        StringBuilder out = new StringBuilder();
        for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
            out.append(it.next());
            if (it.hasNext()) {
                out.append('\n');
            }
        }
        return out.toString();
    }
}
