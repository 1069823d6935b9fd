package io.jenkins.plugins.mesosagents.steps;

import hudson.util.ListBoxModel;

import io.jenkins.plugins.mesosagents.image.build.BuilderChoice;
import io.jenkins.plugins.mesosagents.settings.TemplateText;

import net.sf.json.JSONObject;

import org.jenkinsci.plugins.workflow.steps.Step;
import org.kohsuke.stapler.StaplerRequest2;

import java.util.List;

/**
 * The descriptor of a step that builds or pushes images on the agent: {@code builder} is a choice
 * in the snippet generator, and {@code tags} is a text area with one reference per line. Pipeline
 * itself still passes {@code tags} as a list, bound by the step's unchanged {@code List<String>}
 * parameter; only the form's text is split here, before core's Descriptor.newInstance binds it (a
 * bare string bound to a List would become one element holding every line).
 */
public abstract class ImageStepDescriptor extends CredentialsStepDescriptor {
    public ListBoxModel doFillBuilderItems() {
        ListBoxModel model = new ListBoxModel();
        for (String kind : BuilderChoice.KINDS) {
            model.add(kind);
        }
        return model;
    }

    /** The tags as the text area shows them, one per line. */
    public String lines(List<String> values) {
        return values == null ? "" : String.join("\n", values);
    }

    @Override
    public Step newInstance(StaplerRequest2 req, JSONObject formData) throws FormException {
        return super.newInstance(req, withListsSplit(formData));
    }

    /** The form with {@code tags} typed one per line turned into the list the step binds. */
    static JSONObject withListsSplit(JSONObject formData) {
        if (formData != null && formData.opt("tags") instanceof String text) {
            formData.element("tags", TemplateText.lines(text));
        }
        return formData;
    }
}
