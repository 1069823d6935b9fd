package io.jenkins.plugins.mesosagents.steps;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;

import hudson.AbortException;
import hudson.model.Item;
import hudson.model.Run;
import hudson.security.ACL;
import hudson.util.ListBoxModel;

import io.jenkins.plugins.mesosagents.image.auth.AwsCredentials;
import io.jenkins.plugins.mesosagents.image.auth.AwsIdentity;
import io.jenkins.plugins.mesosagents.image.auth.EcrRegistry;
import io.jenkins.plugins.mesosagents.marathon.DcosServiceAccountAuth;
import io.jenkins.plugins.mesosagents.marathon.MarathonAuth;
import io.jenkins.plugins.mesosagents.marathon.MarathonClient;

import jenkins.model.Jenkins;

import org.jenkinsci.plugins.plaincredentials.StringCredentials;

import java.io.IOException;
import java.time.Clock;

/**
 * Turns a step's {@code credentialsId} into what the Jenkins-free clients take, recording the use
 * on the build (so "Credentials used" lists it). Username/password is Basic auth; secret text is a
 * bearer token (registries), a DC/OS token, or a DC/OS service account JSON (Marathon). For an AWS
 * ECR registry, a username/password credential holds the AWS access key id and secret key (or there
 * is none and the controller's identity may serve, see {@link EcrLogins}), and a fresh ECR token is
 * fetched.
 */
final class StepCredentials {
    private StepCredentials() {}

    /**
     * What a step gives for one registry login, and the names it gives them (for messages).
     *
     * @param username for a Secret text credential holding a personal access token (GHCR, Docker
     *     Hub, GitLab, Quay robot tokens): the user it belongs to; the token is then its password.
     *     Blank: the secret text is a registry bearer token.
     * @param roleArn an IAM role to assume for an ECR registry (checked by {@link
     *     EcrLogins#checkedRole}); blank: none. Ignored for other registries.
     */
    record LoginArgs(
            String step,
            String credentialsField,
            String credentialsId,
            String username,
            String roleField,
            String roleArn) {
        /** The step's {@code credentialsId}, {@code username} and {@code awsRoleArn}. */
        static LoginArgs of(String step, String credentialsId, String username, String roleArn) {
            return new LoginArgs(
                    step, "credentialsId", credentialsId, username, "awsRoleArn", roleArn);
        }
    }

    static RegistryLogin registryLogin(Run<?, ?> run, String registry, String credentialsId)
            throws IOException {
        return registryLogin(run, registry, LoginArgs.of("registry login", credentialsId, "", ""));
    }

    static RegistryLogin registryLogin(
            Run<?, ?> run, String registry, String credentialsId, String username)
            throws IOException {
        return registryLogin(
                run, registry, LoginArgs.of("registry login", credentialsId, username, ""));
    }

    /**
     * The login for {@code registry}: null without a credential, except for ECR, where it comes
     * from the controller's AWS identity if the administrator allows it, or is refused.
     */
    static RegistryLogin registryLogin(Run<?, ?> run, String registry, LoginArgs args)
            throws IOException {
        String credentialsId = args.credentialsId();
        boolean ecr = EcrRegistry.isEcr(registry);
        String role = ecr && args.roleArn() != null ? args.roleArn().trim() : "";
        if (credentialsId == null || credentialsId.isBlank()) {
            if (!ecr) {
                return null;
            }
            return EcrLogins.login(
                    args.step(),
                    registry,
                    EcrLogins.controllerIdentity(
                            args.step(), args.credentialsField(), registry, role));
        }
        IdCredentials found = find(run, credentialsId);
        String username = args.username();
        boolean withUsername = username != null && !username.isBlank();
        if (withUsername && !(found instanceof StringCredentials)) {
            throw new AbortException(
                    "Credentials '"
                            + credentialsId
                            + "' already have a username: give 'username' only with 'Secret text'"
                            + " credentials holding an access token");
        }
        if (!role.isEmpty() && !(found instanceof StandardUsernamePasswordCredentials)) {
            throw new AbortException(
                    args.step()
                            + ": "
                            + args.roleField()
                            + " is assumed with AWS access keys: '"
                            + credentialsId
                            + "' must be a 'Username with password' credential holding an access"
                            + " key id and secret key");
        }
        if (found instanceof StringCredentials token && withUsername) {
            return new RegistryLogin(
                    registry, username.trim(), token.getSecret().getPlainText(), false);
        }
        if (found instanceof StandardUsernamePasswordCredentials basic) {
            String password = basic.getPassword().getPlainText();
            if (ecr) {
                AwsCredentials keys = new AwsCredentials(basic.getUsername(), password, null);
                return EcrLogins.login(
                        args.step(), registry, AwsIdentity.keys(() -> keys).assumingRole(role));
            }
            return new RegistryLogin(registry, basic.getUsername(), password, false);
        }
        if (found instanceof StringCredentials token) {
            return new RegistryLogin(registry, null, token.getSecret().getPlainText(), true);
        }
        throw new AbortException(
                "Credentials '"
                        + credentialsId
                        + "' are a "
                        + found.getClass().getSimpleName()
                        + "; registry logins need 'Username with password' (or AWS keys for ECR) or"
                        + " 'Secret text' (an access token, with 'username', or a bearer token)");
    }

    static MarathonAuth marathonAuth(Run<?, ?> run, String url, String credentialsId)
            throws IOException {
        if (credentialsId == null || credentialsId.isBlank()) {
            return MarathonAuth.none();
        }
        IdCredentials found = find(run, credentialsId);
        if (found instanceof StandardUsernamePasswordCredentials basic) {
            return MarathonAuth.basic(basic.getUsername(), basic.getPassword().getPlainText());
        }
        if (found instanceof StringCredentials text) {
            String secret = text.getSecret().getPlainText().strip();
            return secret.startsWith("{")
                    ? DcosServiceAccountAuth.fromJson(
                            secret, MarathonClient.parseUrl(url), Clock.systemUTC())
                    : MarathonAuth.token(secret);
        }
        throw new AbortException(
                "Credentials '"
                        + credentialsId
                        + "' are a "
                        + found.getClass().getSimpleName()
                        + "; Marathon needs 'Username with password' (HTTP Basic) or 'Secret text'"
                        + " (a DC/OS token or service account JSON)");
    }

    /**
     * The credentials a user configuring {@code item} may pick, for the snippet generator's
     * dropdowns.
     */
    static ListBoxModel choices(Item item, String current) {
        StandardListBoxModel model = new StandardListBoxModel();
        boolean allowed =
                item == null
                        ? Jenkins.get().hasPermission(Jenkins.ADMINISTER)
                        : item.hasPermission(Item.EXTENDED_READ)
                                || item.hasPermission(CredentialsProvider.USE_ITEM);
        if (!allowed) {
            model.includeCurrentValue(current);
            return model;
        }
        model.includeEmptyValue()
                .includeAs(ACL.SYSTEM2, item, StandardUsernamePasswordCredentials.class)
                .includeAs(ACL.SYSTEM2, item, StringCredentials.class)
                .includeCurrentValue(current);
        return model;
    }

    private static IdCredentials find(Run<?, ?> run, String credentialsId) throws AbortException {
        IdCredentials found =
                CredentialsProvider.findCredentialById(credentialsId, IdCredentials.class, run);
        if (found == null) {
            throw new AbortException(
                    "No credentials with id '"
                            + credentialsId
                            + "' are visible to "
                            + run.getFullDisplayName()
                            + ": add them under Manage Jenkins → Credentials (or the job's folder)"
                            + " and check the id");
        }
        CredentialsProvider.track(run, found);
        return found;
    }
}
