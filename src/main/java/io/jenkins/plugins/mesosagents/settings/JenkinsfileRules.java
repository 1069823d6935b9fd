package io.jenkins.plugins.mesosagents.settings;

import io.jenkins.plugins.mesosagents.engine.TemplateProblem;
import io.jenkins.plugins.mesosagents.image.ImageReference;
import io.jenkins.plugins.mesosagents.image.InvalidImageReferenceException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The administrator's rules for templates declared in a Jenkinsfile ({@code mesosAgent}), set on
 * the cloud: whether they are allowed at all ({@code NONE}), only without host access ({@code
 * UNPRIVILEGED}, the default) or with host access where the cloud allows it ({@code ANY}); the
 * image prefixes they may use; and their largest cpus, memory, disk and GPUs (0: no limit). Each
 * violation names the rule's key and the template's value, so a build fails with what to change.
 */
public record JenkinsfileRules(
        String templates,
        boolean allowPrivileged,
        String imagePrefixes,
        double maxCpus,
        double maxMemMb,
        double maxDiskMb,
        int maxGpus) {

    public static final String NONE = "NONE";
    public static final String UNPRIVILEGED = "UNPRIVILEGED";
    public static final String ANY = "ANY";
    public static final List<String> MODES = List.of(UNPRIVILEGED, ANY, NONE);

    public JenkinsfileRules {
        templates =
                templates == null || templates.isBlank()
                        ? UNPRIVILEGED
                        : templates.trim().toUpperCase(Locale.ROOT);
        imagePrefixes = imagePrefixes == null ? "" : imagePrefixes;
    }

    /** The problems of the rules themselves (for the cloud form), each naming its key. */
    public List<TemplateProblem> problems() {
        List<TemplateProblem> problems = new ArrayList<>();
        if (!MODES.contains(templates)) {
            problems.add(
                    new TemplateProblem(
                            "jenkinsfileTemplates",
                            "unknown value '" + templates + "'; use UNPRIVILEGED, ANY or NONE"));
        }
        limit(problems, "jenkinsfileMaxCpus", maxCpus);
        limit(problems, "jenkinsfileMaxMemMb", maxMemMb);
        limit(problems, "jenkinsfileMaxDiskMb", maxDiskMb);
        limit(problems, "jenkinsfileMaxGpus", maxGpus);
        return problems;
    }

    private static void limit(List<TemplateProblem> problems, String key, double value) {
        if (value < 0 || Double.isNaN(value) || Double.isInfinite(value)) {
            problems.add(new TemplateProblem(key, "must be 0 (no limit) or more, was " + value));
        }
    }

    /** Whether Jenkinsfile templates may be declared on this cloud at all. */
    public boolean allowed() {
        return !NONE.equals(templates);
    }

    /**
     * Every rule the template (as it would launch: inherited fields included) breaks, each naming
     * the value and the rule's key; empty when it may launch.
     *
     * @param cloudRoles the roles of the cloud's own templates: a Jenkinsfile template may use one
     *     of them or {@code *}, since the framework subscribes to every template's role
     */
    public List<String> violations(TemplateSettings template, Collection<String> cloudRoles) {
        List<String> violations = new ArrayList<>();
        if (!allowed()) {
            violations.add(
                    "this cloud does not allow templates from a Jenkinsfile (jenkinsfileTemplates:"
                            + " NONE); use a label of one of its templates with node(...)");
            return violations;
        }
        if (!template.role().equals("*") && !cloudRoles.contains(template.role())) {
            violations.add(
                    "role '"
                            + template.role()
                            + "' is no role of this cloud's templates; a Jenkinsfile template uses"
                            + " *"
                            + (cloudRoles.isEmpty()
                                    ? ""
                                    : " or one of " + new TreeSet<>(cloudRoles)));
        }
        max(violations, "cpus", template.cpus(), "jenkinsfileMaxCpus", maxCpus);
        max(violations, "memMb", template.memMb(), "jenkinsfileMaxMemMb", maxMemMb);
        max(violations, "diskMb", template.diskMb(), "jenkinsfileMaxDiskMb", maxDiskMb);
        max(violations, "gpus", template.gpus(), "jenkinsfileMaxGpus", maxGpus);
        List<String> prefixes = TemplateText.lines(imagePrefixes);
        if (!prefixes.isEmpty()) {
            String image = template.container() == null ? "" : template.container().image();
            if (image.isBlank()) {
                violations.add(
                        "no container image: this cloud runs Jenkinsfile templates only in images"
                                + " starting with "
                                + String.join(", ", prefixes)
                                + " (jenkinsfileImagePrefixes)");
            } else {
                String full = normalised(image);
                if (prefixes.stream().noneMatch(full::startsWith)) {
                    violations.add(
                            "image '"
                                    + image
                                    + "' ("
                                    + full
                                    + ") does not start with an allowed prefix: "
                                    + String.join(", ", prefixes)
                                    + " (jenkinsfileImagePrefixes)");
                }
            }
        }
        String why =
                !allowPrivileged
                        ? "is not allowed: the cloud's allowPrivileged switch is off"
                        : UNPRIVILEGED.equals(templates)
                                ? "is not allowed in a Jenkinsfile template (jenkinsfileTemplates:"
                                        + " UNPRIVILEGED)"
                                : null;
        if (why != null) {
            for (TemplateProblem p : HostAccess.of(template, why)) {
                violations.add(p.field() + ": " + p.message());
            }
        }
        return violations;
    }

    /** The reference as Docker resolves it (docker.io/library/… for official images). */
    private static String normalised(String image) {
        try {
            return ImageReference.parse(image).toString();
        } catch (InvalidImageReferenceException e) {
            return image;
        }
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15
                ? Long.toString((long) v)
                : Double.toString(v);
    }

    private static void max(
            List<String> violations, String field, double value, String key, double limit) {
        if (limit > 0 && value > limit) {
            violations.add(
                    field
                            + " "
                            + format(value)
                            + " is above this cloud's limit for Jenkinsfile templates ("
                            + key
                            + ": "
                            + format(limit)
                            + ")");
        }
    }
}
