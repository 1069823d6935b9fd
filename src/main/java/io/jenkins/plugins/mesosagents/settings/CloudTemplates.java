package io.jenkins.plugins.mesosagents.settings;

import io.jenkins.plugins.mesosagents.engine.InvalidTemplateException;
import io.jenkins.plugins.mesosagents.engine.SecretValue;
import io.jenkins.plugins.mesosagents.engine.TemplateProblem;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A cloud's templates as they run: each one's effective settings ({@link TemplateInheritance}) and
 * everything that keeps it from receiving jobs: its own problems as declared (e.g. a number field
 * that was not a number, also for every template inheriting from it), an unknown parent or a cycle,
 * host access the cloud does not allow ({@link HostAccess}), and the engine's validation of the
 * merged result. Pull credentials are not resolved here (a placeholder stands in), so this needs no
 * credentials store.
 */
public final class CloudTemplates {
    private static final SecretValue PULL_PLACEHOLDER = SecretValue.of("{\"auths\":{}}");

    private final List<TemplateSettings> declared;
    private final Map<String, TemplateSettings> effective;
    private final Map<String, List<TemplateProblem>> problems = new LinkedHashMap<>();

    private CloudTemplates(
            List<TemplateSettings> declared,
            boolean allowPrivileged,
            Map<String, List<TemplateProblem>> declaredProblems) {
        this.declared = List.copyOf(declared);
        TemplateInheritance.Resolved resolved = TemplateInheritance.resolve(declared);
        this.effective = resolved.effective();
        Map<String, TemplateSettings> byName = new LinkedHashMap<>();
        declared.forEach(t -> byName.putIfAbsent(t.name(), t));
        for (TemplateSettings t : byName.values()) {
            List<TemplateProblem> found = new ArrayList<>(resolved.problems(t.name()));
            found.addAll(declaredProblems.getOrDefault(t.name(), List.of()));
            TemplateSettings merged = effective.get(t.name());
            if (merged != null) {
                List<TemplateSettings> chain = new ArrayList<>();
                TemplateInheritance.chain(t, byName::get, chain);
                for (TemplateSettings ancestor : chain.subList(1, chain.size())) {
                    if (!declaredProblems.getOrDefault(ancestor.name(), List.of()).isEmpty()) {
                        found.add(
                                new TemplateProblem(
                                        "inheritFrom",
                                        "inherits from template '"
                                                + ancestor.name()
                                                + "', which has fields to correct first"));
                    }
                }
                if (!allowPrivileged) {
                    found.addAll(HostAccess.refusedByCloud(merged));
                }
                try {
                    merged.toAgentTemplate(
                            merged.container() != null
                                            && !merged.container().pullCredentialsId().isBlank()
                                    ? PULL_PLACEHOLDER
                                    : null);
                } catch (InvalidTemplateException e) {
                    found.addAll(e.problems());
                }
            }
            problems.put(t.name(), List.copyOf(found));
        }
    }

    /**
     * @param declaredProblems problems of templates as declared (by name), e.g. text that was not a
     *     number, which make them and their descendants invalid
     */
    public static CloudTemplates of(
            List<TemplateSettings> declared,
            boolean allowPrivileged,
            Map<String, List<TemplateProblem>> declaredProblems) {
        return new CloudTemplates(declared, allowPrivileged, declaredProblems);
    }

    /** The template with its parents' values merged in; null for an unknown name or a bad chain. */
    public TemplateSettings effective(String name) {
        return effective.get(name);
    }

    /** Why the named template receives no jobs; empty when it is valid. */
    public List<TemplateProblem> problems(String name) {
        return problems.getOrDefault(name, List.of());
    }

    public boolean isValid(String name) {
        return effective.containsKey(name) && problems(name).isEmpty();
    }

    /** The effective settings of the valid templates, in the cloud's order. */
    public List<TemplateSettings> valid() {
        List<TemplateSettings> valid = new ArrayList<>();
        for (TemplateSettings t : declared) {
            if (isValid(t.name()) && !valid.contains(effective.get(t.name()))) {
                valid.add(effective.get(t.name()));
            }
        }
        return valid;
    }

    /** The declared names, for messages listing what exists. */
    public List<String> names() {
        return declared.stream().map(TemplateSettings::name).distinct().toList();
    }
}
