package io.jenkins.plugins.mesosagents.settings;

import io.jenkins.plugins.mesosagents.engine.TemplateProblem;

import java.util.List;

/**
 * Reads a number typed into a form's text box. A blank box means the field's default; anything else
 * that is not a number is a problem naming the field and the text, never a silent 0 (which is what
 * binding the text to a primitive {@code double} or {@code int} would give, see the setters of the
 * cloud's form classes).
 */
public final class NumberText {
    private NumberText() {}

    /** A decimal such as {@code 0.5} or {@code 2}. */
    public static TemplateText.Parsed<Double> decimal(String field, String text, double blank) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            return new TemplateText.Parsed<>(blank, List.of());
        }
        try {
            double v = Double.parseDouble(t);
            if (Double.isFinite(v)) {
                return new TemplateText.Parsed<>(v, List.of());
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        return new TemplateText.Parsed<>(
                blank,
                List.of(new TemplateProblem(field, "'" + t + "' is not a number (e.g. 0.5 or 2)")));
    }

    /** A whole number such as {@code 3}. */
    public static TemplateText.Parsed<Integer> integer(String field, String text, int blank) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            return new TemplateText.Parsed<>(blank, List.of());
        }
        try {
            return new TemplateText.Parsed<>(Integer.parseInt(t), List.of());
        } catch (NumberFormatException e) {
            return new TemplateText.Parsed<>(
                    blank,
                    List.of(
                            new TemplateProblem(
                                    field, "'" + t + "' is not a whole number (e.g. 0, 1 or 10)")));
        }
    }
}
