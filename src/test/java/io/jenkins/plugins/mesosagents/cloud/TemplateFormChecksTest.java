package io.jenkins.plugins.mesosagents.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockStatic;
import static org.mockito.Mockito.verify;

import hudson.util.FormValidation;

import io.jenkins.plugins.mesosagents.engine.InvalidTemplateException;
import io.jenkins.plugins.mesosagents.engine.TemplateProblem;

import jenkins.model.Jenkins;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.MockedStatic;

import java.util.List;

/**
 * The template and container form checks: each one asks for Jenkins.ADMINISTER, turns a non-number
 * into an error instead of 0, and reports the engine's rule for its field. Jenkins and
 * FormValidation are doubled by Mockito.
 */
class TemplateFormChecksTest {
    private final Jenkins jenkins = mock(Jenkins.class);
    private MockedStatic<Jenkins> jenkinsStatic;
    private MockedStatic<FormValidation> validations;
    private final FormValidation ok = mock(FormValidation.class);
    private final MesosAgentTemplateDescriptor template =
            mock(MesosAgentTemplateDescriptor.class, org.mockito.Mockito.CALLS_REAL_METHODS);
    private final ContainerSettings.DescriptorImpl container =
            mock(ContainerSettings.DescriptorImpl.class, org.mockito.Mockito.CALLS_REAL_METHODS);

    @BeforeEach
    void jenkins() {
        jenkinsStatic = mockStatic(Jenkins.class);
        jenkinsStatic.when(Jenkins::get).thenReturn(jenkins);
        validations = mockStatic(FormValidation.class);
        validations.when(FormValidation::ok).thenReturn(ok);
        validations
                .when(() -> FormValidation.error(org.mockito.ArgumentMatchers.anyString()))
                .thenAnswer(call -> error(call.getArgument(0)));
        validations
                .when(() -> FormValidation.warning(org.mockito.ArgumentMatchers.anyString()))
                .thenAnswer(call -> error("warning: " + call.getArgument(0)));
    }

    @AfterEach
    void close() {
        jenkinsStatic.close();
        validations.close();
    }

    /** A FormValidation double whose toString is its message, so tests can read it. */
    private static FormValidation error(String message) {
        FormValidation v = mock(FormValidation.class, message);
        return v;
    }

    private static String message(FormValidation v) {
        return v.toString();
    }

    @Test
    void warmPoolFieldsReportThePoolsRules() {
        WarmPoolSettings.DescriptorImpl pool =
                mock(WarmPoolSettings.DescriptorImpl.class, org.mockito.Mockito.CALLS_REAL_METHODS);
        assertThat(message(pool.doCheckWindows("Mon-Fry 08:00-18:00 4")))
                .contains("line 1")
                .contains("unknown day 'Fry'");
        assertThat(pool.doCheckWindows("Mon-Fri 08:00-18:00 4")).isSameAs(ok);
        assertThat(message(pool.doCheckMinIdle("two"))).contains("not a whole number");
        assertThat(message(pool.doCheckMaxIdle("0", "0", true)))
                .contains("adaptive warm pool needs a maximum");
        assertThat(message(pool.doCheckMaxIdle("2", "5", false)))
                .contains("minimum idle agents (5) is above the maximum (2)");
        assertThat(pool.doCheckMaxIdle("4", "1", true)).isSameAs(ok);
    }

    @Test
    void numbersThatAreNotNumbersAreErrorsNotZero() {
        assertThat(message(template.doCheckCpus("abc"))).contains("'abc' is not a number");
        assertThat(message(template.doCheckDiskMb("1e"))).contains("'1e' is not a number");
        assertThat(message(template.doCheckGpus("one"))).contains("not a whole number");
        assertThat(message(template.doCheckExecutors("1.5"))).contains("not a whole number");
        assertThat(template.doCheckCpus("0.5")).isSameAs(ok);
        assertThat(template.doCheckDiskMb("")).isSameAs(ok);
    }

    @Test
    void eachFieldReportsTheEnginesRule() {
        assertThat(message(template.doCheckName("bad name!"))).contains("1-63 characters");
        assertThat(template.doCheckName("linux-jdk17")).isSameAs(ok);
        assertThat(message(template.doCheckCpus("0"))).contains("must be a positive number");
        assertThat(message(template.doCheckMemMb("16"))).contains("at least 32 MB");
        assertThat(message(template.doCheckExecutors("0"))).contains("between 1 and 100");
        assertThat(message(template.doCheckHostPorts("101"))).contains("between 0 and 100");
        assertThat(message(template.doCheckJvmHeapMb("2048", "1024"))).contains("below memMb");
        assertThat(template.doCheckJvmHeapMb("512", "1024")).isSameAs(ok);
        assertThat(message(template.doCheckLaunchTimeoutSeconds("0")))
                .contains("between 1 second and 1 day");
        // hierarchical roles are valid in Mesos 1.11 (roles.cpp), adjacent slashes are not
        assertThat(template.doCheckRole("eng/ci")).isSameAs(ok);
        assertThat(message(template.doCheckRole("a//b")))
                .contains("cannot contain two adjacent slashes");
        assertThat(message(template.doCheckUser("a b"))).contains("no spaces");
        assertThat(message(template.doCheckRegion("", "REGION"))).contains("enter the region");
        assertThat(template.doCheckRegion("", "ANY")).isSameAs(ok);
        assertThat(message(template.doCheckInstanceCap("-1"))).contains("0 (unlimited) or more");
        assertThat(message(template.doCheckLabelString(""))).startsWith("warning:");
    }

    @Test
    void containerFieldsReportTheEnginesRule() {
        assertThat(message(container.doCheckImage("has space"))).contains("Docker image");
        assertThat(container.doCheckImage("jenkins/inbound-agent")).isSameAs(ok);
        assertThat(message(container.doCheckPrivileged(true, "MESOS")))
                .contains("only supported by the DOCKER containerizer");
        assertThat(container.doCheckPrivileged(true, "DOCKER")).isSameAs(ok);
        assertThat(message(container.doCheckCniNetworks("", "USER")))
                .contains("at least one named CNI network");
    }

    @Test
    void cloudFieldsReportTheEnginesRule() {
        MesosCloudDescriptor cloud =
                mock(MesosCloudDescriptor.class, org.mockito.Mockito.CALLS_REAL_METHODS);
        assertThat(message(cloud.doCheckName("my cloud"))).contains("1-63 letters");
        assertThat(cloud.doCheckName("mesos")).isSameAs(ok);
        assertThat(message(cloud.doCheckMaxCpus("lots"))).contains("'lots' is not a number");
        assertThat(message(cloud.doCheckMaxMemMb("-1"))).contains("0 (unlimited) or more");
        assertThat(message(cloud.doCheckMaxAgents("2.5"))).contains("not a whole number");
        assertThat(cloud.doCheckMaxAgents("")).isSameAs(ok);
        assertThat(message(cloud.doCheckFailoverTimeoutHours("-1")))
                .contains("must be greater than 0");
        // 0 would make Mesos kill every task on each disconnection (issue 17)
        assertThat(message(cloud.doCheckFailoverTimeoutHours("0")))
                .contains("must be greater than 0");
        assertThat(cloud.doCheckFailoverTimeoutHours("24")).isSameAs(ok);
    }

    @Test
    void aSavedNonNumberOnTheCloudKeepsThePreviousValueAndIsShown() {
        MesosCloud cloud = mock(MesosCloud.class, org.mockito.Mockito.CALLS_REAL_METHODS);
        cloud.setMaxAgents("5");
        cloud.setMaxAgents("many");
        assertThat(cloud.getMaxAgents()).isEqualTo(5);
        assertThat(cloud.getFieldProblems())
                .containsExactly(
                        "maxAgents: 'many' is not a whole number (e.g. 0, 1 or 10); the previous"
                                + " value is kept");
        cloud.setMaxAgents("7");
        assertThat(cloud.getMaxAgents()).isEqualTo(7);
        assertThat(cloud.getFieldProblems()).isEmpty();
    }

    @Test
    void everyCheckNeedsAdminister() {
        doThrow(new SecurityException("denied")).when(jenkins).checkPermission(Jenkins.ADMINISTER);
        assertThatThrownBy(() -> template.doCheckCpus("1")).hasMessage("denied");
        assertThatThrownBy(() -> container.doCheckImage("x")).hasMessage("denied");
        verify(jenkins, org.mockito.Mockito.times(2)).checkPermission(Jenkins.ADMINISTER);
    }

    @Test
    void aSavedNonNumberMakesTheTemplateInvalidUntilCorrected() {
        MesosAgentTemplate form = new MesosAgentTemplate("linux");
        form.setCpus("abc");
        assertThat(form.getProblems())
                .extracting(TemplateProblem::field, TemplateProblem::message)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "cpus", "'abc' is not a number (e.g. 0.5 or 2)"));
        assertThat(form.isValid()).isFalse();
        assertThatThrownBy(form::toAgentTemplate)
                .isInstanceOf(InvalidTemplateException.class)
                .hasMessageContaining("'abc' is not a number");
        form.setCpus("2");
        assertThat(form.getProblems()).isEqualTo(List.of());
        assertThat(form.toAgentTemplate().cpus()).isEqualTo(2.0);
    }
}
