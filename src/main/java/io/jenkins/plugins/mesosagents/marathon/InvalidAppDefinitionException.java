package io.jenkins.plugins.mesosagents.marathon;

import java.util.List;

/**
 * The app definition cannot be deployed as it is: bad JSON (with line and column), an invalid id,
 * missing fields or unknown {@code ${VAR}}s. The message lists every problem with where it is and
 * what to do.
 */
public final class InvalidAppDefinitionException extends IllegalArgumentException {
    private final List<String> problems;

    public InvalidAppDefinitionException(String source, List<String> problems) {
        super(
                "Invalid Marathon app definition "
                        + source
                        + ":\n  - "
                        + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
