package io.jenkins.plugins.mesosagents.image.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mesosagents.image.registry.RegistryCredentials;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * ECR tokens with an AWS identity other than a credential's keys: the AWS SDK's default credentials
 * provider chain (JVM system properties, then the EC2 instance profile) and an IAM role assumed
 * through STS. One local HTTP server ({@link AwsStandIn}) plays the ECR API, STS and the EC2
 * instance metadata service (IMDSv2); the SDK is pointed at it through its endpoint overrides and
 * its own system properties ({@code aws.accessKeyId}, {@code aws.ec2MetadataServiceEndpoint},
 * {@code aws.sharedCredentialsFile}, {@code aws.configFile}), so the SDK's real providers run
 * in-process. Not exercised: real AWS (no network to it here), web identity tokens, ECS container
 * credentials.
 */
class EcrAwsIdentityTest {
    private static final String ROLE = AwsStandIn.ROLE;

    private AwsStandIn aws;

    @BeforeEach
    void start() throws Exception {
        aws = AwsStandIn.start();
    }

    @AfterEach
    void stop() throws Exception {
        aws.close();
    }

    private String endpoint() {
        return aws.endpoint();
    }

    private EcrCredentialsSource source(AwsIdentity identity) {
        return new EcrCredentialsSource(
                endpoint(),
                "eu-west-1",
                identity,
                java.time.Clock.systemUTC(),
                Duration.ofHours(1));
    }

    private Map<String, String> ecrCall() {
        return aws.ecrCall();
    }

    @Test
    void theDefaultChainUsesTheJvmsAwsSystemProperties() throws Exception {
        System.setProperty("aws.accessKeyId", "AKIDSYSPROP");
        System.setProperty("aws.secretAccessKey", "sysprop-secret");

        RegistryCredentials credentials = source(AwsIdentity.defaultChain()).credentials();

        assertThat(credentials).isEqualTo(RegistryCredentials.basic("AWS", "ecr-password"));
        assertThat(ecrCall().get("Authorization"))
                .contains("Credential=AKIDSYSPROP/")
                .contains("/eu-west-1/ecr/aws4_request");
    }

    @Test
    void theDefaultChainFallsBackToTheEc2InstanceProfile() throws Exception {
        aws.serveInstanceProfile();

        RegistryCredentials credentials = source(AwsIdentity.defaultChain()).credentials();

        assertThat(credentials.secret()).isEqualTo("ecr-password");
        assertThat(aws.requests())
                .anySatisfy(r -> assertThat(r.get(":path")).isEqualTo("/latest/api/token"));
        assertThat(ecrCall().get("Authorization")).contains("Credential=ASIAIMDS/");
        assertThat(ecrCall().get("X-Amz-Security-Token")).isEqualTo("imds-session");
    }

    @Test
    void anAssumedRoleSignsTheEcrCallWithTheRolesTemporaryKeys() throws Exception {
        AwsIdentity identity =
                AwsIdentity.keys(() -> new AwsCredentials("AKIDBASE", "base-secret", null))
                        .assumingRole(ROLE)
                        .withStsEndpoint(URI.create(endpoint()));

        RegistryCredentials credentials = source(identity).credentials();

        assertThat(credentials.secret()).isEqualTo("ecr-password");
        Map<String, String> sts = aws.assumeRoleCall();
        String form = URLDecoder.decode(sts.get(":body"), StandardCharsets.UTF_8);
        assertThat(form).contains("RoleArn=" + ROLE).contains("RoleSessionName=");
        assertThat(sts.get("Authorization"))
                .contains("Credential=AKIDBASE/")
                .contains("/eu-west-1/sts/aws4_request");
        assertThat(ecrCall().get("Authorization")).contains("Credential=ASIAROLE/");
        assertThat(ecrCall().get("X-Amz-Security-Token")).isEqualTo("role-session");
    }

    @Test
    void aRoleTheIdentityMayNotAssumeIsNamedWithWhatToCheck() {
        aws.denyAssumeRole();
        AwsIdentity identity =
                AwsIdentity.keys(() -> new AwsCredentials("AKIDBASE", "base-secret", null))
                        .assumingRole(ROLE)
                        .withStsEndpoint(URI.create(endpoint()));

        assertThatThrownBy(() -> source(identity).credentials())
                .hasMessageContaining(ROLE)
                .hasMessageContaining("AccessDenied")
                .hasMessageContaining("trust policy")
                .hasMessageNotContaining("base-secret");
        assertThat(aws.ecrCalled()).isFalse();
    }

    @Test
    void noAwsIdentityAnywhereSaysSo() throws Exception {
        int closedPort;
        try (ServerSocket socket =
                new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        System.setProperty("aws.ec2MetadataServiceEndpoint", "http://127.0.0.1:" + closedPort);

        assertThatThrownBy(() -> source(AwsIdentity.defaultChain()).credentials())
                .hasMessageContaining("no AWS credentials found")
                .hasMessageContaining("default AWS credentials of the Jenkins controller");
        assertThat(aws.ecrCalled()).isFalse();
    }

    @Test
    void theSdksEndpointSettingsReachTheRegionsEcrAndStsClients() throws Exception {
        // what the steps use (forRegistry: no endpoint of ours), pointed at a VPC endpoint or a
        // stand-in by the SDK's own settings (aws.endpointUrlEcr / AWS_ENDPOINT_URL_ECR)
        aws.pointSdkAtThis();
        AwsIdentity identity =
                AwsIdentity.keys(() -> new AwsCredentials("AKIDBASE", "base-secret", null))
                        .assumingRole(ROLE);

        RegistryCredentials credentials =
                EcrCredentialsSource.forRegistry(
                                EcrRegistry.parse("123456789012.dkr.ecr.eu-west-1.amazonaws.com"),
                                identity,
                                java.time.Clock.systemUTC())
                        .credentials();

        assertThat(credentials.secret()).isEqualTo("ecr-password");
        assertThat(aws.assumeRoleCall().get("Authorization")).contains("Credential=AKIDBASE/");
        assertThat(ecrCall().get("Authorization")).contains("Credential=ASIAROLE/");
    }

    @Test
    void aRoleArnIsCheckedWhenGiven() {
        assertThatThrownBy(() -> AwsIdentity.defaultChain().assumingRole("ecr-push"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an IAM role ARN")
                .hasMessageContaining("arn:aws:iam::123456789012:role/");
    }
}
