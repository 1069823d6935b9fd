package io.jenkins.plugins.mesosagents.steps;

import hudson.model.Run;

import org.jenkinsci.plugins.workflow.steps.Step;
import org.kohsuke.stapler.DataBoundSetter;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What the steps that drive an image builder on the agent share: which builder, its storage driver,
 * whether the registry is insecure (TLS not verified, plain HTTP allowed: buildah's {@code
 * --tls-verify=false}, the same meaning as promoteImage's), extra CA certificates, and the registry
 * login (with a username when the credential is an access token in Secret text, or an IAM role to
 * assume for ECR).
 */
public abstract class BuilderStep extends Step implements Serializable {
    private static final long serialVersionUID = 1L;

    private String credentialsId = "";
    private String builder = "auto";
    private String storageDriver = "";
    private boolean insecure;
    private String username = "";
    private String caCertificates = "";
    private String awsRoleArn = "";

    /**
     * The step's registry logins for {@code registries}, resolved on the controller. Without a
     * credential or a role, none is needed when nothing is pushed, and inside a withRegistryAuth
     * block ({@code REGISTRY_AUTH_FILE} in the environment) the block's login serves; otherwise an
     * ECR registry gets the controller's identity if the administrator allows it (see {@link
     * EcrLogins}), and without that the builder on the agent uses the agent's own registry
     * configuration, as {@code buildah push} or {@code docker push} would there (an {@code
     * ecr-login} credential helper, an agent's instance profile).
     */
    List<RegistryLogin> logins(
            Run<?, ?> run,
            String step,
            Collection<String> registries,
            boolean pushes,
            Map<String, String> environment)
            throws IOException {
        String role = EcrLogins.checkedRole(step, "awsRoleArn", awsRoleArn, registries);
        boolean blockLogin = environment.containsKey("REGISTRY_AUTH_FILE");
        List<RegistryLogin> logins = new ArrayList<>();
        if (credentialsId.isBlank()
                && role.isEmpty()
                && (!pushes || blockLogin || !EcrLogins.controllerIdentityAllowed())) {
            return logins;
        }
        StepCredentials.LoginArgs args =
                StepCredentials.LoginArgs.of(step, credentialsId, username, role);
        for (String registry : registries) {
            RegistryLogin login = StepCredentials.registryLogin(run, registry, args);
            if (login != null) {
                logins.add(login);
            }
        }
        return logins;
    }

    /**
     * How to run the builder on the agent, in the step's environment; insecure if the step says so
     * or one of {@code registries} is listed in the global setting.
     */
    ImageWork.BuilderSpec builderSpec(
            String isolation, Map<String, String> environment, Iterable<String> registries) {
        boolean anyInsecure = insecure;
        for (String registry : registries) {
            anyInsecure |= RegistryConnections.insecure(registry, false);
        }
        return new ImageWork.BuilderSpec(
                builder,
                storageDriver,
                isolation,
                anyInsecure,
                caCertificates,
                new java.util.LinkedHashMap<>(environment));
    }

    public String getUsername() {
        return username;
    }

    /** The user a Secret text access token belongs to (GHCR, Docker Hub, GitLab, Quay). */
    @DataBoundSetter
    public void setUsername(String username) {
        this.username = username == null ? "" : username.trim();
    }

    public String getCaCertificates() {
        return caCertificates;
    }

    /** PEM CA certificates to trust for the registry besides the system's (a private CA). */
    @DataBoundSetter
    public void setCaCertificates(String caCertificates) {
        this.caCertificates = caCertificates == null ? "" : caCertificates;
    }

    public String getAwsRoleArn() {
        return awsRoleArn;
    }

    /**
     * An IAM role to assume for the ECR registries of the step, with the credential's AWS keys or,
     * without a credential, the controller's identity (if the administrator allows it).
     */
    @DataBoundSetter
    public void setAwsRoleArn(String awsRoleArn) {
        this.awsRoleArn = awsRoleArn == null ? "" : awsRoleArn.trim();
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = credentialsId == null ? "" : credentialsId;
    }

    public String getBuilder() {
        return builder;
    }

    @DataBoundSetter
    public void setBuilder(String builder) {
        this.builder = builder == null || builder.isBlank() ? "auto" : builder;
    }

    public String getStorageDriver() {
        return storageDriver;
    }

    @DataBoundSetter
    public void setStorageDriver(String storageDriver) {
        this.storageDriver = storageDriver == null ? "" : storageDriver;
    }

    public boolean isInsecure() {
        return insecure;
    }

    /**
     * Do not verify the registry's TLS certificate, and allow plain HTTP (a registry on a trusted
     * network): buildah's {@code --tls-verify=false}.
     */
    @DataBoundSetter
    public void setInsecure(boolean insecure) {
        this.insecure = insecure;
    }
}
