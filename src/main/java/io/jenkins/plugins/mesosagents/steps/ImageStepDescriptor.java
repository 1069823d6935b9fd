package io.jenkins.plugins.mesosagents.steps;

import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;

import io.jenkins.plugins.mesosagents.image.build.BuilderChoice;
import io.jenkins.plugins.mesosagents.settings.KeyValueText;
import io.jenkins.plugins.mesosagents.settings.TemplateText;

import net.sf.json.JSONObject;

import org.jenkinsci.plugins.workflow.steps.Step;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The descriptor of a step that builds or pushes images on the agent: {@code builder} is a choice
 * in the snippet generator, {@code tags} a text area with one reference per line, and the map
 * arguments ({@code buildArgs}, {@code labels}) text areas with {@code key=value} per line.
 * Pipeline itself still passes {@code tags} as a list, bound by the step's unchanged {@code
 * List<String>} parameter; only the form's text is split here, before core's Descriptor.newInstance
 * binds it (a bare string bound to a List would become one element holding every line).
 */
public abstract class ImageStepDescriptor extends CredentialsStepDescriptor {
    /** Map arguments the form shows as {@code key=value} text areas. */
    private static final List<String> MAP_FIELDS = List.of("buildArgs", "labels");

    public ListBoxModel doFillBuilderItems() {
        ListBoxModel model = new ListBoxModel();
        for (String kind : BuilderChoice.KINDS) {
            model.add(kind);
        }
        return model;
    }

    @POST
    public FormValidation doCheckTags(@AncestorInPath Item item, @QueryParameter String value) {
        StepFieldCheck.checkPermission(item);
        return StepFieldCheck.imageReferences(value);
    }

    @POST
    public FormValidation doCheckAwsRoleArn(
            @AncestorInPath Item item, @QueryParameter String value) {
        StepFieldCheck.checkPermission(item);
        return StepFieldCheck.awsRoleArn(value);
    }

    /** The tags as the text area shows them, one per line. */
    public String lines(List<String> values) {
        return values == null ? "" : String.join("\n", values);
    }

    /** A map argument as the text area shows it, {@code key=value} per line. */
    public String keyValues(Map<String, String> values) {
        return KeyValueText.format(values);
    }

    @Override
    public Step newInstance(StaplerRequest2 req, JSONObject formData) throws FormException {
        Map<String, Map<String, String>> maps = new LinkedHashMap<>();
        for (String field : MAP_FIELDS) {
            if (formData != null && formData.opt(field) instanceof String text) {
                TemplateText.Parsed<Map<String, String>> parsed = KeyValueText.parse(field, text);
                if (!parsed.problems().isEmpty()) {
                    throw new FormException(parsed.problems().get(0).message(), field);
                }
                // bound through the step's Map setter below: Stapler cannot bind a Map from text
                formData.remove(field);
                maps.put(field, parsed.value());
            }
        }
        Step step = super.newInstance(req, withListsSplit(formData));
        if (step instanceof BuildImageStep build) {
            if (maps.containsKey("buildArgs")) {
                build.setBuildArgs(maps.get("buildArgs"));
            }
            if (maps.containsKey("labels")) {
                build.setLabels(maps.get("labels"));
            }
        }
        return step;
    }

    /** The form with {@code tags} typed one per line turned into the list the step binds. */
    static JSONObject withListsSplit(JSONObject formData) {
        if (formData != null && formData.opt("tags") instanceof String text) {
            formData.element("tags", TemplateText.lines(text));
        }
        return formData;
    }
}
