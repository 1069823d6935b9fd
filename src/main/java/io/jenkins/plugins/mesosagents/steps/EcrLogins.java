package io.jenkins.plugins.mesosagents.steps;

import hudson.AbortException;

import io.jenkins.plugins.mesosagents.image.auth.AwsIdentity;
import io.jenkins.plugins.mesosagents.image.auth.EcrCredentialsSource;
import io.jenkins.plugins.mesosagents.image.auth.EcrRegistry;
import io.jenkins.plugins.mesosagents.image.registry.RegistryCredentials;

import java.io.IOException;
import java.time.Clock;
import java.util.Collection;

/**
 * The steps' AWS ECR logins: which AWS identity asks ECR for the registry token (the access keys of
 * the step's credential or, only when a Jenkins administrator allows it with the system property
 * {@value #CONTROLLER_IDENTITY}, the controller's own identity from the AWS SDK's default chain:
 * environment, {@code ~/.aws}, ECS task role, EC2 instance profile), optionally assuming the step's
 * IAM role through STS; and the checks of a step's role argument. The controller's identity is off
 * by default because every job could otherwise push with it. The ECR and STS endpoints are the
 * region's, or the SDK's own overrides ({@code AWS_ENDPOINT_URL_ECR}/{@code aws.endpointUrlEcr},
 * {@code AWS_ENDPOINT_URL_STS}/{@code aws.endpointUrlSts}) for VPC endpoints.
 */
final class EcrLogins {
    static final String CONTROLLER_IDENTITY =
            "io.jenkins.plugins.mesosagents.ecr.controllerIdentity";

    private EcrLogins() {}

    /** Whether the administrator lets ECR logins without a credential use the controller's. */
    static boolean controllerIdentityAllowed() {
        return Boolean.getBoolean(CONTROLLER_IDENTITY);
    }

    /** What is wrong with a role argument, or null when it is blank or an IAM role ARN. */
    static String roleProblem(String arn) {
        if (arn == null || arn.isBlank()) {
            return null;
        }
        try {
            AwsIdentity.defaultChain().assumingRole(arn);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /**
     * The step's role argument, trimmed ("" when blank), after checking that it is an IAM role ARN
     * and that one of the {@code registries} it applies to is an ECR registry.
     */
    static String checkedRole(String step, String field, String arn, Collection<String> registries)
            throws AbortException {
        if (arn == null || arn.isBlank()) {
            return "";
        }
        String problem = roleProblem(arn);
        if (problem != null) {
            throw new AbortException(step + ": " + field + ": " + problem);
        }
        if (registries.stream().noneMatch(EcrRegistry::isEcr)) {
            throw new AbortException(
                    step
                            + ": "
                            + field
                            + " applies only to AWS ECR registries"
                            + " (<account>.dkr.ecr.<region>.amazonaws.com), and "
                            + String.join(", ", registries)
                            + (registries.size() == 1 ? " is not one" : " are none")
                            + ": remove "
                            + field
                            + " and give the registry's own login in credentialsId");
        }
        return arn.trim();
    }

    /**
     * The controller's own AWS identity, assuming {@code role} (blank: none), if the administrator
     * allows it; otherwise the refusal naming both ways out.
     */
    static AwsIdentity controllerIdentity(
            String step, String credentialsField, String registry, String role)
            throws AbortException {
        if (!controllerIdentityAllowed()) {
            throw new AbortException(
                    step
                            + ": no credentials for the AWS ECR registry "
                            + registry
                            + ": give "
                            + credentialsField
                            + " with a 'Username with password' credential holding an AWS access"
                            + " key id and secret key, or have a Jenkins administrator allow the"
                            + " controller's own AWS identity (instance profile, ECS task role,"
                            + " environment) for ECR with the system property -D"
                            + CONTROLLER_IDENTITY
                            + "=true");
        }
        return AwsIdentity.defaultChain().assumingRole(role);
    }

    /** A fresh ECR token for {@code registry}, asked for by {@code identity}. */
    static RegistryLogin login(String step, String registry, AwsIdentity identity)
            throws AbortException {
        try {
            RegistryCredentials ecr =
                    EcrCredentialsSource.forRegistry(
                                    EcrRegistry.parse(registry), identity, Clock.systemUTC())
                            .withHttpClient(RegistryConnections.awsApi())
                            .credentials();
            return new RegistryLogin(registry, ecr.username(), ecr.secret(), false);
        } catch (IOException e) {
            // EcrCredentialsSource's messages name the identity and what to check, no secret
            throw new AbortException(step + ": " + e.getMessage());
        }
    }
}
