package io.jenkins.plugins.mesosagents.engine;

/**
 * One validation problem of an agent template: the field (as the UI names it) and what to do about
 * it.
 */
public record TemplateProblem(String field, String message) {
    @Override
    public String toString() {
        return field + ": " + message;
    }
}
