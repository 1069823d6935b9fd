package io.jenkins.plugins.mesosagents.cloud;

import hudson.util.FormValidation;

import io.jenkins.plugins.mesosagents.engine.EngineConfig;
import io.jenkins.plugins.mesosagents.engine.InvalidTemplateException;
import io.jenkins.plugins.mesosagents.engine.TemplateProblem;
import io.jenkins.plugins.mesosagents.settings.CloudSettings;
import io.jenkins.plugins.mesosagents.settings.JenkinsfileRules;
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
            return MesosAgentTemplateDescriptor.problems(about(field, e.problems()));
        }
    }

    static FormValidation decimal(
            String field,
            String text,
            double blank,
            BiConsumer<TemplateSettings.Builder, Double> set) {
        TemplateText.Parsed<Double> parsed = NumberText.decimal(field, text, blank);
        if (!parsed.problems().isEmpty()) {
            return MesosAgentTemplateDescriptor.problems(parsed.problems());
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
            return MesosAgentTemplateDescriptor.problems(parsed.problems());
        }
        TemplateSettings.Builder b = TemplateSettings.builder("t");
        set.accept(b, parsed.value());
        return template(engineField, b);
    }

    /**
     * A cloud-wide field, through the engine's own {@link EngineConfig#problems()}: the cloud's
     * settings with the form's defaults and the one value under check.
     */
    static FormValidation cloud(String engineField, CloudSettings.Builder settings) {
        EngineConfig config = settings.build().engineConfig("http://jenkins/").build();
        return MesosAgentTemplateDescriptor.problems(about(engineField, config.problems()));
    }

    static FormValidation cloudInteger(
            String field, String text, BiConsumer<CloudSettings.Builder, Integer> set) {
        TemplateText.Parsed<Integer> parsed = NumberText.integer(field, text, 0);
        if (!parsed.problems().isEmpty()) {
            return MesosAgentTemplateDescriptor.problems(parsed.problems());
        }
        CloudSettings.Builder b = CloudSettings.builder("c");
        set.accept(b, parsed.value());
        return cloud("caps", b);
    }

    static FormValidation cloudDecimal(
            String field, String text, BiConsumer<CloudSettings.Builder, Double> set) {
        TemplateText.Parsed<Double> parsed = NumberText.decimal(field, text, 0);
        if (!parsed.problems().isEmpty()) {
            return MesosAgentTemplateDescriptor.problems(parsed.problems());
        }
        CloudSettings.Builder b = CloudSettings.builder("c");
        set.accept(b, parsed.value());
        return cloud("caps", b);
    }

    /** A limit of the cloud's Jenkinsfile rules, through {@link JenkinsfileRules#problems()}. */
    static FormValidation jenkinsfileLimit(String field, String text, boolean whole) {
        TemplateText.Parsed<? extends Number> parsed =
                whole ? NumberText.integer(field, text, 0) : NumberText.decimal(field, text, 0);
        if (!parsed.problems().isEmpty()) {
            return MesosAgentTemplateDescriptor.problems(parsed.problems());
        }
        double v = parsed.value().doubleValue();
        CloudSettings.Builder b = CloudSettings.builder("c");
        switch (field) {
            case "jenkinsfileMaxCpus" -> b.jenkinsfileMaxCpus(v);
            case "jenkinsfileMaxMemMb" -> b.jenkinsfileMaxMemMb(v);
            case "jenkinsfileMaxDiskMb" -> b.jenkinsfileMaxDiskMb(v);
            default -> b.jenkinsfileMaxGpus((int) v);
        }
        return MesosAgentTemplateDescriptor.problems(
                about(field, b.build().jenkinsfileRules().problems()));
    }

    /**
     * A template's {@code inheritFrom}, judged among the saved templates of its cloud with this
     * template's name and parent as in the form: an unknown parent or a cycle is an error.
     */
    static FormValidation inheritFrom(String value, String name, List<TemplateSettings> saved) {
        if (value == null || value.isBlank()) {
            return FormValidation.ok();
        }
        String self = name == null ? "" : name.trim();
        java.util.List<TemplateSettings> templates = new java.util.ArrayList<>();
        templates.add(TemplateSettings.builder(self).inheritFrom(value).build());
        saved.stream().filter(t -> !t.name().equals(self)).forEach(templates::add);
        return MesosAgentTemplateDescriptor.problems(
                about(
                        "inheritFrom",
                        io.jenkins.plugins.mesosagents.settings.TemplateInheritance.resolve(
                                        templates)
                                .problems(self)));
    }

    /** The framework's failover timeout, through the framework identity's own rule. */
    static FormValidation failoverTimeoutHours(String text) {
        TemplateText.Parsed<Integer> parsed = NumberText.integer("failoverTimeoutHours", text, 168);
        if (!parsed.problems().isEmpty()) {
            return MesosAgentTemplateDescriptor.problems(parsed.problems());
        }
        try {
            CloudSettings.builder("c")
                    .failoverTimeoutHours(parsed.value())
                    .build()
                    .framework(List.of(), "jenkins")
                    .build();
            return FormValidation.ok();
        } catch (IllegalArgumentException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    /** The problems of one field: its own, and per-line ones such as {@code constraints[...]}. */
    static List<TemplateProblem> about(String field, List<TemplateProblem> problems) {
        return problems.stream()
                .filter(p -> p.field().equals(field) || p.field().startsWith(field + "["))
                .toList();
    }
}
