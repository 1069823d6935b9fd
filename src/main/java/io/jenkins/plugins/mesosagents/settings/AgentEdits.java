package io.jenkins.plugins.mesosagents.settings;

import io.jenkins.plugins.mesosagents.engine.TemplateProblem;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a user may change on a running Mesos agent's Configure page: its description, executors,
 * labels and usage mode (the fields kubernetes-plugin's KubernetesSlave/configure-entries.jelly
 * makes editable, less the remote root, which the Mesos task's sandbox fixes). Everything else
 * (name, cloud, template, remote root) belongs to the Mesos task and is read-only.
 */
public record AgentEdits(
        String nodeDescription,
        int numExecutors,
        String labelString,
        String mode,
        List<TemplateProblem> problems) {

    public AgentEdits {
        nodeDescription = nodeDescription == null ? "" : nodeDescription.trim();
        labelString = labelString == null ? "" : labelString.trim();
        problems = List.copyOf(problems);
    }

    /**
     * Reads the submitted form's texts; an empty executors box keeps {@code currentExecutors}.
     * Executors must be a whole number from 1 to 100 (the templates' rule) and the mode NORMAL or
     * EXCLUSIVE.
     */
    public static AgentEdits parse(
            String nodeDescription,
            String numExecutors,
            String labelString,
            String mode,
            int currentExecutors,
            String currentMode) {
        List<TemplateProblem> problems = new ArrayList<>();
        TemplateText.Parsed<Integer> executors =
                NumberText.integer("numExecutors", numExecutors, currentExecutors);
        problems.addAll(executors.problems());
        if (executors.problems().isEmpty() && (executors.value() < 1 || executors.value() > 100)) {
            problems.add(
                    new TemplateProblem(
                            "numExecutors", "must be between 1 and 100; was " + executors.value()));
        }
        String m =
                mode == null || mode.isBlank()
                        ? currentMode
                        : mode.strip().toUpperCase(Locale.ROOT);
        if (!TemplateSettings.MODES.contains(m)) {
            problems.add(
                    new TemplateProblem(
                            "mode", "unknown usage '" + m + "'; use NORMAL or EXCLUSIVE"));
        }
        return new AgentEdits(nodeDescription, executors.value(), labelString, m, problems);
    }
}
