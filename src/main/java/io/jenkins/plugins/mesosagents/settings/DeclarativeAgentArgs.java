package io.jenkins.plugins.mesosagents.settings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one conversion of a declarative {@code agent { mesosAgent { … } }} block into the named
 * arguments of the {@code mesosAgent} step: template fields keep their names (those of {@link
 * TemplateSettings}, the form and JCasC), the container fields, flat in the block for brevity, go
 * into a {@code container} map like {@link ContainerSetup} (with {@code containerType} as its
 * {@code type}), {@code inheritFrom} and {@code cloud} pass through. Unset (null) and blank values
 * are left out so that the step's defaults and the inherited template apply. Fields that only the
 * declarative block knows ({@code customWorkspace}, {@code retries}) are not arguments.
 */
public final class DeclarativeAgentArgs {

    /** Template fields a Jenkinsfile may set (name and label come from the step). */
    public static final List<String> TEMPLATE_FIELDS =
            List.of(
                    "cpus",
                    "memMb",
                    "jvmHeapMb",
                    "diskMb",
                    "gpus",
                    "hostPorts",
                    "role",
                    "user",
                    "executors",
                    "remoteFsRoot",
                    "jvmOptions",
                    "agentArguments",
                    "environment",
                    "fetchUris",
                    "constraints",
                    "faultDomain",
                    "region",
                    "zone",
                    "instanceCap",
                    "idleTerminationMinutes",
                    "singleUse",
                    "launchTimeoutSeconds",
                    "webSocket");

    /**
     * Declarative field → {@link ContainerSetup} field; not the pull credentials
     * (pullCredentialsId, pullSecretName): the step takes those only from an inherited cloud
     * template.
     */
    public static final Map<String, String> CONTAINER_FIELDS = containerFields();

    /** Arguments of the step itself. */
    public static final List<String> STEP_FIELDS = List.of("inheritFrom", "cloud");

    /** Declarative-only fields, never passed to the step. */
    public static final List<String> BLOCK_FIELDS = List.of("customWorkspace", "retries");

    private DeclarativeAgentArgs() {}

    /**
     * The step's arguments for the block's fields (field name → value; null means unset).
     *
     * @throws IllegalArgumentException naming the field when it is not a field of the block
     */
    public static Map<String, Object> toStepArgs(Map<String, ?> fields) {
        Map<String, Object> args = new TreeMap<>();
        Map<String, Object> container = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : fields.entrySet()) {
            String field = e.getKey();
            Object value = e.getValue();
            boolean known =
                    TEMPLATE_FIELDS.contains(field)
                            || CONTAINER_FIELDS.containsKey(field)
                            || STEP_FIELDS.contains(field)
                            || BLOCK_FIELDS.contains(field);
            if (!known) {
                throw new IllegalArgumentException(
                        "mesosAgent has no field '"
                                + field
                                + "'; its fields are "
                                + String.join(", ", allFields()));
            }
            if (value == null
                    || (value instanceof String s && s.isBlank())
                    || BLOCK_FIELDS.contains(field)) {
                continue;
            }
            if (CONTAINER_FIELDS.containsKey(field)) {
                container.put(CONTAINER_FIELDS.get(field), value);
            } else {
                args.put(field, value);
            }
        }
        if (!container.isEmpty()) {
            args.put("container", Map.copyOf(container));
        }
        return args;
    }

    /** Every field the declarative block accepts, in the order of the lists above. */
    public static List<String> allFields() {
        List<String> all = new java.util.ArrayList<>(TEMPLATE_FIELDS);
        all.addAll(CONTAINER_FIELDS.keySet());
        all.addAll(STEP_FIELDS);
        all.addAll(BLOCK_FIELDS);
        return all;
    }

    private static Map<String, String> containerFields() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("containerType", "type");
        for (String same :
                List.of(
                        "image",
                        "useImageEntrypoint",
                        "network",
                        "cniNetworks",
                        "portMappings",
                        "privileged",
                        "forcePull",
                        "dockerParameters",
                        "volumes",
                        "runAsTaskUser")) {
            m.put(same, same);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
