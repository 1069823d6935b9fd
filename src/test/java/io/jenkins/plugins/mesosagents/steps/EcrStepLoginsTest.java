package io.jenkins.plugins.mesosagents.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockConstruction;
import static org.mockito.Mockito.mockStatic;
import static org.mockito.Mockito.when;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.IdCredentials;

import hudson.AbortException;
import hudson.FilePath;
import hudson.ProxyConfiguration;
import hudson.model.Run;
import hudson.util.Secret;

import io.jenkins.plugins.mesosagents.SecretCanary;
import io.jenkins.plugins.mesosagents.image.auth.AwsStandIn;
import io.jenkins.plugins.mesosagents.image.promote.ImagePromoter;

import jenkins.MasterToSlaveFileCallable;
import jenkins.model.Jenkins;

import org.assertj.core.util.introspection.PropertyOrFieldSupport;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.MockedConstruction;
import org.mockito.MockedStatic;

import java.net.Proxy;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The image steps' AWS ECR logins: with a credential's access keys, with the controller's own AWS
 * identity (only when the administrator's system property allows it), and the refusals. The AWS
 * side is the local {@link AwsStandIn} (ECR API, STS, EC2 instance metadata), reached through the
 * SDK's own endpoint settings, so the SDK really signs the calls checked here. Jenkins (credentials
 * store, workspace, Pipeline context) is doubled by Mockito; the builder and the registry are not
 * reached: the workspace records the work sent to the agent, and promoteImage's copier is doubled.
 */
class EcrStepLoginsTest {
    private static final String ECR = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
    private static final String OTHER_ECR = "210987654321.dkr.ecr.eu-west-1.amazonaws.com";
    private static final String OPT_IN = "io.jenkins.plugins.mesosagents.ecr.controllerIdentity";
    private static final String BASE_SECRET = "canary-aws-base-secret-5c1d";
    private static final String ROLE = AwsStandIn.ROLE;

    @TempDir Path workspace;
    private StepDoubles pipeline;
    private AwsStandIn aws;
    private MockedStatic<CredentialsProvider> credentials;
    private MockedStatic<Jenkins> jenkins;
    private Jenkins instance;
    private MockedConstruction<AbortException> aborts;
    private MockedConstruction<ImagePromoter> promoter;
    private final List<MasterToSlaveFileCallable<?>> sentToAgent = new ArrayList<>();
    private String optInBefore;

    @BeforeEach
    void doubles() throws Exception {
        optInBefore = System.getProperty(OPT_IN);
        System.clearProperty(OPT_IN);
        aws = AwsStandIn.start();
        aws.pointSdkAtThis();
        pipeline = new StepDoubles(workspace);
        FilePath agent = mock(FilePath.class);
        when(agent.act(any(MasterToSlaveFileCallable.class)))
                .thenAnswer(
                        call -> {
                            sentToAgent.add(call.getArgument(0));
                            return call.getArgument(0) instanceof ImageWork.Build
                                    ? new java.util.LinkedHashMap<String, Object>()
                                    : new ArrayList<String>();
                        });
        when(pipeline.context.get(FilePath.class)).thenReturn(agent);
        IdCredentials keys = StepDoubles.usernamePassword("AKIDBASE", BASE_SECRET);
        StringCredentials token = mock(StringCredentials.class);
        credentials = mockStatic(CredentialsProvider.class);
        credentials
                .when(
                        () ->
                                CredentialsProvider.findCredentialById(
                                        eq("aws-keys"), eq(IdCredentials.class), any(Run.class)))
                .thenReturn(keys);
        credentials
                .when(
                        () ->
                                CredentialsProvider.findCredentialById(
                                        eq("token"), eq(IdCredentials.class), any(Run.class)))
                .thenReturn(token);
        instance = mock(Jenkins.class);
        when(instance.getProxy()).thenReturn(null);
        jenkins = mockStatic(Jenkins.class);
        jenkins.when(Jenkins::get).thenReturn(instance);
        aborts = StepDoubles.abortExceptions();
        promoter =
                mockConstruction(
                        ImagePromoter.class,
                        (copier, creation) ->
                                when(copier.promote(any(), any(), any(), any()))
                                        .thenThrow(
                                                new IllegalStateException(
                                                        "the registry is not reached in this"
                                                                + " test")));
    }

    @AfterEach
    void close() throws Exception {
        promoter.close();
        aborts.close();
        jenkins.close();
        credentials.close();
        aws.close();
        if (optInBefore == null) {
            System.clearProperty(OPT_IN);
        } else {
            System.setProperty(OPT_IN, optInBefore);
        }
    }

    /** The logins the step sent to the agent with its work. */
    @SuppressWarnings("unchecked")
    private List<RegistryLogin> loginsSentToAgent() {
        assertThat(sentToAgent).hasSize(1);
        return (List<RegistryLogin>)
                PropertyOrFieldSupport.EXTRACTION.getValueOf("logins", sentToAgent.get(0));
    }

    private static void promotionStarted(Throwable thrown) {
        // the logins were resolved and the copy began: only the doubled copier stopped it
        assertThat(thrown).hasMessageContaining("the registry is not reached in this test");
    }

    @Test
    void withoutACredentialOrTheAdministratorsOptInAPromotionToEcrIsRefusedNamingBothWaysOut() {
        PromoteImageStep step = new PromoteImageStep(ECR + "/app:1", ECR + "/app:2");

        assertThatThrownBy(() -> step.perform(pipeline.context))
                .isInstanceOf(AbortException.class)
                .hasMessageStartingWith("promoteImage: ")
                .hasMessageContaining("no credentials for the AWS ECR registry " + ECR)
                .hasMessageContaining("give credentialsId with a 'Username with password'")
                .hasMessageContaining("-D" + OPT_IN + "=true");
        assertThat(aws.requests()).isEmpty();
        assertThat(promoter.constructed()).isEmpty();
    }

    /**
     * A push runs on the agent: without a credential, a role or the opt-in, the builder uses the
     * agent's own registry configuration (an ecr-login credential helper, the agent's instance
     * profile), as a plain buildah or docker push there would; the controller's identity is not
     * used.
     */
    @Test
    void withoutACredentialOrTheOptInAPushToEcrLeavesTheLoginToTheAgent() throws Exception {
        System.setProperty("aws.accessKeyId", "AKIDCONTROLLER");
        System.setProperty("aws.secretAccessKey", "controller-secret");

        new PushImageStep(ECR + "/app:1").perform(pipeline.context);

        assertThat(loginsSentToAgent()).isEmpty();
        assertThat(aws.requests()).isEmpty();
    }

    @Test
    void withoutACredentialOrTheOptInAnEcrRegistryAuthBlockIsRefusedNamingBothWaysOut() {
        WithRegistryAuthStep step = new WithRegistryAuthStep(ECR);

        assertThatThrownBy(() -> step.login(pipeline.run))
                .isInstanceOf(AbortException.class)
                .hasMessageStartingWith("withRegistryAuth: ")
                .hasMessageContaining("give credentialsId with a 'Username with password'")
                .hasMessageContaining("-D" + OPT_IN + "=true");
        assertThat(aws.requests()).isEmpty();
    }

    @Test
    void aPushInsideWithRegistryAuthLeavesTheLoginToTheBlock() throws Exception {
        pipeline.env(Map.of("REGISTRY_AUTH_FILE", workspace.resolve("auth.json").toString()));

        new PushImageStep(ECR + "/app:1").perform(pipeline.context);

        assertThat(loginsSentToAgent()).isEmpty();
        assertThat(aws.requests()).isEmpty();
    }

    @Test
    void aBuildThatDoesNotPushNeedsNoEcrLogin() throws Exception {
        new BuildImageStep(List.of(ECR + "/app:1")).perform(pipeline.context);

        assertThat(loginsSentToAgent()).isEmpty();
        assertThat(aws.requests()).isEmpty();
    }

    @Test
    void withTheOptInAPromotionWithoutACredentialUsesTheControllersDefaultChain() {
        System.setProperty(OPT_IN, "true");
        System.setProperty("aws.accessKeyId", "AKIDCONTROLLER");
        System.setProperty("aws.secretAccessKey", "controller-secret");

        promotionStarted(
                catchThrowable(
                        () ->
                                new PromoteImageStep(ECR + "/app:1", ECR + "/app:2")
                                        .perform(pipeline.context)));

        assertThat(aws.ecrCall().get("Authorization")).contains("Credential=AKIDCONTROLLER/");
        // one registry, one login: one token request
        assertThat(aws.requests()).filteredOn(r -> r.containsKey("X-Amz-Target")).hasSize(1);
    }

    @Test
    void withTheOptInAPushWithoutACredentialUsesTheInstanceProfile() throws Exception {
        System.setProperty(OPT_IN, "true");
        aws.serveInstanceProfile();

        new PushImageStep(ECR + "/app:1").perform(pipeline.context);

        assertThat(loginsSentToAgent())
                .singleElement()
                .satisfies(
                        login -> {
                            assertThat(login.registry()).isEqualTo(ECR);
                            assertThat(login.username()).isEqualTo("AWS");
                            assertThat(login.secret()).isEqualTo("ecr-password");
                        });
        assertThat(aws.ecrCall().get("Authorization")).contains("Credential=ASIAIMDS/");
        assertThat(aws.ecrCall().get("X-Amz-Security-Token")).isEqualTo("imds-session");
    }

    @Test
    void theOptInIsOnlyTheExactValueTrue() {
        System.setProperty(OPT_IN, "yes");
        System.setProperty("aws.accessKeyId", "AKIDCONTROLLER");
        System.setProperty("aws.secretAccessKey", "controller-secret");

        assertThatThrownBy(
                        () ->
                                new PromoteImageStep(ECR + "/app:1", ECR + "/app:2")
                                        .perform(pipeline.context))
                .hasMessageContaining("-D" + OPT_IN + "=true");
        assertThat(aws.requests()).isEmpty();
    }

    @Test
    void aPromotionWithKeysAndARoleSignsTheEcrCallWithTheAssumedRolesKeys() {
        PromoteImageStep step = new PromoteImageStep(ECR + "/app:1", ECR + "/app:2");
        step.setCredentialsId("aws-keys");
        step.setAwsRoleArn(ROLE);

        promotionStarted(catchThrowable(() -> step.perform(pipeline.context)));

        String form = URLDecoder.decode(aws.assumeRoleCall().get(":body"), StandardCharsets.UTF_8);
        assertThat(form).contains("RoleArn=" + ROLE);
        assertThat(aws.assumeRoleCall().get("Authorization")).contains("Credential=AKIDBASE/");
        assertThat(aws.ecrCall().get("Authorization")).contains("Credential=ASIAROLE/");
        assertThat(aws.ecrCall().get("X-Amz-Security-Token")).isEqualTo("role-session");
    }

    @Test
    void aPushWithKeysAndARoleSendsTheAssumedRolesEcrLoginToTheAgent() throws Exception {
        PushImageStep step = new PushImageStep(ECR + "/app:1");
        step.setCredentialsId("aws-keys");
        step.setAwsRoleArn(ROLE);

        step.perform(pipeline.context);

        assertThat(loginsSentToAgent())
                .singleElement()
                .satisfies(login -> assertThat(login.secret()).isEqualTo("ecr-password"));
        assertThat(aws.assumeRoleCall().get("Authorization")).contains("Credential=AKIDBASE/");
        assertThat(aws.ecrCall().get("Authorization")).contains("Credential=ASIAROLE/");
    }

    @Test
    void aBuildThatPushesWithARoleLogsInWithTheAssumedRole() throws Exception {
        BuildImageStep step = new BuildImageStep(List.of(ECR + "/app:1"));
        step.setCredentialsId("aws-keys");
        step.setAwsRoleArn(ROLE);
        step.setPush(true);

        step.perform(pipeline.context);

        assertThat(loginsSentToAgent())
                .singleElement()
                .extracting(RegistryLogin::secret)
                .isEqualTo("ecr-password");
        assertThat(aws.ecrCall().get("Authorization")).contains("Credential=ASIAROLE/");
    }

    private static void assertIsTheEcrLogin(RegistryLogin login) {
        assertThat(login.credentials().dockerConfigAuth())
                .isEqualTo(
                        java.util.Base64.getEncoder()
                                .encodeToString(
                                        "AWS:ecr-password".getBytes(StandardCharsets.UTF_8)));
    }

    /** Jenkins' proxy (and its login) as the steps see it, chosen by {@code proxyFor}. */
    private void jenkinsProxy(java.util.function.Function<String, Proxy> proxyFor) {
        ProxyConfiguration proxy = mock(ProxyConfiguration.class);
        when(proxy.createProxy(any())).thenAnswer(call -> proxyFor.apply(call.getArgument(0)));
        when(proxy.getUserName()).thenReturn("corp");
        Secret password = mock(Secret.class);
        when(password.getPlainText()).thenReturn("corp-pw");
        when(proxy.getSecretPassword()).thenReturn(password);
        when(instance.getProxy()).thenReturn(proxy);
    }

    @Test
    void theEcrLoginGoesThroughJenkinsProxyWithItsLogin() throws Exception {
        aws.requireProxyLogin("corp", "corp-pw");
        System.setProperty("aws.endpointUrlEcr", "http://ecr.corp-aws.invalid");
        jenkinsProxy(host -> host.equals("ecr.corp-aws.invalid") ? aws.proxy() : Proxy.NO_PROXY);
        WithRegistryAuthStep step = new WithRegistryAuthStep(ECR);
        step.setCredentialsId("aws-keys");

        RegistryLogin login = step.login(pipeline.run);

        assertIsTheEcrLogin(login);
        assertThat(aws.ecrCall())
                .containsEntry(":target", "http://ecr.corp-aws.invalid/")
                .containsKey("Proxy-Authorization");
        assertThat(aws.ecrCall().get("Authorization")).contains("Credential=AKIDBASE/");
    }

    @Test
    void anAwsHostJenkinsListsAsNoProxyIsCalledDirectly() throws Exception {
        jenkinsProxy(
                host ->
                        host.equals("127.0.0.1")
                                ? Proxy.NO_PROXY
                                : new Proxy(
                                        Proxy.Type.HTTP,
                                        new java.net.InetSocketAddress("127.0.0.1", 9)));
        WithRegistryAuthStep step = new WithRegistryAuthStep(ECR);
        step.setCredentialsId("aws-keys");

        step.login(pipeline.run);

        assertThat(aws.ecrCall())
                .containsEntry(":target", "/")
                .doesNotContainKey("Proxy-Authorization");
    }

    @Test
    void thePromotionsTargetSideHasItsOwnRole() {
        PromoteImageStep step = new PromoteImageStep(ECR + "/app:1", OTHER_ECR + "/app:1");
        step.setCredentialsId("aws-keys");
        step.setTargetAwsRoleArn(ROLE);

        promotionStarted(catchThrowable(() -> step.perform(pipeline.context)));

        List<Map<String, String>> ecrCalls =
                aws.requests().stream().filter(r -> r.containsKey("X-Amz-Target")).toList();
        assertThat(ecrCalls).hasSize(2);
        // the source with the keys themselves, the target with the role they assumed
        assertThat(ecrCalls.get(0).get("Authorization")).contains("Credential=AKIDBASE/");
        assertThat(ecrCalls.get(1).get("Authorization")).contains("Credential=ASIAROLE/");
        assertThat(aws.assumeRoleCall().get("Authorization")).contains("Credential=AKIDBASE/");
    }

    @Test
    void withTheOptInARegistryAuthBlockAssumesARoleWithTheInstanceProfile() throws Exception {
        System.setProperty(OPT_IN, "true");
        aws.serveInstanceProfile();
        WithRegistryAuthStep step = new WithRegistryAuthStep(ECR);
        step.setAwsRoleArn(ROLE);

        RegistryLogin login = step.login(pipeline.run);

        assertIsTheEcrLogin(login);
        assertThat(aws.assumeRoleCall().get("Authorization")).contains("Credential=ASIAIMDS/");
        assertThat(aws.ecrCall().get("Authorization")).contains("Credential=ASIAROLE/");
    }

    @Test
    void aRoleThatIsNoIamRoleArnIsRefusedNamingTheStepAndField() {
        PushImageStep push = new PushImageStep(ECR + "/app:1");
        push.setCredentialsId("aws-keys");
        push.setAwsRoleArn("ecr-push");
        PromoteImageStep promote = new PromoteImageStep(ECR + "/app:1", OTHER_ECR + "/app:1");
        promote.setCredentialsId("aws-keys");
        promote.setTargetAwsRoleArn("arn:aws:iam::1234:role/ecr-push");

        assertThatThrownBy(() -> push.perform(pipeline.context))
                .isInstanceOf(AbortException.class)
                .hasMessageStartingWith("pushImage: awsRoleArn: 'ecr-push' is not an IAM role ARN")
                .hasMessageContaining("arn:aws:iam::123456789012:role/ecr-push");
        assertThatThrownBy(() -> promote.perform(pipeline.context))
                .isInstanceOf(AbortException.class)
                .hasMessageStartingWith(
                        "promoteImage: targetAwsRoleArn: 'arn:aws:iam::1234:role/ecr-push' is not"
                                + " an IAM role ARN");
        assertThat(aws.requests()).isEmpty();
    }

    @Test
    void aRoleForARegistryThatIsNotEcrIsRefused() {
        PushImageStep push = new PushImageStep("registry.example.com/app:1");
        push.setCredentialsId("aws-keys");
        push.setAwsRoleArn(ROLE);
        WithRegistryAuthStep block = new WithRegistryAuthStep("ghcr.io");
        block.setCredentialsId("token");
        block.setAwsRoleArn(ROLE);
        // the source's role, the target having its own credentials: only the source counts
        PromoteImageStep promote =
                new PromoteImageStep("registry.example.com/app:1", ECR + "/app:1");
        promote.setCredentialsId("aws-keys");
        promote.setTargetCredentialsId("aws-keys");
        promote.setAwsRoleArn(ROLE);

        assertThatThrownBy(() -> push.perform(pipeline.context))
                .isInstanceOf(AbortException.class)
                .hasMessage(
                        "pushImage: awsRoleArn applies only to AWS ECR registries"
                                + " (<account>.dkr.ecr.<region>.amazonaws.com), and"
                                + " registry.example.com is not one: remove awsRoleArn and give"
                                + " the registry's own login in credentialsId");
        assertThatThrownBy(() -> block.login(pipeline.run))
                .hasMessageStartingWith("withRegistryAuth: awsRoleArn applies only to AWS ECR");
        assertThatThrownBy(() -> promote.perform(pipeline.context))
                .hasMessageStartingWith("promoteImage: awsRoleArn applies only to AWS ECR");
        assertThat(sentToAgent).isEmpty();
        assertThat(aws.requests()).isEmpty();
    }

    @Test
    void aRoleNeedsAccessKeysNotAToken() {
        PushImageStep push = new PushImageStep(ECR + "/app:1");
        push.setCredentialsId("token");
        push.setAwsRoleArn(ROLE);

        assertThatThrownBy(() -> push.perform(pipeline.context))
                .isInstanceOf(AbortException.class)
                .hasMessageStartingWith("pushImage: awsRoleArn is assumed with AWS access keys")
                .hasMessageContaining("'token' must be a 'Username with password'");
        assertThat(aws.requests()).isEmpty();
    }

    @Test
    void noKeyTokenOrPasswordReachesTheLogAMessageOrALoginsText() throws Exception {
        // Known and documented (docs/image.md): the JDK's HttpURLConnection, which carries the
        // AWS SDK's calls, logs every request header (a session token among them) at FINE on this
        // logger. Here it stays at Jenkins' default level; every other logger is watched at ALL.
        java.util.logging.Logger jdkHttp =
                java.util.logging.Logger.getLogger("sun.net.www.protocol.http.HttpURLConnection");
        java.util.logging.Level jdkHttpLevel = jdkHttp.getLevel();
        jdkHttp.setLevel(java.util.logging.Level.INFO);
        try (SecretCanary canary =
                SecretCanary.watch(
                        BASE_SECRET,
                        "role-secret",
                        "role-session",
                        "ecr-password",
                        "imds-secret",
                        "imds-session")) {
            PushImageStep push = new PushImageStep(ECR + "/app:1");
            push.setCredentialsId("aws-keys");
            push.setAwsRoleArn(ROLE);
            push.perform(pipeline.context);
            canary.shown("login sent to the agent", loginsSentToAgent());

            aws.denyAssumeRole();
            Throwable denied = catchThrowable(() -> push.perform(pipeline.context));
            assertThat(denied)
                    .isInstanceOf(AbortException.class)
                    .hasMessageStartingWith("pushImage: STS AssumeRole for ECR in eu-west-1 failed")
                    .hasMessageContaining(ROLE)
                    .hasMessageContaining("trust policy");
            canary.thrown("denied role", denied);

            System.setProperty(OPT_IN, "true");
            aws.serveInstanceProfile();
            PromoteImageStep promote = new PromoteImageStep(ECR + "/app:1", ECR + "/app:2");
            canary.thrown(
                    "promotion with the instance profile",
                    catchThrowable(() -> promote.perform(pipeline.context)));
            canary.shown("build log", pipeline.log());
            canary.assertNoLeak();
        } finally {
            jdkHttp.setLevel(jdkHttpLevel);
        }
    }
}
