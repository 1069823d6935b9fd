package io.jenkins.plugins.mesosagents.steps;

import hudson.AbortException;
import hudson.Extension;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;

import io.jenkins.plugins.mesosagents.image.ImageReference;
import io.jenkins.plugins.mesosagents.image.InvalidImageReferenceException;
import io.jenkins.plugins.mesosagents.image.promote.ImagePromoter;
import io.jenkins.plugins.mesosagents.image.promote.PromotionResult;
import io.jenkins.plugins.mesosagents.image.registry.RegistryClient;
import io.jenkins.plugins.mesosagents.image.registry.RegistryException;

import jenkins.YesNoMaybe;

import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code promoteImage}: copies an image (manifest, or index and its manifests, and their blobs)
 * from one reference to another through the registry API, without pulling it anywhere: mounted
 * inside one registry, streamed across registries. The digest does not change. Returns {@code
 * [image: target@digest, digest:, mounted:, streamed:, bytes:]}.
 */
public class PromoteImageStep extends Step implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final String target;
    private String credentialsId = "";
    private String targetCredentialsId = "";
    private boolean insecure;
    private String username = "";
    private String targetUsername = "";
    private String caCertificates = "";
    private String awsRoleArn = "";
    private String targetAwsRoleArn = "";

    @DataBoundConstructor
    public PromoteImageStep(String source, String target) {
        this.source = source == null ? "" : source.trim();
        this.target = target == null ? "" : target.trim();
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(this, context);
    }

    /** The step's work, separate from the execution so that it is tested without Pipeline. */
    Map<String, Object> perform(StepContext context) throws Exception {
        ImageReference from;
        ImageReference to;
        try {
            from = ImageReference.parse(source);
            to = ImageReference.parse(target);
        } catch (InvalidImageReferenceException e) {
            throw new AbortException("promoteImage: " + e.getMessage());
        }
        Run<?, ?> run = context.get(Run.class);
        TaskListener listener = context.get(TaskListener.class);
        // the target uses the source's login (credentials, username, role) unless given its own
        boolean targetInherits = targetCredentialsId.isBlank() && targetAwsRoleArn.isBlank();
        String sourceRole =
                EcrLogins.checkedRole(
                        "promoteImage",
                        "awsRoleArn",
                        awsRoleArn,
                        targetInherits
                                ? List.of(from.registry(), to.registry())
                                : List.of(from.registry()));
        String targetRole =
                targetInherits
                        ? sourceRole
                        : EcrLogins.checkedRole(
                                "promoteImage",
                                "targetAwsRoleArn",
                                targetAwsRoleArn,
                                List.of(to.registry()));
        RegistryLogin sourceLogin =
                StepCredentials.registryLogin(
                        run,
                        from.registry(),
                        StepCredentials.LoginArgs.of(
                                "promoteImage", credentialsId, username, sourceRole));
        String targetId = targetCredentialsId.isBlank() ? credentialsId : targetCredentialsId;
        String targetUser = targetCredentialsId.isBlank() ? username : targetUsername;
        // a retag inside one registry with one login: resolve it once (an ECR token is a request)
        boolean oneLogin =
                to.registry().equals(from.registry())
                        && targetId.equals(credentialsId)
                        && targetUser.equals(username)
                        && targetRole.equals(sourceRole);
        RegistryLogin targetLogin =
                oneLogin
                        ? sourceLogin
                        : StepCredentials.registryLogin(
                                run,
                                to.registry(),
                                new StepCredentials.LoginArgs(
                                        "promoteImage",
                                        targetCredentialsId.isBlank()
                                                ? "credentialsId (or targetCredentialsId)"
                                                : "targetCredentialsId",
                                        targetId,
                                        targetUser,
                                        targetAwsRoleArn.isBlank()
                                                ? "awsRoleArn"
                                                : "targetAwsRoleArn",
                                        targetRole));
        listener.getLogger().println("Promoting " + from + " to " + to);
        RegistryClient sourceClient = client(from, sourceLogin);
        // one client: one ping, and one token serves the source read and the mounts
        RegistryClient targetClient = oneLogin ? sourceClient : client(to, targetLogin);
        try {
            PromotionResult result =
                    new ImagePromoter(listener.getLogger()::println)
                            .promote(sourceClient, from, targetClient, to);
            listener.getLogger()
                    .println(
                            "Promoted "
                                    + result.target()
                                    + "@"
                                    + result.digest()
                                    + ": "
                                    + result.blobsMounted()
                                    + " blobs mounted, "
                                    + result.blobsStreamed()
                                    + " streamed ("
                                    + result.bytesStreamed()
                                    + " bytes), "
                                    + result.blobsPresent()
                                    + " already there");
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("image", result.target().withDigest(result.digest()).toString());
            out.put("digest", result.digest().toString());
            out.put("mounted", result.blobsMounted());
            out.put("streamed", result.blobsStreamed());
            out.put("bytes", result.bytesStreamed());
            return out;
        } catch (RegistryException e) {
            throw new AbortException("promoteImage: " + e.getMessage());
        }
    }

    private RegistryClient client(ImageReference ref, RegistryLogin login) {
        RegistryClient.Builder b =
                RegistryClient.builder(ref.apiHost())
                        .connection(
                                RegistryConnections.forHost(
                                        ref.apiHost(), insecure, caCertificates));
        if (login != null) {
            b.credentials(login.credentials());
        }
        return b.build();
    }

    private static final class Execution
            extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;
        private final transient PromoteImageStep step;

        Execution(PromoteImageStep step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            return step.perform(getContext());
        }
    }

    public String getSource() {
        return source;
    }

    public String getTarget() {
        return target;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = credentialsId == null ? "" : credentialsId;
    }

    public String getTargetCredentialsId() {
        return targetCredentialsId;
    }

    @DataBoundSetter
    public void setTargetCredentialsId(String targetCredentialsId) {
        this.targetCredentialsId = targetCredentialsId == null ? "" : targetCredentialsId;
    }

    public boolean isInsecure() {
        return insecure;
    }

    /**
     * Do not verify the registries' TLS certificates, and allow plain HTTP (registries on a trusted
     * network): the same meaning as buildImage's and buildah's {@code --tls-verify=false}.
     */
    @DataBoundSetter
    public void setInsecure(boolean insecure) {
        this.insecure = insecure;
    }

    public String getUsername() {
        return username;
    }

    /** The user a Secret text access token of {@code credentialsId} belongs to. */
    @DataBoundSetter
    public void setUsername(String username) {
        this.username = username == null ? "" : username.trim();
    }

    public String getTargetUsername() {
        return targetUsername;
    }

    /** The user a Secret text access token of {@code targetCredentialsId} belongs to. */
    @DataBoundSetter
    public void setTargetUsername(String targetUsername) {
        this.targetUsername = targetUsername == null ? "" : targetUsername.trim();
    }

    public String getCaCertificates() {
        return caCertificates;
    }

    /** PEM CA certificates to trust besides the JVM's (registries with a private CA). */
    @DataBoundSetter
    public void setCaCertificates(String caCertificates) {
        this.caCertificates = caCertificates == null ? "" : caCertificates;
    }

    public String getAwsRoleArn() {
        return awsRoleArn;
    }

    /**
     * An IAM role to assume for an ECR registry (the source's, and the target's unless it has its
     * own credentials or role), with the credential's AWS keys or, without a credential, the
     * controller's identity (if the administrator allows it).
     */
    @DataBoundSetter
    public void setAwsRoleArn(String awsRoleArn) {
        this.awsRoleArn = awsRoleArn == null ? "" : awsRoleArn.trim();
    }

    public String getTargetAwsRoleArn() {
        return targetAwsRoleArn;
    }

    /** An IAM role to assume for an ECR target, with the target's credentials (if different). */
    @DataBoundSetter
    public void setTargetAwsRoleArn(String targetAwsRoleArn) {
        this.targetAwsRoleArn = targetAwsRoleArn == null ? "" : targetAwsRoleArn.trim();
    }

    /** Registers {@code promoteImage}. */
    @Extension(dynamicLoadable = YesNoMaybe.YES)
    public static final class DescriptorImpl extends CredentialsStepDescriptor {
        @Override
        public String getFunctionName() {
            return "promoteImage";
        }

        @Override
        public String getDisplayName() {
            return "Promote (copy or retag) a container image between repositories or registries";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(TaskListener.class, Run.class);
        }

        @POST
        public ListBoxModel doFillTargetCredentialsIdItems(
                @AncestorInPath Item item, @QueryParameter String targetCredentialsId) {
            return StepCredentials.choices(item, targetCredentialsId);
        }

        @POST
        public FormValidation doCheckSource(
                @AncestorInPath Item item, @QueryParameter String value) {
            StepFieldCheck.checkPermission(item);
            return StepFieldCheck.imageReference(value, false);
        }

        @POST
        public FormValidation doCheckTarget(
                @AncestorInPath Item item, @QueryParameter String value) {
            StepFieldCheck.checkPermission(item);
            return StepFieldCheck.imageReference(value, false);
        }

        @POST
        public FormValidation doCheckAwsRoleArn(
                @AncestorInPath Item item, @QueryParameter String value) {
            StepFieldCheck.checkPermission(item);
            return StepFieldCheck.awsRoleArn(value);
        }

        @POST
        public FormValidation doCheckTargetAwsRoleArn(
                @AncestorInPath Item item, @QueryParameter String value) {
            StepFieldCheck.checkPermission(item);
            return StepFieldCheck.awsRoleArn(value);
        }
    }
}
