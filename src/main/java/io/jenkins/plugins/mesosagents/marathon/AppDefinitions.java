package io.jenkins.plugins.mesosagents.marathon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the user's app definition (JSON text or a map) into the definition that gets deployed:
 * apply {@link Overrides}, replace {@code ${VAR}} in string values from the given environment
 * ({@code $${VAR}} keeps a literal {@code ${VAR}}), then validate against Marathon's rules. All
 * problems are reported together.
 */
public final class AppDefinitions {
    /**
     * One path segment of an app id, as Marathon validates it (PathId.scala
     * ID_PATH_SEGMENT_PATTERN).
     */
    private static final Pattern ID_SEGMENT =
            Pattern.compile(
                    "(([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])\\.)*([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])");

    private static final Set<String> RESERVED_LAST_SEGMENTS =
            Set.of("restart", "tasks", "versions");
    private static final Pattern VARIABLE =
            Pattern.compile("\\$\\$\\{|\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AppDefinitions() {}

    /**
     * Renders JSON text; {@code sourceName} (e.g. "marathon.json") prefixes every message. Any bad
     * input, from broken JSON to a value Marathon would refuse, throws {@link
     * InvalidAppDefinitionException} listing every problem, and nothing else (fuzzed:
     * AppDefinitionsFuzzTest).
     */
    public static AppDefinition render(
            String json, String sourceName, Map<String, String> environment, Overrides overrides) {
        return render(JsonSource.parse(sourceName, json), environment, overrides);
    }

    /**
     * Renders a definition given as a map (e.g. from a Pipeline literal); values must be JSON-like.
     */
    public static AppDefinition render(
            Map<String, ?> definition,
            String sourceName,
            Map<String, String> environment,
            Overrides overrides) {
        JsonNode tree;
        try {
            tree = MAPPER.valueToTree(definition);
        } catch (IllegalArgumentException e) {
            throw new InvalidAppDefinitionException(
                    sourceName, List.of("the map cannot be turned into JSON: " + e.getMessage()));
        }
        return render(JsonSource.of(sourceName, tree), environment, overrides);
    }

    private static AppDefinition render(
            JsonSource source, Map<String, String> environment, Overrides overrides) {
        if (!source.root().isObject()) {
            throw new InvalidAppDefinitionException(
                    source.name(),
                    List.of(
                            source.where("")
                                    + ": the app definition must be a JSON object {\"id\": ...,"
                                    + " ...}; pods and groups are not supported here"));
        }
        ObjectNode app = ((ObjectNode) source.root()).deepCopy();
        applyOverrides(app, overrides);
        List<String> problems = new ArrayList<>();
        substitute(app, "", environment, source, problems);
        if (problems.isEmpty()) {
            validate(app, source, problems);
        }
        if (!problems.isEmpty()) {
            throw new InvalidAppDefinitionException(source.name(), problems);
        }
        if (!app.path("id").asText().startsWith("/")) {
            app.put("id", "/" + app.path("id").asText());
        }
        return new AppDefinition(app);
    }

    static void applyOverrides(ObjectNode app, Overrides overrides) {
        if (overrides.id() != null) {
            app.put("id", overrides.id());
        }
        if (overrides.image() != null) {
            ObjectNode container = objectAt(app, "container");
            if (!container.has("type")) {
                container.put("type", "DOCKER");
            }
            objectAt(container, "docker").put("image", overrides.image());
        }
        if (overrides.instances() != null) {
            app.put("instances", overrides.instances());
        }
        if (overrides.cpus() != null) {
            app.put("cpus", overrides.cpus());
        }
        if (overrides.mem() != null) {
            app.put("mem", overrides.mem());
        }
        if (!overrides.env().isEmpty()) {
            ObjectNode env = objectAt(app, "env");
            overrides.env().forEach(env::put);
        }
        if (!overrides.labels().isEmpty()) {
            ObjectNode labels = objectAt(app, "labels");
            overrides.labels().forEach(labels::put);
        }
    }

    private static ObjectNode objectAt(ObjectNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node instanceof ObjectNode object) {
            return object;
        }
        return parent.putObject(field);
    }

    private static void substitute(
            JsonNode node,
            String pointer,
            Map<String, String> environment,
            JsonSource source,
            List<String> problems) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
                    fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String child = pointer + "/" + field.getKey().replace("~", "~0").replace("/", "~1");
                if (field.getValue().isTextual()) {
                    field.setValue(
                            new TextNode(
                                    substitute(
                                            field.getValue().asText(),
                                            child,
                                            environment,
                                            source,
                                            problems)));
                } else {
                    substitute(field.getValue(), child, environment, source, problems);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isTextual()) {
                    array.set(
                            i,
                            new TextNode(
                                    substitute(
                                            array.get(i).asText(),
                                            pointer + "/" + i,
                                            environment,
                                            source,
                                            problems)));
                } else {
                    substitute(array.get(i), pointer + "/" + i, environment, source, problems);
                }
            }
        }
    }

    /**
     * Replaces {@code ${NAME}} with the environment's value; {@code $${NAME}} yields a literal
     * {@code ${NAME}}.
     */
    private static String substitute(
            String text,
            String pointer,
            Map<String, String> environment,
            JsonSource source,
            List<String> problems) {
        if (!text.contains("${")) {
            return text;
        }
        Matcher matcher = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String replacement;
            if (matcher.group(1) == null) {
                replacement = "${";
            } else if (environment.containsKey(matcher.group(1))) {
                replacement = environment.get(matcher.group(1));
            } else {
                problems.add(
                        source.where(pointer)
                                + ": ${"
                                + matcher.group(1)
                                + "} is not set in the build environment;"
                                + " set it (e.g. with withEnv or environment {}) or write $${"
                                + matcher.group(1)
                                + "} to keep it literally");
                replacement = matcher.group();
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** Null when {@code id} is a valid Marathon app id, otherwise what is wrong with it. */
    public static String idProblem(String id) {
        if (id == null || id.isBlank() || id.equals("/")) {
            return "the app id is missing; set \"id\" (e.g. \"/team/my-app\") or the id override";
        }
        String bare = id.startsWith("/") ? id.substring(1) : id;
        String[] segments = bare.split("/", -1);
        for (String segment : segments) {
            if (segment.isEmpty()) {
                return "'" + id + "' has an empty path segment ('//' or a trailing '/')";
            }
            if (segment.equals(".") || segment.equals("..")) {
                return "'"
                        + id
                        + "' contains a relative segment '"
                        + segment
                        + "'; use an absolute id like /team/my-app";
            }
            if (!ID_SEGMENT.matcher(segment).matches()) {
                return "'"
                        + id
                        + "' is not a valid Marathon id: segment '"
                        + segment
                        + "' may only contain lowercase letters, digits, '-' and '.', and must"
                        + " start and end with a letter or digit (e.g. /team/my-app)";
            }
        }
        if (RESERVED_LAST_SEGMENTS.contains(segments[segments.length - 1])) {
            return "'"
                    + id
                    + "' ends with the reserved word '"
                    + segments[segments.length - 1]
                    + "' (reserved: restart, tasks, versions)";
        }
        return null;
    }

    private static void validate(ObjectNode app, JsonSource source, List<String> problems) {
        JsonNode id = app.get("id");
        if (id == null || !id.isTextual()) {
            problems.add(
                    source.where(id == null ? "" : "/id")
                            + ": "
                            + (id == null
                                    ? "\"id\" is missing; set it (e.g. \"/team/my-app\") or pass"
                                            + " the id override"
                                    : "\"id\" must be a string like \"/team/my-app\""));
        } else {
            String problem = idProblem(id.asText());
            if (problem != null) {
                problems.add(source.where("/id") + ": " + problem);
            }
        }
        requireNumber(app, "instances", 0, true, source, problems);
        requireNumber(app, "cpus", 0.001, false, source, problems);
        requireNumber(app, "mem", 0, false, source, problems);
        requireNumber(app, "disk", 0, false, source, problems);
        requireNumber(app, "gpus", 0, true, source, problems);
        boolean cmd = app.hasNonNull("cmd");
        boolean args = app.hasNonNull("args");
        boolean container = app.hasNonNull("container");
        if (!((cmd ^ args) || (!(cmd && args) && container))) {
            problems.add(
                    source.where("")
                            + ": "
                            + (cmd && args
                                    ? "set either \"cmd\" or \"args\", not both"
                                    : "the app needs \"cmd\" or \"args\", and/or a \"container\""
                                            + " (e.g. \"container\": {\"docker\": {\"image\":"
                                            + " ...}})"));
        }
        if (cmd && !app.get("cmd").isTextual()) {
            problems.add(source.where("/cmd") + ": \"cmd\" must be a string");
        }
        if (args && !isArrayOfStrings(app.get("args"))) {
            problems.add(source.where("/args") + ": \"args\" must be an array of strings");
        }
        JsonNode docker = app.path("container").path("docker");
        if (container && !app.get("container").isObject()) {
            problems.add(source.where("/container") + ": \"container\" must be an object");
        } else if (!docker.isMissingNode()) {
            if (!docker.path("image").isTextual() || docker.path("image").asText().isBlank()) {
                problems.add(
                        source.where("/container/docker")
                                + ": \"container.docker.image\" is missing; set it or pass the"
                                + " image override");
            }
        }
        JsonNode env = app.get("env");
        if (env != null) {
            if (!env.isObject()) {
                problems.add(source.where("/env") + ": \"env\" must be an object of NAME: value");
            } else {
                env.fields()
                        .forEachRemaining(
                                e -> {
                                    if (!e.getValue().isTextual()
                                            && !(e.getValue().isObject()
                                                    && e.getValue().has("secret"))) {
                                        problems.add(
                                                source.where("/env/" + e.getKey())
                                                        + ": env values must be strings (quote"
                                                        + " numbers) or {\"secret\": \"name\"}");
                                    }
                                });
            }
        }
        JsonNode labels = app.get("labels");
        if (labels != null) {
            if (!labels.isObject()) {
                problems.add(
                        source.where("/labels") + ": \"labels\" must be an object of name: value");
            } else {
                labels.fields()
                        .forEachRemaining(
                                e -> {
                                    if (!e.getValue().isTextual()) {
                                        problems.add(
                                                source.where("/labels/" + e.getKey())
                                                        + ": label values must be strings (quote"
                                                        + " numbers and booleans)");
                                    }
                                });
            }
        }
        if (app.has("healthChecks") && !app.get("healthChecks").isArray()) {
            problems.add(source.where("/healthChecks") + ": \"healthChecks\" must be an array");
        }
        for (String field : List.of("minimumHealthCapacity", "maximumOverCapacity")) {
            JsonNode value = app.path("upgradeStrategy").get(field);
            if (value != null
                    && (!value.isNumber() || value.asDouble() < 0 || value.asDouble() > 1)) {
                problems.add(
                        source.where("/upgradeStrategy/" + field)
                                + ": must be a number between 0 and 1");
            }
        }
    }

    private static void requireNumber(
            ObjectNode app,
            String field,
            double minimum,
            boolean integral,
            JsonSource source,
            List<String> problems) {
        JsonNode value = app.get(field);
        if (value == null) {
            return;
        }
        if (!value.isNumber()
                || (integral && !value.canConvertToInt())
                || (integral && !value.isIntegralNumber())) {
            problems.add(
                    source.where("/" + field)
                            + ": \""
                            + field
                            + "\" must be "
                            + (integral ? "a whole number" : "a number")
                            + " (without quotes), got "
                            + value);
        } else if (value.asDouble() < minimum) {
            problems.add(
                    source.where("/" + field)
                            + ": \""
                            + field
                            + "\" must be at least "
                            + (integral ? String.valueOf((int) minimum) : String.valueOf(minimum))
                            + ", got "
                            + value);
        }
    }

    private static boolean isArrayOfStrings(JsonNode node) {
        if (!node.isArray()) {
            return false;
        }
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                return false;
            }
        }
        return true;
    }
}
