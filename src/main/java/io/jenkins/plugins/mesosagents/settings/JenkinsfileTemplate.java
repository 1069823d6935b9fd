package io.jenkins.plugins.mesosagents.settings;

import io.jenkins.plugins.mesosagents.engine.InvalidTemplateException;
import io.jenkins.plugins.mesosagents.engine.TemplateProblem;
import io.jenkins.plugins.mesosagents.image.ImageReference;
import io.jenkins.plugins.mesosagents.image.InvalidImageReferenceException;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A template declared in a Jenkinsfile ({@code mesosAgent(cpus: 2, image: 'gradle:8') {…}}, or the
 * declarative {@code agent { mesosAgent {…} }}): the one conversion of its named arguments into
 * {@link TemplateSettings}. The arguments are the template's JCasC keys (the builder methods of
 * {@link TemplateSettings.Builder}) and, written directly or in a {@code container:} map, the
 * container's keys (those of {@link ContainerSetup.Builder} plus {@code type} and {@code image}).
 * The template's name, labels and usage are generated, and its agents are single-use unless {@code
 * singleUse: false} is given. Credentials can only come from the cloud template it inherits from,
 * and only for that template's registry. Values are the Groovy ones a Jenkinsfile passes: strings
 * (or lists of lines), numbers, booleans.
 */
public final class JenkinsfileTemplate {
    /** The argument naming the cloud (default: the only Mesos cloud); not a template field. */
    public static final String CLOUD = "cloud";

    /** The argument naming the cloud template whose values are the defaults. */
    public static final String INHERIT_FROM = "inheritFrom";

    /** The argument holding the container's keys as a map (as in JCasC). */
    public static final String CONTAINER = "container";

    /** Template keys a Jenkinsfile does not choose: the step generates them. */
    private static final Set<String> GENERATED = Set.of("name", "labelString", "mode");

    /** Container keys that name secrets of the controller or of Mesos: only cloud templates. */
    private static final Set<String> CLOUD_ONLY = Set.of("pullCredentialsId", "pullSecretName");

    private JenkinsfileTemplate() {}

    /** Every argument name a Jenkinsfile template accepts. */
    public static Set<String> argumentNames() {
        Set<String> names = new TreeSet<>(templateKeys());
        names.addAll(containerKeys());
        names.removeAll(CLOUD_ONLY);
        names.add(CLOUD);
        names.add(INHERIT_FROM);
        return names;
    }

    /**
     * The template a Jenkinsfile declares.
     *
     * @param name the generated template name (unique)
     * @param label the generated label its agents carry (MESOS_LABEL in the body)
     * @param arguments the named arguments; {@code cloud} and {@code inheritFrom} are ignored here
     * @param parent the effective settings of the {@code inheritFrom} template, or null
     * @throws InvalidTemplateException naming every argument that is unknown, of the wrong type or
     *     not for a Jenkinsfile
     */
    public static TemplateSettings settings(
            String name, String label, Map<String, ?> arguments, TemplateSettings parent) {
        List<TemplateProblem> problems = new ArrayList<>();
        Map<String, Object> template = new LinkedHashMap<>();
        Map<String, Object> container = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : arguments.entrySet()) {
            String key = e.getKey();
            if (key.equals(CLOUD) || key.equals(INHERIT_FROM)) {
                continue;
            }
            if (GENERATED.contains(key)) {
                problems.add(
                        new TemplateProblem(
                                key,
                                "is chosen by mesosAgent (the body finds the label in"
                                        + " env.MESOS_LABEL); leave it out"));
            } else if (key.equals(CONTAINER)) {
                if (e.getValue() instanceof Map<?, ?> map) {
                    map.forEach((k, v) -> container.put(String.valueOf(k), v));
                } else {
                    problems.add(
                            new TemplateProblem(
                                    key,
                                    "must be a map of container keys, e.g. [image: 'gradle:8']"));
                }
            } else if (containerKeys().contains(key)) {
                container.put(key, e.getValue());
            } else if (templateKeys().contains(key)) {
                template.put(key, e.getValue());
            } else {
                problems.add(
                        new TemplateProblem(
                                key,
                                "is no argument of mesosAgent; known: "
                                        + String.join(", ", argumentNames())));
            }
        }
        for (String key : CLOUD_ONLY) {
            if (container.containsKey(key)) {
                container.remove(key);
                problems.add(
                        new TemplateProblem(
                                "container." + key,
                                "names a secret, which only the cloud's administrator may choose:"
                                        + " inheritFrom a cloud template that has it"));
            }
        }
        TemplateSettings.Builder b =
                parent == null ? TemplateSettings.builder(name) : parent.toBuilder(name);
        b.labelString(label).mode("EXCLUSIVE").inheritFrom("").singleUse(true);
        bind(b, template, "", problems);
        ContainerSetup base = parent == null ? null : parent.container();
        if (!container.isEmpty()) {
            b.container(container(base, container, problems));
            credentialsStayWithTheirRegistry(base, container, problems);
        }
        if (!problems.isEmpty()) {
            throw new InvalidTemplateException(name, problems);
        }
        return b.build();
    }

    /**
     * Pull credentials of a cloud template are written for its image's registry (DockerPullConfig
     * keys them by it): another registry would receive them.
     */
    private static void credentialsStayWithTheirRegistry(
            ContainerSetup base, Map<String, Object> container, List<TemplateProblem> problems) {
        if (base == null || base.pullCredentialsId().isBlank() || !container.containsKey("image")) {
            return;
        }
        String image = String.valueOf(container.get("image"));
        String registry = registry(image);
        String allowed = registry(base.image());
        if (registry == null || !registry.equals(allowed)) {
            problems.add(
                    new TemplateProblem(
                            "container.image",
                            "'"
                                    + image
                                    + "' is not on "
                                    + allowed
                                    + ", the registry the inherited pull credentials are for; use"
                                    + " an image of "
                                    + allowed
                                    + " or inherit from a template without pull credentials"));
        }
    }

    private static String registry(String image) {
        try {
            return ImageReference.parse(image).registry();
        } catch (InvalidImageReferenceException e) {
            return null;
        }
    }

    /** Every field of the settings, as plain serializable values, for {@link #fromMap}. */
    public static Map<String, Object> toMap(TemplateSettings settings) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Method m : accessors(TemplateSettings.class)) {
            Object value = invoke(m, settings);
            if (value instanceof ContainerSetup c) {
                Map<String, Object> container = new LinkedHashMap<>();
                for (Method cm : accessors(ContainerSetup.class)) {
                    container.put(cm.getName(), invoke(cm, c));
                }
                value = container;
            }
            if (value != null) {
                map.put(m.getName(), value);
            }
        }
        return map;
    }

    /** The settings written by {@link #toMap}. */
    public static TemplateSettings fromMap(Map<String, ?> map) {
        List<TemplateProblem> problems = new ArrayList<>();
        Map<String, Object> fields = new LinkedHashMap<>(map);
        String name = String.valueOf(fields.remove("name"));
        Object container = fields.remove(CONTAINER);
        TemplateSettings.Builder b = TemplateSettings.builder(name);
        bind(b, fields, "", problems);
        if (container instanceof Map<?, ?> c) {
            Map<String, Object> values = new LinkedHashMap<>();
            c.forEach((k, v) -> values.put(String.valueOf(k), v));
            b.container(container(null, values, problems));
        }
        if (!problems.isEmpty()) {
            throw new InvalidTemplateException(name, problems);
        }
        return b.build();
    }

    private static ContainerSetup container(
            ContainerSetup base, Map<String, Object> values, List<TemplateProblem> problems) {
        Map<String, Object> rest = new LinkedHashMap<>(values);
        String type = text(rest.remove("type"), "container.type", problems);
        String image = text(rest.remove("image"), "container.image", problems);
        ContainerSetup.Builder c =
                base == null
                        ? ContainerSetup.builder(type, image)
                        : base.toBuilder(
                                type == null ? base.type() : type,
                                image == null ? base.image() : image);
        bind(c, rest, "container.", problems);
        return c.build();
    }

    private static String text(Object value, String key, List<TemplateProblem> problems) {
        if (value == null) {
            return null;
        }
        Object converted = convert(value, String.class, key, problems);
        return converted == null ? null : (String) converted;
    }

    /** Calls the builder method named like each key with the value converted to its type. */
    private static void bind(
            Object builder,
            Map<String, Object> values,
            String prefix,
            List<TemplateProblem> problems) {
        for (Map.Entry<String, Object> e : values.entrySet()) {
            Method setter = setter(builder.getClass(), e.getKey());
            String key = prefix + e.getKey();
            if (setter == null) {
                problems.add(new TemplateProblem(key, "is no field of a Mesos agent template"));
                continue;
            }
            Class<?> type = setter.getParameterTypes()[0];
            if (type == ContainerSetup.class) {
                continue; // given as container: [..] or as its keys, handled by the caller
            }
            Object value = convert(e.getValue(), type, key, problems);
            if (value != null) {
                try {
                    setter.invoke(builder, value);
                } catch (IllegalAccessException | InvocationTargetException ex) {
                    throw new IllegalStateException("cannot set " + key, ex);
                }
            }
        }
    }

    private static Object convert(
            Object value, Class<?> type, String key, List<TemplateProblem> problems) {
        if (value == null) {
            problems.add(new TemplateProblem(key, "has no value; give one or leave it out"));
            return null;
        }
        if (type == String.class) {
            if (value instanceof List<?> lines) {
                List<String> text = new ArrayList<>();
                lines.forEach(l -> text.add(String.valueOf(l)));
                return String.join("\n", text);
            }
            if (value instanceof Map<?, ?> pairs) {
                List<String> text = new ArrayList<>();
                pairs.forEach((k, v) -> text.add(k + "=" + v));
                return String.join("\n", text);
            }
            if (value instanceof CharSequence
                    || value instanceof Number
                    || value instanceof Boolean) {
                return value.toString();
            }
        } else if (type == double.class) {
            if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
                return n.doubleValue();
            }
            if (value instanceof CharSequence s) {
                TemplateText.Parsed<Double> parsed = NumberText.decimal(key, s.toString(), 0);
                if (parsed.problems().isEmpty() && !s.toString().isBlank()) {
                    return parsed.value();
                }
            }
            problems.add(
                    new TemplateProblem(
                            key, "must be a number (e.g. 0.5 or 2), was '" + value + "'"));
            return null;
        } else if (type == int.class) {
            if (value instanceof Number n
                    && n.doubleValue() == Math.rint(n.doubleValue())
                    && Math.abs(n.doubleValue()) <= Integer.MAX_VALUE) {
                return n.intValue();
            }
            if (value instanceof CharSequence s) {
                TemplateText.Parsed<Integer> parsed = NumberText.integer(key, s.toString(), 0);
                if (parsed.problems().isEmpty() && !s.toString().isBlank()) {
                    return parsed.value();
                }
            }
            problems.add(
                    new TemplateProblem(
                            key, "must be a whole number (e.g. 0, 1 or 10), was '" + value + "'"));
            return null;
        } else if (type == boolean.class) {
            if (value instanceof Boolean b) {
                return b;
            }
            String s = value.toString().strip().toLowerCase(Locale.ROOT);
            if (s.equals("true") || s.equals("false")) {
                return Boolean.parseBoolean(s);
            }
            problems.add(new TemplateProblem(key, "must be true or false, was '" + value + "'"));
            return null;
        }
        problems.add(
                new TemplateProblem(
                        key, "must be text, was a " + value.getClass().getSimpleName()));
        return null;
    }

    private static Set<String> templateKeys() {
        Set<String> keys = setterNames(TemplateSettings.Builder.class);
        keys.add("name");
        keys.removeAll(GENERATED);
        keys.remove(INHERIT_FROM);
        // a warm pool keeps agents of a cloud template ahead of demand; a Jenkinsfile template
        // lives only while its block runs
        keys.remove("warmPool");
        return keys;
    }

    private static Set<String> containerKeys() {
        Set<String> keys = setterNames(ContainerSetup.Builder.class);
        keys.add("type");
        keys.add("image");
        return keys;
    }

    private static Set<String> setterNames(Class<?> builder) {
        Set<String> names = new TreeSet<>();
        for (Method m : builder.getMethods()) {
            if (isSetter(builder, m)) {
                names.add(m.getName());
            }
        }
        return names;
    }

    private static Method setter(Class<?> builder, String key) {
        for (Method m : builder.getMethods()) {
            if (m.getName().equals(key) && isSetter(builder, m)) {
                return m;
            }
        }
        return null;
    }

    private static boolean isSetter(Class<?> builder, Method m) {
        return m.getDeclaringClass() == builder
                && !Modifier.isStatic(m.getModifiers())
                && m.getParameterCount() == 1
                && m.getReturnType() == builder;
    }

    private static Method[] accessors(Class<? extends Record> type) {
        var components = type.getRecordComponents();
        Method[] methods = new Method[components.length];
        for (int i = 0; i < components.length; i++) {
            methods[i] = components[i].getAccessor();
        }
        return methods;
    }

    private static Object invoke(Method accessor, Object target) {
        try {
            return accessor.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + accessor.getName(), e);
        }
    }
}
