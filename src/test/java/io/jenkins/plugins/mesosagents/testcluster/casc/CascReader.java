package io.jenkins.plugins.mesosagents.testcluster.casc;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.jenkins.plugins.mesosagents.engine.SecretValue;
import io.jenkins.plugins.mesosagents.settings.CloudSettings;
import io.jenkins.plugins.mesosagents.settings.ContainerSetup;
import io.jenkins.plugins.mesosagents.settings.TemplateSettings;
import io.jenkins.plugins.mesosagents.settings.WarmPoolSetup;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the Mesos cloud from a Jenkins Configuration-as-Code YAML file, in the shape documented in
 * docs/cloud.md ({@code jenkins: clouds: - mesosAgents: {…}}), plus the {@code credentials:}
 * section's {@code usernamePassword} and {@code string} entries, for the test-cluster tools (demo,
 * doctor). Every key is a field name of the cloud form (the {@code @DataBoundConstructor} and
 * {@code @DataBoundSetter} names of MesosCloud, MesosAgentTemplate and ContainerSettings): they are
 * the method names of the {@code settings/} builders, so a key is bound by calling the builder
 * method of that name. Unknown keys, wrong types and unresolved variables are errors naming the
 * file, the key path and what is accepted. Scalars may use {@code ${VAR}}, {@code ${VAR:-default}}
 * (environment) and {@code ${readFile:PATH}} (PATH relative to the YAML file); {@code ^${…}} is a
 * literal {@code ${…}}.
 */
public final class CascReader {
    /** The cloud's JCasC symbol (MesosCloudDescriptor's {@code @Symbol}). */
    public static final String CLOUD_SYMBOL = "mesosAgents";

    private static final Pattern VARIABLE = Pattern.compile("(\\^?)\\$\\{([^}]*)}");
    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory())
                    .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final String source;
    private final Path baseDir;
    private final UnaryOperator<String> environment;

    private CascReader(String source, Path baseDir, UnaryOperator<String> environment) {
        this.source = source;
        this.baseDir = baseDir;
        this.environment = environment;
    }

    /** Reads a JCasC file, resolving {@code ${VAR}} from this process's environment. */
    public static CascConfig read(Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        return parse(
                Files.readString(absolute, StandardCharsets.UTF_8),
                file.toString(),
                absolute.getParent(),
                System::getenv);
    }

    /**
     * Reads JCasC text.
     *
     * @param source how to name the text in errors (usually its path)
     * @param baseDir where {@code ${readFile:…}} paths are relative to
     * @param environment a variable's value, or null when it is not set
     */
    public static CascConfig parse(
            String yaml, String source, Path baseDir, UnaryOperator<String> environment) {
        return new CascReader(source, baseDir, environment).document(yaml);
    }

    /** The keys a {@code mesosAgents:} block accepts. */
    public static Set<String> cloudKeys() {
        return keys(CloudSettings.Builder.class, List.of("name"));
    }

    /** The keys a template accepts. */
    public static Set<String> templateKeys() {
        return keys(TemplateSettings.Builder.class, List.of("name"));
    }

    /** The keys a template's {@code container:} accepts. */
    public static Set<String> containerKeys() {
        return keys(ContainerSetup.Builder.class, List.of("type", "image"));
    }

    /** The keys a template's {@code warmPool:} accepts. */
    public static Set<String> warmPoolKeys() {
        return keys(WarmPoolSetup.Builder.class, List.of());
    }

    private CascConfig document(String yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw error(
                    "is not valid YAML: "
                            + e.getOriginalMessage()
                            + (e.getLocation() == null
                                    ? ""
                                    : " (line " + e.getLocation().getLineNr() + ")"));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw error("is empty; expected 'jenkins: clouds: - " + CLOUD_SYMBOL + ": {…}'");
        }
        Map<String, JsonNode> top = object(root, "", Set.of("jenkins", "credentials"));
        Map<String, CascCredential> credentials = new LinkedHashMap<>();
        if (top.containsKey("credentials")) {
            credentials(top.get("credentials"), credentials);
        }
        List<CascCloud> clouds = new ArrayList<>();
        if (top.containsKey("jenkins")) {
            Map<String, JsonNode> jenkins = object(top.get("jenkins"), "jenkins", Set.of("clouds"));
            JsonNode list = jenkins.get("clouds");
            if (list != null) {
                int i = 0;
                for (JsonNode entry : array(list, "jenkins.clouds")) {
                    String path = "jenkins.clouds[" + i++ + "]";
                    Map<String, JsonNode> cloud = object(entry, path, Set.of(CLOUD_SYMBOL));
                    if (cloud.size() != 1) {
                        throw error(
                                path
                                        + " must be one '"
                                        + CLOUD_SYMBOL
                                        + ":' block (one cloud per list entry)");
                    }
                    String cloudPath = path + "." + CLOUD_SYMBOL;
                    clouds.add(
                            new CascCloud(
                                    cloud(cloud.get(CLOUD_SYMBOL), cloudPath),
                                    source,
                                    cloudPath,
                                    credentials));
                }
            }
        }
        return new CascConfig(source, clouds, credentials);
    }

    private CloudSettings cloud(JsonNode node, String path) {
        Map<String, JsonNode> fields = object(node, path, cloudKeys());
        CloudSettings.Builder builder = CloudSettings.builder(requiredText(fields, "name", path));
        bind(builder, fields, path, Set.of("name"));
        return builder.build();
    }

    private TemplateSettings template(JsonNode node, String path) {
        Map<String, JsonNode> fields = object(node, path, templateKeys());
        TemplateSettings.Builder builder =
                TemplateSettings.builder(requiredText(fields, "name", path));
        bind(builder, fields, path, Set.of("name"));
        return builder.build();
    }

    private ContainerSetup container(JsonNode node, String path) {
        Map<String, JsonNode> fields = object(node, path, containerKeys());
        ContainerSetup.Builder builder =
                ContainerSetup.builder(
                        optionalText(fields, "type", path), optionalText(fields, "image", path));
        bind(builder, fields, path, Set.of("type", "image"));
        return builder.build();
    }

    private WarmPoolSetup warmPool(JsonNode node, String path) {
        Map<String, JsonNode> fields = object(node, path, warmPoolKeys());
        WarmPoolSetup.Builder builder = WarmPoolSetup.builder();
        bind(builder, fields, path, Set.of());
        return builder.build();
    }

    /** Calls the builder method named like each key with the value converted to its type. */
    private void bind(
            Object builder, Map<String, JsonNode> fields, String path, Set<String> constructor) {
        for (Map.Entry<String, JsonNode> field : fields.entrySet()) {
            String key = field.getKey();
            if (constructor.contains(key)) {
                continue;
            }
            String keyPath = path + "." + key;
            Method setter = setter(builder.getClass(), key);
            Class<?> type = setter.getParameterTypes()[0];
            Object value;
            if (type == ContainerSetup.class) {
                value = field.getValue().isNull() ? null : container(field.getValue(), keyPath);
            } else if (type == WarmPoolSetup.class) {
                value = field.getValue().isNull() ? null : warmPool(field.getValue(), keyPath);
            } else if (type == List.class) {
                List<TemplateSettings> templates = new ArrayList<>();
                int i = 0;
                for (JsonNode t : array(field.getValue(), keyPath)) {
                    templates.add(template(t, keyPath + "[" + i++ + "]"));
                }
                value = templates;
            } else {
                value = scalar(field.getValue(), keyPath, type);
            }
            try {
                setter.invoke(builder, value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot set " + keyPath, e);
            }
        }
    }

    private Object scalar(JsonNode node, String path, Class<?> type) {
        if (node.isNull()) {
            if (type == String.class) {
                return null;
            }
            throw error(
                    path + " has no value; write a " + typeName(type) + " or leave the key out");
        }
        if (!node.isValueNode()) {
            throw error(path + " must be " + typeName(type) + ", not a " + node.getNodeType());
        }
        String text = node.isTextual() ? resolve(node.asText(), path) : node.asText();
        if (type == String.class) {
            return text;
        }
        try {
            if (type == int.class) {
                if (node.isFloatingPointNumber()) {
                    throw new NumberFormatException();
                }
                return Integer.parseInt(text.strip());
            }
            if (type == double.class) {
                return Double.parseDouble(text.strip());
            }
        } catch (NumberFormatException e) {
            throw error(path + " must be " + typeName(type) + ", was '" + text + "'");
        }
        if (type == boolean.class) {
            if (text.strip().equalsIgnoreCase("true") || text.strip().equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(text.strip());
            }
            throw error(path + " must be true or false, was '" + text + "'");
        }
        throw new IllegalStateException("no conversion to " + type + " for " + path);
    }

    private static String typeName(Class<?> type) {
        if (type == int.class) {
            return "a whole number";
        }
        if (type == double.class) {
            return "a number";
        }
        if (type == boolean.class) {
            return "true or false";
        }
        return "text";
    }

    private void credentials(JsonNode node, Map<String, CascCredential> into) {
        Map<String, JsonNode> section = object(node, "credentials", Set.of("system"));
        if (!section.containsKey("system")) {
            return;
        }
        Map<String, JsonNode> system =
                object(section.get("system"), "credentials.system", Set.of("domainCredentials"));
        if (!system.containsKey("domainCredentials")) {
            return;
        }
        int d = 0;
        for (JsonNode domain :
                array(system.get("domainCredentials"), "credentials.system.domainCredentials")) {
            String domainPath = "credentials.system.domainCredentials[" + d++ + "]";
            Map<String, JsonNode> entries = object(domain, domainPath, Set.of("credentials"));
            if (!entries.containsKey("credentials")) {
                continue;
            }
            int c = 0;
            for (JsonNode entry : array(entries.get("credentials"), domainPath + ".credentials")) {
                String path = domainPath + ".credentials[" + c++ + "]";
                Map<String, JsonNode> kind =
                        object(entry, path, Set.of("usernamePassword", "string"));
                if (kind.size() != 1) {
                    throw error(path + " must be one 'usernamePassword:' or 'string:' block");
                }
                CascCredential credential =
                        kind.containsKey("string")
                                ? secretText(kind.get("string"), path + ".string")
                                : usernamePassword(
                                        kind.get("usernamePassword"), path + ".usernamePassword");
                if (into.putIfAbsent(credential.id(), credential) != null) {
                    throw error(path + " repeats the credentials id '" + credential.id() + "'");
                }
            }
        }
    }

    private CascCredential usernamePassword(JsonNode node, String path) {
        Map<String, JsonNode> f =
                object(
                        node,
                        path,
                        Set.of(
                                "scope",
                                "id",
                                "description",
                                "username",
                                "password",
                                "usernameSecret"));
        return new CascCredential.UsernamePassword(
                requiredText(f, "id", path),
                requiredText(f, "username", path),
                SecretValue.of(requiredText(f, "password", path)));
    }

    private CascCredential secretText(JsonNode node, String path) {
        Map<String, JsonNode> f =
                object(node, path, Set.of("scope", "id", "description", "secret"));
        return new CascCredential.SecretText(
                requiredText(f, "id", path), SecretValue.of(requiredText(f, "secret", path)));
    }

    private String requiredText(Map<String, JsonNode> fields, String key, String path) {
        String value = optionalText(fields, key, path);
        if (value == null || value.isBlank()) {
            throw error(path + " needs '" + key + ":'");
        }
        return value;
    }

    private String optionalText(Map<String, JsonNode> fields, String key, String path) {
        JsonNode node = fields.get(key);
        return node == null ? null : (String) scalar(node, path + "." + key, String.class);
    }

    /** ${VAR}, ${VAR:-default} and ${readFile:PATH}; ^${…} stays literal. */
    private String resolve(String text, String path) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String expression = m.group(2);
            String replacement;
            if (!m.group(1).isEmpty()) {
                replacement = "${" + expression + "}";
            } else if (expression.startsWith("readFile:")) {
                Path file = baseDir.resolve(expression.substring("readFile:".length()).strip());
                try {
                    replacement = Files.readString(file, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw error(path + " reads " + file + ", which cannot be read: " + e);
                }
            } else {
                int dash = expression.indexOf(":-");
                String name = dash < 0 ? expression : expression.substring(0, dash);
                String value = environment.apply(name.strip());
                if (value == null && dash >= 0) {
                    value = expression.substring(dash + 2);
                }
                if (value == null) {
                    throw error(
                            path
                                    + " uses ${"
                                    + name
                                    + "}, but the environment variable "
                                    + name
                                    + " is not set; set it or write ${"
                                    + name
                                    + ":-default}");
                }
                replacement = value;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private Map<String, JsonNode> object(JsonNode node, String path, Set<String> known) {
        String where = path.isEmpty() ? "the top level" : path;
        if (node == null || !node.isObject()) {
            throw error(
                    where
                            + " must be a mapping of keys ("
                            + String.join(", ", new TreeSet<>(known))
                            + ")");
        }
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!known.contains(field.getKey())) {
                throw error(
                        "unknown key '"
                                + field.getKey()
                                + "' at "
                                + where
                                + "; known keys: "
                                + String.join(", ", new TreeSet<>(known)));
            }
            fields.put(field.getKey(), field.getValue());
        }
        return fields;
    }

    private Iterable<JsonNode> array(JsonNode node, String path) {
        if (node == null || !node.isArray()) {
            throw error(path + " must be a list ('- ' entries)");
        }
        return node;
    }

    private InvalidCascException error(String message) {
        return new InvalidCascException(source + ": " + message);
    }

    private static Set<String> keys(Class<?> builder, List<String> constructor) {
        Set<String> keys = new TreeSet<>(constructor);
        for (Method m : builder.getMethods()) {
            if (isSetter(builder, m)) {
                keys.add(m.getName());
            }
        }
        return keys;
    }

    private static Method setter(Class<?> builder, String key) {
        for (Method m : builder.getMethods()) {
            if (m.getName().equals(key) && isSetter(builder, m)) {
                return m;
            }
        }
        throw new IllegalStateException(builder + " has no method " + key);
    }

    private static boolean isSetter(Class<?> builder, Method m) {
        return m.getDeclaringClass() == builder
                && !Modifier.isStatic(m.getModifiers())
                && m.getParameterCount() == 1
                && m.getReturnType() == builder;
    }
}
