package io.jenkins.plugins.mesosagents.steps;

import hudson.model.Item;
import hudson.util.FormValidation;

import io.jenkins.plugins.mesosagents.image.ImageReference;
import io.jenkins.plugins.mesosagents.image.InvalidImageReferenceException;
import io.jenkins.plugins.mesosagents.marathon.AppDefinitions;
import io.jenkins.plugins.mesosagents.marathon.MarathonClient;
import io.jenkins.plugins.mesosagents.settings.NumberText;
import io.jenkins.plugins.mesosagents.settings.TemplateText;

import jenkins.model.Jenkins;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Adapts the Jenkins-free rules the steps run with to a snippet-generator field's FormValidation:
 * image references ({@link ImageReference#parse}), registry addresses ({@link
 * ImageReference#registryProblem}), Marathon URLs ({@link MarathonClient#parseUrl}), app ids
 * ({@link AppDefinitions#idProblem}), IAM role ARNs ({@link EcrLogins#roleProblem}) and the
 * deploy's numbers (through the step's own request, so the engine's DeployRequest rules). No rule
 * is written here. Every check first asks for the permission to configure the job the snippet is
 * for (or to administer Jenkins outside a job).
 */
final class StepFieldCheck {
    private StepFieldCheck() {}

    /** The snippet generator's context: the job, or null outside one. */
    static void checkPermission(Item item) {
        if (item == null) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        } else {
            item.checkPermission(Item.CONFIGURE);
        }
    }

    /** One image reference; blank is allowed when the field is optional. */
    static FormValidation imageReference(String value, boolean optional) {
        if (value == null || value.isBlank()) {
            return optional
                    ? FormValidation.ok()
                    : FormValidation.error(
                            "Give an image reference, e.g. registry.example.com/team/app:1.0");
        }
        try {
            ImageReference.parse(value.strip());
            return FormValidation.ok();
        } catch (InvalidImageReferenceException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    /** References one per line (the snippet generator's text area for a list). */
    static FormValidation imageReferences(String lines) {
        List<String> problems = new ArrayList<>();
        for (String line : TemplateText.lines(lines)) {
            try {
                ImageReference.parse(line);
            } catch (InvalidImageReferenceException e) {
                problems.add(e.getMessage());
            }
        }
        return problems.isEmpty()
                ? FormValidation.ok()
                : FormValidation.error(String.join("\n", problems));
    }

    static FormValidation registry(String value) {
        String problem = ImageReference.registryProblem(value);
        return problem == null ? FormValidation.ok() : FormValidation.error(problem);
    }

    /** An IAM role ARN to assume for ECR; blank is allowed (none). */
    static FormValidation awsRoleArn(String value) {
        String problem = EcrLogins.roleProblem(value);
        return problem == null ? FormValidation.ok() : FormValidation.error(problem);
    }

    static FormValidation marathonUrl(String value) {
        if (value == null || value.isBlank()) {
            return FormValidation.error(
                    "Give Marathon's URL, e.g. http://marathon.mesos:8080 or"
                            + " https://dcos.example.com/service/marathon");
        }
        try {
            MarathonClient.parseUrl(value);
            return FormValidation.ok();
        } catch (IllegalArgumentException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    /** An app id override; blank keeps the definition's own id. */
    static FormValidation appId(String value) {
        if (value == null || value.isBlank()) {
            return FormValidation.ok();
        }
        String problem = AppDefinitions.idProblem(value.strip());
        return problem == null ? FormValidation.ok() : FormValidation.error(problem);
    }

    /**
     * A whole number of the deploy, checked by building the step's request with only this value
     * set: the step's own mapping (e.g. 0 means derived) and the engine's rules.
     */
    static FormValidation deployNumber(
            String field, String text, BiConsumer<MarathonDeployStep, Integer> set) {
        TemplateText.Parsed<Integer> parsed = NumberText.integer(field, text, 0);
        if (!parsed.problems().isEmpty()) {
            return FormValidation.error(parsed.problems().get(0).message());
        }
        if (text == null || text.isBlank()) {
            return FormValidation.ok();
        }
        MarathonDeployStep step = new MarathonDeployStep("http://marathon:8080");
        set.accept(step, parsed.value());
        try {
            step.request("{}", java.util.Map.of());
            return FormValidation.ok();
        } catch (IllegalArgumentException e) {
            return FormValidation.error(e.getMessage());
        }
    }
}
