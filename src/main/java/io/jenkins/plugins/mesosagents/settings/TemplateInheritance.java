package io.jenkins.plugins.mesosagents.settings;

import io.jenkins.plugins.mesosagents.engine.TemplateProblem;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Template inheritance ({@code inheritFrom}): a template's fields left at the form's default take
 * the value of the template it inherits from, through any chain of parents. As in
 * kubernetes-plugin's PodTemplateUtils.combine, "left at the default" is what unset means on a form
 * (a blank text field binds to its default), so a child cannot set a field back to the default its
 * parent overrides. A template's name, labels and usage are always its own; environment lines add
 * to the parent's (a name set in both takes the child's value). An unknown parent or a cycle is a
 * problem of every template whose chain meets it.
 */
public final class TemplateInheritance {
    private TemplateInheritance() {}

    /** Each template's effective settings (chains merged) and each template's problems by name. */
    public record Resolved(
            Map<String, TemplateSettings> effective, Map<String, List<TemplateProblem>> problems) {
        public Resolved {
            effective = Map.copyOf(effective);
            problems = Map.copyOf(problems);
        }

        public List<TemplateProblem> problems(String name) {
            return problems.getOrDefault(name, List.of());
        }
    }

    /**
     * Resolves every template of a cloud against the others. A template with an unresolvable chain
     * has problems and no effective settings; the first template of a name is the one a child
     * inherits from.
     */
    public static Resolved resolve(List<TemplateSettings> declared) {
        Map<String, TemplateSettings> byName = new LinkedHashMap<>();
        for (TemplateSettings t : declared) {
            byName.putIfAbsent(t.name(), t);
        }
        Map<String, TemplateSettings> effective = new LinkedHashMap<>();
        Map<String, List<TemplateProblem>> problems = new LinkedHashMap<>();
        for (TemplateSettings t : byName.values()) {
            List<TemplateSettings> chain = new ArrayList<>();
            String problem = chain(t, byName::get, chain);
            if (problem != null) {
                problems.put(t.name(), List.of(new TemplateProblem("inheritFrom", problem)));
            } else {
                effective.put(t.name(), mergeChain(chain));
            }
        }
        return new Resolved(effective, problems);
    }

    /**
     * Collects {@code template} and its ancestors, nearest first, into {@code chain}; returns why
     * the chain cannot be resolved (unknown parent, cycle), or null.
     */
    public static String chain(
            TemplateSettings template,
            Function<String, TemplateSettings> lookup,
            List<TemplateSettings> chain) {
        List<String> names = new ArrayList<>();
        TemplateSettings current = template;
        while (true) {
            if (names.contains(current.name())) {
                names.add(current.name());
                return "inherits in a cycle: "
                        + String.join(" → ", names)
                        + "; remove inheritFrom from one of them";
            }
            names.add(current.name());
            chain.add(current);
            if (current.inheritFrom().isBlank()) {
                return null;
            }
            TemplateSettings parent = lookup.apply(current.inheritFrom());
            if (parent == null) {
                return (current == template ? "" : "its ancestor " + current.name() + " ")
                        + "inherits from '"
                        + current.inheritFrom()
                        + "', which is no template of this cloud; use the name of one of its"
                        + " templates or leave inheritFrom empty";
            }
            current = parent;
        }
    }

    /** Merges a chain collected by {@link #chain}, from its root down to its first element. */
    public static TemplateSettings mergeChain(List<TemplateSettings> chain) {
        TemplateSettings merged = chain.get(chain.size() - 1);
        for (int i = chain.size() - 2; i >= 0; i--) {
            merged = merge(merged, chain.get(i));
        }
        return merged;
    }

    /** The child with every field left at its default taken from {@code parent}. */
    public static TemplateSettings merge(TemplateSettings parent, TemplateSettings child) {
        TemplateSettings d = TemplateSettings.builder(child.name()).build();
        return TemplateSettings.builder(child.name())
                .labelString(child.labelString())
                .mode(child.mode())
                .cpus(pick(child.cpus(), d.cpus(), parent.cpus()))
                .memMb(pick(child.memMb(), d.memMb(), parent.memMb()))
                .jvmHeapMb(pick(child.jvmHeapMb(), d.jvmHeapMb(), parent.jvmHeapMb()))
                .diskMb(pick(child.diskMb(), d.diskMb(), parent.diskMb()))
                .gpus(pick(child.gpus(), d.gpus(), parent.gpus()))
                .hostPorts(pick(child.hostPorts(), d.hostPorts(), parent.hostPorts()))
                .role(pick(child.role(), d.role(), parent.role()))
                .user(pick(child.user(), d.user(), parent.user()))
                .executors(pick(child.executors(), d.executors(), parent.executors()))
                .remoteFsRoot(pick(child.remoteFsRoot(), d.remoteFsRoot(), parent.remoteFsRoot()))
                .jvmOptions(pick(child.jvmOptions(), d.jvmOptions(), parent.jvmOptions()))
                .agentArguments(
                        pick(child.agentArguments(), d.agentArguments(), parent.agentArguments()))
                .environment(environment(parent.environment(), child.environment()))
                .fetchUris(pick(child.fetchUris(), d.fetchUris(), parent.fetchUris()))
                .container(container(parent.container(), child.container()))
                .constraints(pick(child.constraints(), d.constraints(), parent.constraints()))
                .faultDomain(pick(child.faultDomain(), d.faultDomain(), parent.faultDomain()))
                .region(pick(child.region(), d.region(), parent.region()))
                .zone(pick(child.zone(), d.zone(), parent.zone()))
                .instanceCap(pick(child.instanceCap(), d.instanceCap(), parent.instanceCap()))
                .idleTerminationMinutes(
                        pick(
                                child.idleTerminationMinutes(),
                                d.idleTerminationMinutes(),
                                parent.idleTerminationMinutes()))
                .singleUse(pick(child.singleUse(), d.singleUse(), parent.singleUse()))
                .launchTimeoutSeconds(
                        pick(
                                child.launchTimeoutSeconds(),
                                d.launchTimeoutSeconds(),
                                parent.launchTimeoutSeconds()))
                .webSocket(pick(child.webSocket(), d.webSocket(), parent.webSocket()))
                .inheritFrom(child.inheritFrom())
                // a pool keeps agents of its own template: a parent's pool is not the child's
                .warmPool(child.warmPool())
                .build();
    }

    private static ContainerSetup container(ContainerSetup parent, ContainerSetup child) {
        if (child == null || parent == null) {
            return child == null ? parent : child;
        }
        ContainerSetup d = ContainerSetup.builder(null, null).build();
        return ContainerSetup.builder(
                        pick(child.type(), d.type(), parent.type()),
                        pick(child.image(), d.image(), parent.image()))
                .useImageEntrypoint(
                        pick(
                                child.useImageEntrypoint(),
                                d.useImageEntrypoint(),
                                parent.useImageEntrypoint()))
                .network(pick(child.network(), d.network(), parent.network()))
                .cniNetworks(pick(child.cniNetworks(), d.cniNetworks(), parent.cniNetworks()))
                .portMappings(pick(child.portMappings(), d.portMappings(), parent.portMappings()))
                .privileged(pick(child.privileged(), d.privileged(), parent.privileged()))
                .forcePull(pick(child.forcePull(), d.forcePull(), parent.forcePull()))
                .dockerParameters(
                        pick(
                                child.dockerParameters(),
                                d.dockerParameters(),
                                parent.dockerParameters()))
                .volumes(pick(child.volumes(), d.volumes(), parent.volumes()))
                .pullCredentialsId(
                        pick(
                                child.pullCredentialsId(),
                                d.pullCredentialsId(),
                                parent.pullCredentialsId()))
                .pullSecretName(
                        pick(child.pullSecretName(), d.pullSecretName(), parent.pullSecretName()))
                .runAsTaskUser(
                        pick(child.runAsTaskUser(), d.runAsTaskUser(), parent.runAsTaskUser()))
                .build();
    }

    private static String environment(String parent, String child) {
        if (child.isBlank()) {
            return parent;
        }
        if (parent.isBlank()) {
            return child;
        }
        // TemplateText.environment keeps the last line of a name: the child's
        return parent.stripTrailing() + "\n" + child;
    }

    private static <T> T pick(T child, T unset, T parent) {
        return Objects.equals(child, unset) ? parent : child;
    }
}
