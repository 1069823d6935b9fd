package io.jenkins.plugins.mesosagents.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockStatic;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import hudson.model.Item;
import hudson.util.FormValidation;

import jenkins.model.Jenkins;

import net.sf.json.JSONObject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.MockedStatic;
import org.springframework.security.access.AccessDeniedException;

import java.util.List;
import java.util.Map;

/**
 * The snippet generator's checks of the steps' fields: POST, the job's Configure permission first
 * (Administer outside a job), then the rule the step itself runs with. Jenkins, the job and
 * FormValidation are doubled by Mockito; a FormValidation double's toString is its message.
 */
class StepFormChecksTest {
    private final Item job = mock(Item.class);
    private final Jenkins jenkins = mock(Jenkins.class);
    private MockedStatic<Jenkins> jenkinsStatic;
    private MockedStatic<FormValidation> validations;
    private final FormValidation ok = mock(FormValidation.class);
    private final MarathonDeployStep.DescriptorImpl marathon =
            mock(MarathonDeployStep.DescriptorImpl.class, CALLS_REAL_METHODS);
    private final PushImageStep.DescriptorImpl push =
            mock(PushImageStep.DescriptorImpl.class, CALLS_REAL_METHODS);
    private final PromoteImageStep.DescriptorImpl promote =
            mock(PromoteImageStep.DescriptorImpl.class, CALLS_REAL_METHODS);
    private final WithRegistryAuthStep.DescriptorImpl registryAuth =
            mock(WithRegistryAuthStep.DescriptorImpl.class, CALLS_REAL_METHODS);

    @BeforeEach
    void doubles() {
        jenkinsStatic = mockStatic(Jenkins.class);
        jenkinsStatic.when(Jenkins::get).thenReturn(jenkins);
        validations = mockStatic(FormValidation.class);
        validations.when(FormValidation::ok).thenReturn(ok);
        validations
                .when(() -> FormValidation.error(anyString()))
                .thenAnswer(call -> mock(FormValidation.class, (String) call.getArgument(0)));
    }

    @AfterEach
    void close() {
        jenkinsStatic.close();
        validations.close();
    }

    private static String message(FormValidation v) {
        return v.toString();
    }

    @Test
    void marathonFieldsAreCheckedWithTheRulesTheDeployRunsWith() {
        assertThat(marathon.doCheckUrl(job, "http://marathon.mesos:8080")).isSameAs(ok);
        assertThat(message(marathon.doCheckUrl(job, "marathon:8080")))
                .isEqualTo(
                        "'marathon:8080' is not a Marathon URL: expected"
                                + " http(s)://host[:port][/path]");
        assertThat(message(marathon.doCheckUrl(job, " "))).startsWith("Give Marathon's URL");

        assertThat(marathon.doCheckId(job, "")).isSameAs(ok);
        assertThat(marathon.doCheckId(job, "/shop/web")).isSameAs(ok);
        assertThat(message(marathon.doCheckId(job, "/shop/Web")))
                .contains("segment 'Web' may only contain lowercase letters");

        assertThat(marathon.doCheckImage(job, "")).isSameAs(ok);
        assertThat(message(marathon.doCheckImage(job, "registry:99999/web:1")))
                .contains("the registry port \"99999\" is not a number 1-65535");
    }

    @Test
    void deployNumbersGoThroughTheStepsOwnRequest() {
        assertThat(message(marathon.doCheckTimeoutSeconds(job, "ten")))
                .contains("'ten' is not a whole number");
        assertThat(marathon.doCheckTimeoutSeconds(job, "0")).isSameAs(ok); // derived
        assertThat(marathon.doCheckTimeoutSeconds(job, "600")).isSameAs(ok);
        assertThat(message(marathon.doCheckTimeoutSeconds(job, "-5")))
                .isEqualTo(
                        "The deploy timeout must be positive (or left out to derive it), got"
                                + " PT-5S");
        assertThat(marathon.doCheckSettleSeconds(job, "0")).isSameAs(ok);
        assertThat(message(marathon.doCheckSettleSeconds(job, "-1")))
                .startsWith("The settle time must be 0 (no settling) or more");
        assertThat(message(marathon.doCheckRollbackTimeoutSeconds(job, "-1")))
                .startsWith("The rollback timeout must be positive");
        assertThat(message(marathon.doCheckMaxTaskFailures(job, "-1")))
                .isEqualTo("maxTaskFailures must be 0 (never fail early) or more, got -1");
        assertThat(marathon.doCheckMaxTaskFailures(job, "")).isSameAs(ok);
    }

    @Test
    void mapTextAreasAreChecked() {
        assertThat(marathon.doCheckEnv(job, "LOG_LEVEL=info\n# comment\nEMPTY=")).isSameAs(ok);
        assertThat(message(marathon.doCheckEnv(job, "LOG_LEVEL")))
                .isEqualTo("'LOG_LEVEL' is not key=value (e.g. VERSION=1.4), one per line");
        assertThat(marathon.doCheckApp(job, "{\"id\": \"/web\", \"instances\": 2}")).isSameAs(ok);
        assertThat(message(marathon.doCheckApp(job, "[1, 2]"))).startsWith("not a JSON object (");
    }

    @Test
    void imageAndRegistryFields() {
        assertThat(message(push.doCheckImage(job, ""))).startsWith("Give an image reference");
        assertThat(push.doCheckImage(job, "registry.example.com/shop/web:1.4")).isSameAs(ok);
        assertThat(push.doCheckTags(job, "a.example.com/web:1\nb.example.com/web:2")).isSameAs(ok);
        assertThat(message(push.doCheckTags(job, "a.example.com/web:1\nWeb:bad tag")))
                .contains("Invalid image reference \"Web:bad tag\"")
                .doesNotContain("a.example.com/web:1\"");
        assertThat(message(promote.doCheckTarget(job, "-bad-/web"))).contains("-bad-");
        assertThat(registryAuth.doCheckRegistry(job, "localhost:5000")).isSameAs(ok);
        assertThat(message(registryAuth.doCheckRegistry(job, "https://registry.example.com")))
                .isEqualTo(
                        "Invalid registry \"https://registry.example.com\": give the host and port"
                                + " only, without a scheme or path. Expected host[:port], e.g."
                                + " registry.example.com or localhost:5000");
    }

    @Test
    void awsRoleFieldsAreCheckedWithTheRuleTheStepsRunWith() {
        String role = "arn:aws:iam::123456789012:role/ecr-push";
        assertThat(push.doCheckAwsRoleArn(job, "")).isSameAs(ok);
        assertThat(push.doCheckAwsRoleArn(job, role)).isSameAs(ok);
        assertThat(promote.doCheckAwsRoleArn(job, "arn:aws-cn:iam::123456789012:role/x"))
                .isSameAs(ok);
        assertThat(message(push.doCheckAwsRoleArn(job, "ecr-push")))
                .isEqualTo(
                        "'ecr-push' is not an IAM role ARN; it looks like"
                                + " arn:aws:iam::123456789012:role/ecr-push");
        assertThat(message(promote.doCheckTargetAwsRoleArn(job, "arn:aws:iam::123:role/x")))
                .startsWith("'arn:aws:iam::123:role/x' is not an IAM role ARN");
        assertThat(
                        message(
                                registryAuth.doCheckAwsRoleArn(
                                        job, "arn:aws:iam::123456789012:user/ci")))
                .contains("is not an IAM role ARN");
    }

    @Test
    void everyCheckAsksForThePermissionFirst() {
        doThrow(new AccessDeniedException("denied")).when(job).checkPermission(Item.CONFIGURE);
        assertThatThrownBy(() -> marathon.doCheckUrl(job, "x")).hasMessage("denied");
        assertThatThrownBy(() -> marathon.doCheckTimeoutSeconds(job, "x")).hasMessage("denied");
        assertThatThrownBy(() -> push.doCheckTags(job, "x")).hasMessage("denied");
        assertThatThrownBy(() -> registryAuth.doCheckRegistry(job, "x")).hasMessage("denied");
        assertThatThrownBy(() -> push.doCheckAwsRoleArn(job, "x")).hasMessage("denied");
        assertThatThrownBy(() -> promote.doCheckAwsRoleArn(job, "x")).hasMessage("denied");
        assertThatThrownBy(() -> promote.doCheckTargetAwsRoleArn(job, "x")).hasMessage("denied");
        assertThatThrownBy(() -> registryAuth.doCheckAwsRoleArn(job, "x")).hasMessage("denied");

        // outside a job (the global snippet generator): Administer
        assertThat(marathon.doCheckId(null, "/web")).isSameAs(ok);
        verify(jenkins).checkPermission(Jenkins.ADMINISTER);
    }

    @Test
    void theFormsMapTextIsBoundToTheStepsMapsAndTheOldMapFormStillBinds() {
        JSONObject form = mock(JSONObject.class);
        when(form.opt("env")).thenReturn("LOG_LEVEL=info\nVERSION=1.4");
        when(form.opt("labels")).thenReturn("");
        when(form.opt("app"))
                .thenReturn("{\"id\": \"/web\", \"container\": {\"type\": \"DOCKER\"}}");

        MarathonDeployStep.MapFields maps = MarathonDeployStep.MapFields.take(form);
        MarathonDeployStep step = new MarathonDeployStep("http://marathon:8080");
        maps.applyTo(step);

        verify(form).remove("env");
        verify(form).remove("labels");
        verify(form).remove("app");
        assertThat(maps.problems()).isEmpty();
        assertThat(step.getEnv())
                .containsExactly(Map.entry("LOG_LEVEL", "info"), Map.entry("VERSION", "1.4"));
        assertThat(step.getLabels()).isEmpty();
        assertThat(step.getApp())
                .containsEntry("id", "/web")
                .containsEntry("container", Map.of("type", "DOCKER"));
        // and back into the text areas the form shows
        assertThat(marathon.keyValues(step.getEnv())).isEqualTo("LOG_LEVEL=info\nVERSION=1.4\n");
        assertThat(marathon.json(step.getApp())).contains("\"container\" : {");

        // Pipeline passes maps: left to the step's Map setters, nothing parsed or removed
        JSONObject pipeline = mock(JSONObject.class);
        when(pipeline.opt("env")).thenReturn(Map.of("A", "b"));
        MarathonDeployStep.MapFields none = MarathonDeployStep.MapFields.take(pipeline);
        verify(pipeline, org.mockito.Mockito.never()).remove("env");
        assertThat(none.env()).isNull();
    }

    @Test
    void badMapTextIsAProblemNamingItsField() {
        JSONObject form = mock(JSONObject.class);
        when(form.opt("env")).thenReturn("no-equals-sign");
        when(form.opt("app")).thenReturn("{\"id\": ");

        List<String> problems =
                MarathonDeployStep.MapFields.take(form).problems().stream()
                        .map(p -> p.field() + ": " + p.message())
                        .toList();

        assertThat(problems).hasSize(2);
        assertThat(problems.get(0))
                .isEqualTo(
                        "env: 'no-equals-sign' is not key=value (e.g. VERSION=1.4), one per line");
        assertThat(problems.get(1)).startsWith("app: not a JSON object (");
    }
}
