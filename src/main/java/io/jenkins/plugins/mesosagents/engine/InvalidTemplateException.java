package io.jenkins.plugins.mesosagents.engine;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when an agent template is built with invalid settings; carries every problem found, not
 * just the first.
 */
public final class InvalidTemplateException extends IllegalArgumentException {
    private final transient List<TemplateProblem> problems;

    public InvalidTemplateException(String templateName, List<TemplateProblem> problems) {
        super(
                "Agent template '"
                        + templateName
                        + "' is invalid: "
                        + problems.stream()
                                .map(TemplateProblem::toString)
                                .collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    public List<TemplateProblem> problems() {
        return problems;
    }
}
