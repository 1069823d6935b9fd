package io.jenkins.plugins.mesosagents.image.auth;

import okhttp3.OkHttpClient;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The AWS identity that asks ECR for registry tokens: access keys from a Jenkins credential, or the
 * AWS SDK's default credentials provider chain of the JVM that runs the call (JVM system
 * properties, environment, web identity token, {@code ~/.aws} profiles, ECS container credentials,
 * EC2 instance profile), in either case optionally used to assume an IAM role through STS (a role
 * in the registry's account, as {@code aws sts assume-role} would). {@link #toString()} shows no
 * secret.
 */
public record AwsIdentity(Supplier<AwsCredentials> keys, String roleArn, URI stsEndpoint) {
    private static final Pattern ROLE_ARN =
            Pattern.compile("arn:aws(-cn|-us-gov|-iso|-iso-b)?:iam::[0-9]{12}:role/[\\w+=,.@/-]+");

    public AwsIdentity {
        if (roleArn != null && !ROLE_ARN.matcher(roleArn).matches()) {
            throw new IllegalArgumentException(
                    "'"
                            + roleArn
                            + "' is not an IAM role ARN; it looks like"
                            + " arn:aws:iam::123456789012:role/ecr-push");
        }
    }

    /** Access keys (e.g. of a Jenkins credential). */
    public static AwsIdentity keys(Supplier<AwsCredentials> keys) {
        return new AwsIdentity(Objects.requireNonNull(keys, "keys"), null, null);
    }

    /** The SDK's default credentials provider chain: instance profile, ECS task role, env, … */
    public static AwsIdentity defaultChain() {
        return new AwsIdentity(null, null, null);
    }

    /** This identity, used to assume {@code arn} (blank: none). */
    public AwsIdentity assumingRole(String arn) {
        return new AwsIdentity(keys, arn == null || arn.isBlank() ? null : arn.trim(), stsEndpoint);
    }

    /** An STS endpoint (a VPC endpoint, a test stand-in) instead of the region's. */
    public AwsIdentity withStsEndpoint(URI endpoint) {
        return new AwsIdentity(keys, roleArn, endpoint);
    }

    /**
     * The SDK credentials provider for calls in {@code region}, and what has to be closed with it
     * (a default chain or an STS client hold threads and connections); STS is called through {@code
     * http}.
     */
    Provider provider(String region, OkHttpClient http) {
        List<AutoCloseable> owned = new ArrayList<>();
        AwsCredentialsProvider base;
        if (keys != null) {
            base =
                    () -> {
                        AwsCredentials aws = keys.get();
                        return aws.sessionToken() == null || aws.sessionToken().isBlank()
                                ? AwsBasicCredentials.create(
                                        aws.accessKeyId(), aws.secretAccessKey())
                                : AwsSessionCredentials.create(
                                        aws.accessKeyId(),
                                        aws.secretAccessKey(),
                                        aws.sessionToken());
                    };
        } else {
            DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build();
            owned.add(chain);
            base = chain;
        }
        if (roleArn == null) {
            return new Provider(base, owned);
        }
        StsClientBuilder sts =
                StsClient.builder()
                        .region(Region.of(region))
                        .credentialsProvider(base)
                        .httpClient(new OkHttpSdkClient(http));
        if (stsEndpoint != null) {
            sts.endpointOverride(stsEndpoint);
        }
        StsClient client = sts.build();
        owned.add(0, client);
        StsAssumeRoleCredentialsProvider assumed =
                StsAssumeRoleCredentialsProvider.builder()
                        .stsClient(client)
                        .asyncCredentialUpdateEnabled(false)
                        .refreshRequest(
                                request ->
                                        request.roleArn(roleArn)
                                                .roleSessionName("jenkins-mesos-agents-ecr"))
                        .build();
        owned.add(0, assumed);
        return new Provider(assumed, owned);
    }

    /** Who asks, for messages: never a secret. */
    String describe() {
        String who =
                keys != null
                        ? "the AWS access keys of the credential"
                        : "the default AWS credentials of the Jenkins controller (environment,"
                                + " ~/.aws, ECS task role or EC2 instance profile)";
        return roleArn == null ? who : who + " assuming role " + roleArn;
    }

    @Override
    public String toString() {
        return "AwsIdentity[" + describe() + "]";
    }

    /** A credentials provider and the SDK resources it owns. */
    record Provider(AwsCredentialsProvider credentials, List<AutoCloseable> owned)
            implements AutoCloseable {
        @Override
        public void close() {
            for (AutoCloseable resource : owned) {
                try {
                    resource.close();
                } catch (Exception ignored) {
                    // best effort: nothing of them outlives the token request
                }
            }
        }
    }
}
