package io.jenkins.plugins.mesosagents.steps;

import hudson.model.Item;
import hudson.util.ListBoxModel;

import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/** A step descriptor whose form picks a {@code credentialsId} from the credentials store. */
public abstract class CredentialsStepDescriptor extends StepDescriptor {
    @POST
    public ListBoxModel doFillCredentialsIdItems(
            @AncestorInPath Item item, @QueryParameter String credentialsId) {
        return StepCredentials.choices(item, credentialsId);
    }
}
