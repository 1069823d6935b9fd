package io.jenkins.plugins.mesosagents.steps;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.console.ConsoleLogFilter;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.slaves.WorkspaceList;
import hudson.util.FormValidation;
import hudson.util.Secret;

import io.jenkins.plugins.mesosagents.image.ImageReference;
import io.jenkins.plugins.mesosagents.image.auth.EcrRegistry;
import io.jenkins.plugins.mesosagents.image.auth.RegistryAuthFile;

import jenkins.YesNoMaybe;

import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.BodyInvoker;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code withRegistryAuth(registry: ..., credentialsId: ...) { ... }}: inside the block, builders
 * and {@code sh} steps find the registry login in a private temporary auth file ({@code
 * DOCKER_CONFIG} for docker, and {@code REGISTRY_AUTH_FILE} for buildah, podman and skopeo),
 * created 0600 next to the workspace and deleted when the block ends, however it ends. Named so as
 * not to clash with docker-workflow's {@code withDockerRegistry}.
 */
public class WithRegistryAuthStep extends Step implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String registry;
    private String credentialsId = "";
    private String username = "";
    private String awsRoleArn = "";

    @DataBoundConstructor
    public WithRegistryAuthStep(String registry) {
        this.registry = registry == null ? "" : registry.trim();
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(this, context);
    }

    private static final class Execution extends StepExecution {
        private static final long serialVersionUID = 1L;
        private final transient WithRegistryAuthStep step;

        Execution(WithRegistryAuthStep step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        public boolean start() throws Exception {
            FilePath workspace = getContext().get(FilePath.class);
            RegistryLogin login = step.login(getContext().get(Run.class));
            Map<String, String> env =
                    step.writeAuthFile(getContext(), WorkspaceList.tempDir(workspace), login);
            getContext()
                    .newBodyInvoker()
                    .withContext(
                            EnvironmentExpander.merge(
                                    getContext().get(EnvironmentExpander.class),
                                    EnvironmentExpander.constant(env)))
                    .withContext(
                            BodyInvoker.mergeConsoleLogFilters(
                                    getContext().get(ConsoleLogFilter.class),
                                    new Masking(secrets(login))))
                    .withCallback(
                            new Cleanup(
                                    new FilePath(workspace.getChannel(), env.get("DOCKER_CONFIG"))))
                    .start();
            return false;
        }
    }

    /**
     * The block's login, resolved on the controller: the credential's, or for an ECR registry
     * without one the controller's AWS identity if the administrator allows it (see {@link
     * EcrLogins}).
     */
    RegistryLogin login(Run<?, ?> run) throws IOException {
        if (registry.isEmpty() || (credentialsId.isBlank() && !EcrRegistry.isEcr(registry))) {
            throw new AbortException(
                    "withRegistryAuth: give both, e.g. withRegistryAuth(registry:"
                            + " 'registry.example.com', credentialsId: 'registry-login') { ... }");
        }
        String registryProblem = ImageReference.registryProblem(registry);
        if (registryProblem != null) {
            throw new AbortException("withRegistryAuth: " + registryProblem);
        }
        String role =
                EcrLogins.checkedRole(
                        "withRegistryAuth", "awsRoleArn", awsRoleArn, List.of(registry));
        return StepCredentials.registryLogin(
                run,
                registry,
                StepCredentials.LoginArgs.of("withRegistryAuth", credentialsId, username, role));
    }

    /**
     * Writes the login into a private auth file under {@code parent} on the agent; returns its
     * environment.
     */
    Map<String, String> writeAuthFile(StepContext context, FilePath parent, RegistryLogin login)
            throws Exception {
        Map<String, String> env = parent.act(new ImageWork.WriteAuthFile(List.of(login)));
        PrintStream log = context.get(TaskListener.class).getLogger();
        log.println(
                "Registry login for "
                        + registry
                        + " is in $DOCKER_CONFIG / $REGISTRY_AUTH_FILE until the end of"
                        + " this block");
        if (login.bearer()) {
            // the docker CLI can use it; buildah, podman and skopeo in the block cannot
            log.println("Warning: " + RegistryAuthFile.bearerRefused(registry));
        }
        return env;
    }

    /**
     * The login's secrets, as they could appear in the block's log (the password, and the base64
     * auth value).
     */
    static List<Secret> secrets(RegistryLogin login) {
        List<Secret> secrets = new java.util.ArrayList<>();
        secrets.add(Secret.fromString(login.secret()));
        if (!login.bearer()) {
            secrets.add(Secret.fromString(login.credentials().dockerConfigAuth()));
        }
        return secrets;
    }

    /**
     * Masks the login's secrets in everything the block logs. Being part of the block's state, it
     * is saved with the Pipeline's program ({@code program.dat} in the build directory) by Java
     * serialization, which writes a {@link Secret}'s value in plain text (Secret is Serializable
     * with its plain-text {@code value} field: core/src/main/java/hudson/util/Secret.java:67,75 at
     * jenkins-2.479.3). credentials-binding's {@code withCredentials} keeps its masking pattern and
     * bound values the same way (BindingStep's Filter and Overrider hold Secret fields), so the
     * protection is the same as there: the build directory's file permissions.
     */
    private static final class Masking extends ConsoleLogFilter implements Serializable {
        private static final long serialVersionUID = 1L;
        private final List<Secret> secrets;

        Masking(List<Secret> secrets) {
            this.secrets = List.copyOf(secrets);
        }

        @Override
        @SuppressWarnings("rawtypes")
        public OutputStream decorateLogger(Run build, OutputStream logger) {
            return new MaskingOutputStream(
                    logger, secrets.stream().map(Secret::getPlainText).toList());
        }
    }

    /**
     * Deletes the auth file's directory when the block ends, then completes the step like the block
     * did.
     */
    private static final class Cleanup extends BodyExecutionCallback.TailCall {
        private static final long serialVersionUID = 1L;
        private final FilePath authDirectory;

        Cleanup(FilePath authDirectory) {
            this.authDirectory = authDirectory;
        }

        @Override
        protected void finished(StepContext context) throws IOException, InterruptedException {
            authDirectory.deleteRecursive();
        }
    }

    public String getRegistry() {
        return registry;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = credentialsId == null ? "" : credentialsId;
    }

    public String getUsername() {
        return username;
    }

    /** The user a Secret text access token belongs to (GHCR, Docker Hub, GitLab, Quay). */
    @DataBoundSetter
    public void setUsername(String username) {
        this.username = username == null ? "" : username.trim();
    }

    public String getAwsRoleArn() {
        return awsRoleArn;
    }

    /**
     * An IAM role to assume for an ECR registry, with the credential's AWS keys or, without a
     * credential, the controller's identity (if the administrator allows it).
     */
    @DataBoundSetter
    public void setAwsRoleArn(String awsRoleArn) {
        this.awsRoleArn = awsRoleArn == null ? "" : awsRoleArn.trim();
    }

    /** Registers {@code withRegistryAuth}, a block step. */
    @Extension(dynamicLoadable = YesNoMaybe.YES)
    public static final class DescriptorImpl extends CredentialsStepDescriptor {
        @Override
        public String getFunctionName() {
            return "withRegistryAuth";
        }

        @Override
        public String getDisplayName() {
            return "Make a container registry login available to builders and sh steps";
        }

        @Override
        public boolean takesImplicitBlockArgument() {
            return true;
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(FilePath.class, TaskListener.class, Run.class, EnvVars.class);
        }

        @POST
        public FormValidation doCheckRegistry(
                @AncestorInPath Item item, @QueryParameter String value) {
            StepFieldCheck.checkPermission(item);
            return StepFieldCheck.registry(value);
        }

        @POST
        public FormValidation doCheckAwsRoleArn(
                @AncestorInPath Item item, @QueryParameter String value) {
            StepFieldCheck.checkPermission(item);
            return StepFieldCheck.awsRoleArn(value);
        }
    }
}
