package io.jenkins.plugins.mesosagents.cloud;

import hudson.util.FormValidation;

import io.jenkins.plugins.mesosagents.engine.InvalidTemplateException;
import io.jenkins.plugins.mesosagents.engine.TemplateProblem;
import io.jenkins.plugins.mesosagents.settings.NumberText;
import io.jenkins.plugins.mesosagents.settings.TemplateSettings;
import io.jenkins.plugins.mesosagents.settings.TemplateText;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * Adapts the Jenkins-free template rules to a form field's FormValidation: a template with the
 * form's defaults and the one value under check goes through {@link
 * TemplateSettings#toAgentTemplate}, and the problems reported for that field become the message.
 * No rule is written here, so the form, the session and JCasC cannot disagree.
 */
final class FieldCheck {
    private FieldCheck() {}

    static FormValidation template(String field, TemplateSettings.Builder settings) {
        return template(field, settings.build());
    }

    static FormValidation template(String field, TemplateSettings settings) {
        try {
            settings.toAgentTemplate(null);
            return FormValidation.ok();
        } catch (InvalidTemplateException e) {
            return MesosAgentTemplate.DescriptorImpl.problems(about(field, e.problems()));
        }
    }

    static FormValidation decimal(
            String field,
            String text,
            double blank,
            BiConsumer<TemplateSettings.Builder, Double> set) {
        TemplateText.Parsed<Double> parsed = NumberText.decimal(field, text, blank);
        if (!parsed.problems().isEmpty()) {
            return MesosAgentTemplate.DescriptorImpl.problems(parsed.problems());
        }
        TemplateSettings.Builder b = TemplateSettings.builder("t");
        set.accept(b, parsed.value());
        return template(field, b);
    }

    static FormValidation integer(
            String field,
            String text,
            int blank,
            BiConsumer<TemplateSettings.Builder, Integer> set) {
        return integer(field, field, text, blank, set);
    }

    static FormValidation integer(
            String field,
            String engineField,
            String text,
            int blank,
            BiConsumer<TemplateSettings.Builder, Integer> set) {
        TemplateText.Parsed<Integer> parsed = NumberText.integer(field, text, blank);
        if (!parsed.problems().isEmpty()) {
            return MesosAgentTemplate.DescriptorImpl.problems(parsed.problems());
        }
        TemplateSettings.Builder b = TemplateSettings.builder("t");
        set.accept(b, parsed.value());
        return template(engineField, b);
    }

    /** The problems of one field: its own, and per-line ones such as {@code constraints[...]}. */
    static List<TemplateProblem> about(String field, List<TemplateProblem> problems) {
        return problems.stream()
                .filter(p -> p.field().equals(field) || p.field().startsWith(field + "["))
                .toList();
    }
}
