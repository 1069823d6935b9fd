package io.jenkins.plugins.mesosagents.steps;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;

import io.jenkins.plugins.mesosagents.image.ImageReference;
import io.jenkins.plugins.mesosagents.image.InvalidImageReferenceException;

import jenkins.YesNoMaybe;

import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code buildImage}: builds a container image from a Dockerfile in the workspace on the current
 * agent, with buildah (no Docker daemon, no privileged container) or the docker CLI, and optionally
 * pushes it. Returns {@code [imageId:, builder:, tags: [...], images: [...pinned to digests, when
 * pushed]]}.
 */
public class BuildImageStep extends BuilderStep {
    private static final long serialVersionUID = 1L;

    private final List<String> tags;
    private String context = ".";
    private String dockerfile = "";
    private Map<String, String> buildArgs = Map.of();
    private Map<String, String> labels = Map.of();
    private String target = "";
    private boolean pull;
    private boolean noCache;
    private String isolation = "";
    private boolean push;

    @DataBoundConstructor
    public BuildImageStep(List<String> tags) {
        this.tags = tags == null ? List.of() : List.copyOf(tags);
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(this, context);
    }

    static List<String> checkedTags(List<String> tags) throws AbortException {
        if (tags.isEmpty()) {
            throw new AbortException(
                    "buildImage: give at least one tag, e.g. buildImage(tags:"
                            + " ['registry.example.com/team/app:1.0'])");
        }
        for (String tag : tags) {
            try {
                ImageReference.parse(tag);
            } catch (InvalidImageReferenceException e) {
                throw new AbortException("buildImage: " + e.getMessage());
            }
        }
        return tags;
    }

    /** The step's work, separate from the execution so that it is tested without Pipeline. */
    Map<String, Object> perform(StepContext stepContext) throws Exception {
        FilePath workspace = stepContext.get(FilePath.class);
        TaskListener listener = stepContext.get(TaskListener.class);
        Run<?, ?> run = stepContext.get(Run.class);
        EnvVars environment = stepContext.get(EnvVars.class);
        checkedTags(tags);
        // the login authenticates the build's base image pulls as well as the push
        List<RegistryLogin> logins =
                logins(
                        run,
                        "buildImage",
                        registries(tags),
                        push,
                        environment == null ? Map.of() : environment);
        ImageWork.BuildSpec spec =
                new ImageWork.BuildSpec(
                        context,
                        dockerfile,
                        tags,
                        new LinkedHashMap<>(buildArgs),
                        new LinkedHashMap<>(labels),
                        target,
                        pull,
                        noCache);
        ImageWork.BuilderSpec builderSpec =
                builderSpec(
                        isolation, environment == null ? Map.of() : environment, registries(tags));
        try {
            return workspace.act(new ImageWork.Build(spec, builderSpec, push, logins, listener));
        } catch (RuntimeException e) {
            // builder and reference errors are written for the user; no stack trace needed
            throw new AbortException("buildImage: " + e.getMessage());
        }
    }

    private static final class Execution
            extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;
        private final transient BuildImageStep step;

        Execution(BuildImageStep step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            return step.perform(getContext());
        }
    }

    static Set<String> registries(List<String> tags) {
        Set<String> registries = new java.util.LinkedHashSet<>();
        for (String tag : tags) {
            registries.add(ImageReference.parse(tag).registry());
        }
        return registries;
    }

    public List<String> getTags() {
        return tags;
    }

    public String getContext() {
        return context;
    }

    @DataBoundSetter
    public void setContext(String context) {
        this.context = context == null || context.isBlank() ? "." : context;
    }

    public String getDockerfile() {
        return dockerfile;
    }

    @DataBoundSetter
    public void setDockerfile(String dockerfile) {
        this.dockerfile = dockerfile == null ? "" : dockerfile;
    }

    public Map<String, String> getBuildArgs() {
        return buildArgs;
    }

    @DataBoundSetter
    public void setBuildArgs(Map<String, String> buildArgs) {
        this.buildArgs = buildArgs == null ? Map.of() : new LinkedHashMap<>(buildArgs);
    }

    public Map<String, String> getLabels() {
        return labels;
    }

    @DataBoundSetter
    public void setLabels(Map<String, String> labels) {
        this.labels = labels == null ? Map.of() : new LinkedHashMap<>(labels);
    }

    public String getTarget() {
        return target;
    }

    @DataBoundSetter
    public void setTarget(String target) {
        this.target = target == null ? "" : target;
    }

    public boolean isPull() {
        return pull;
    }

    @DataBoundSetter
    public void setPull(boolean pull) {
        this.pull = pull;
    }

    public boolean isNoCache() {
        return noCache;
    }

    @DataBoundSetter
    public void setNoCache(boolean noCache) {
        this.noCache = noCache;
    }

    public String getIsolation() {
        return isolation;
    }

    @DataBoundSetter
    public void setIsolation(String isolation) {
        this.isolation = isolation == null ? "" : isolation;
    }

    public boolean isPush() {
        return push;
    }

    @DataBoundSetter
    public void setPush(boolean push) {
        this.push = push;
    }

    /**
     * Registers {@code buildImage}; named so as not to clash with docker-workflow's {@code
     * docker.build}.
     */
    @Extension(dynamicLoadable = YesNoMaybe.YES)
    public static final class DescriptorImpl extends ImageStepDescriptor {
        @Override
        public String getFunctionName() {
            return "buildImage";
        }

        @Override
        public String getDisplayName() {
            return "Build a container image (buildah or docker CLI)";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(FilePath.class, TaskListener.class, Run.class, EnvVars.class);
        }
    }
}
