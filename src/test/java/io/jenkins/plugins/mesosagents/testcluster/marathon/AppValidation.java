package io.jenkins.plugins.mesosagents.testcluster.marathon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The simulator's own check of an app definition, answering 422 like Marathon ({@code "Object is
 * not valid"} with {@code details[{path, errors[]}]}). Independent of the plugin's client-side
 * validation on purpose.
 */
final class AppValidation {
    private static final Pattern SEGMENT =
            Pattern.compile(
                    "^(([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])\\.)*([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])|(\\.|\\.\\.)$");
    private static final List<String> RESERVED = List.of("restart", "tasks", "versions", ".", "..");

    private AppValidation() {}

    /** Null when valid, else the 422 body. */
    static ObjectNode check(ObjectNode app) {
        Map<String, String> errors = new LinkedHashMap<>();
        String id = app.path("id").asText("");
        String[] segments = (id.startsWith("/") ? id.substring(1) : id).split("/", -1);
        if (id.isEmpty() || id.equals("/")) {
            errors.put("/id", "Path must contain at least one path element");
        } else {
            for (String segment : segments) {
                if (!SEGMENT.matcher(segment).matches()) {
                    errors.put(
                            "/id",
                            "must fully match regular expression '" + SEGMENT.pattern() + "'");
                }
            }
            if (RESERVED.contains(segments[segments.length - 1])) {
                errors.put(
                        "/id",
                        "must not end with any of the following reserved keywords: "
                                + String.join(", ", RESERVED));
            }
        }
        boolean cmd = app.hasNonNull("cmd");
        boolean args = app.hasNonNull("args");
        boolean container = app.hasNonNull("container");
        if (!((cmd ^ args) || (!(cmd && args) && container))) {
            errors.put(
                    "/",
                    "AppDefinition must either contain one of 'cmd' or 'args', and/or a"
                            + " 'container'.");
        }
        JsonNode instances = app.get("instances");
        if (instances != null && (!instances.isIntegralNumber() || instances.asInt() < 0)) {
            errors.put("/instances", "got " + instances + ", expected 0 or more");
        }
        JsonNode cpus = app.get("cpus");
        if (cpus != null && (!cpus.isNumber() || cpus.asDouble() < 0.001)) {
            errors.put("/cpus", "got " + cpus + ", expected 0.001 or more");
        }
        JsonNode mhc = app.path("upgradeStrategy").get("minimumHealthCapacity");
        if (mhc != null && mhc.asDouble() > 1) {
            errors.put("/upgradeStrategy/minimumHealthCapacity", "is greater than 1");
        }
        if (app.path("container").has("docker")
                && !app.path("container").path("docker").path("image").isTextual()) {
            errors.put("/container/docker/image", "error.path.missing");
        }
        if (errors.isEmpty()) {
            return null;
        }
        ObjectNode body =
                JsonNodeFactory.instance.objectNode().put("message", "Object is not valid");
        ArrayNode details = body.putArray("details");
        errors.forEach(
                (path, error) ->
                        details.addObject().put("path", path).putArray("errors").add(error));
        return body;
    }
}
