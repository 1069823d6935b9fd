package io.jenkins.plugins.mesosagents.steps;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;

import jenkins.YesNoMaybe;

import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

import java.util.List;
import java.util.Set;

/**
 * {@code pushImage}: pushes an image built on this agent (by tag or id) to one or more references,
 * printing the builder's progress; returns the references pinned to the digests the registry
 * stored.
 */
public class PushImageStep extends BuilderStep {
    private static final long serialVersionUID = 1L;

    private final String image;
    private List<String> tags = List.of();

    @DataBoundConstructor
    public PushImageStep(String image) {
        this.image = image == null ? "" : image.trim();
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(this, context);
    }

    /** The step's work, separate from the execution so that it is tested without Pipeline. */
    List<String> perform(StepContext context) throws Exception {
        if (image.isEmpty()) {
            throw new AbortException(
                    "pushImage: give the local image to push, e.g. pushImage(image:"
                            + " 'registry.example.com/team/app:1.0')");
        }
        List<String> targets = tags.isEmpty() ? List.of(image) : tags;
        BuildImageStep.checkedTags(targets);
        Run<?, ?> run = context.get(Run.class);
        TaskListener listener = context.get(TaskListener.class);
        EnvVars environment = context.get(EnvVars.class);
        Set<String> registries = BuildImageStep.registries(targets);
        List<RegistryLogin> logins =
                logins(
                        run,
                        "pushImage",
                        registries,
                        true,
                        environment == null ? java.util.Map.of() : environment);
        ImageWork.BuilderSpec builder =
                builderSpec("", environment == null ? java.util.Map.of() : environment, registries);
        try {
            return context.get(FilePath.class)
                    .act(new ImageWork.Push(image, targets, builder, logins, listener));
        } catch (RuntimeException e) {
            throw new AbortException("pushImage: " + e.getMessage());
        }
    }

    private static final class Execution extends SynchronousNonBlockingStepExecution<List<String>> {
        private static final long serialVersionUID = 1L;
        private final transient PushImageStep step;

        Execution(PushImageStep step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        protected List<String> run() throws Exception {
            return step.perform(getContext());
        }
    }

    public String getImage() {
        return image;
    }

    public List<String> getTags() {
        return tags;
    }

    @DataBoundSetter
    public void setTags(List<String> tags) {
        this.tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** Registers {@code pushImage}. */
    @Extension(dynamicLoadable = YesNoMaybe.YES)
    public static final class DescriptorImpl extends ImageStepDescriptor {
        @Override
        public String getFunctionName() {
            return "pushImage";
        }

        @Override
        public String getDisplayName() {
            return "Push a container image to a registry";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(FilePath.class, TaskListener.class, Run.class, EnvVars.class);
        }

        @POST
        public FormValidation doCheckImage(
                @AncestorInPath Item item, @QueryParameter String value) {
            StepFieldCheck.checkPermission(item);
            return StepFieldCheck.imageReference(value, false);
        }
    }
}
