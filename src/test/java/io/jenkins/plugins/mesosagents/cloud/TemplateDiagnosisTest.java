package io.jenkins.plugins.mesosagents.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockStatic;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import hudson.util.FormValidation;

import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.settings.CloudSettings;
import io.jenkins.plugins.mesosagents.testcluster.mesos.AgentConfig;
import io.jenkins.plugins.mesosagents.testcluster.mesos.MesosSimConfig;
import io.jenkins.plugins.mesosagents.testcluster.mesos.MesosSimulator;

import jenkins.model.Jenkins;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;
import org.mockito.MockedStatic;
import org.springframework.security.access.AccessDeniedException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * "Diagnose templates" on the cloud form: administer permission first, then the real doctor against
 * the simulated master with the saved cloud's templates; Jenkins itself is Mockito doubles.
 */
class TemplateDiagnosisTest {
    @TempDir Path dir;
    private MesosSimulator sim;
    private final Jenkins jenkins = mock(Jenkins.class);
    private final MesosCloudDescriptor descriptor =
            mock(MesosCloudDescriptor.class, CALLS_REAL_METHODS);
    private MockedStatic<Jenkins> statics;
    private MockedStatic<FormValidation> validations;
    private final FormValidation answer = mock(FormValidation.class);

    @BeforeEach
    void start() throws Exception {
        sim =
                MesosSimulator.start(
                        MesosSimConfig.builder(dir)
                                .heartbeatInterval(Duration.ofMillis(200))
                                .allocationInterval(Duration.ofMillis(100))
                                .agent(AgentConfig.of("agent1.local", 4, 4096))
                                .build());
        statics = mockStatic(Jenkins.class);
        statics.when(Jenkins::get).thenReturn(jenkins);
        validations = mockStatic(FormValidation.class);
        validations.when(() -> FormValidation.ok(anyString())).thenReturn(answer);
        validations.when(() -> FormValidation.warning(anyString())).thenReturn(answer);
        validations.when(() -> FormValidation.error(anyString())).thenReturn(answer);
    }

    @AfterEach
    void stop() {
        validations.close();
        statics.close();
        sim.close();
    }

    private void savedCloud(AgentTemplate... templates) {
        MesosCloud cloud = mock(MesosCloud.class);
        when(cloud.settings())
                .thenReturn(CloudSettings.builder("mesos").frameworkName("ci").build());
        when(cloud.agentTemplates()).thenReturn(List.of(templates));
        when(jenkins.getCloud("mesos")).thenReturn(cloud);
    }

    private FormValidation diagnose() throws Exception {
        return descriptor.doDiagnoseTemplates("mesos", sim.leaderUrl().toString(), "", "", "");
    }

    @Test
    void needsAdministerAndDoesNotTouchMesosWithout() {
        doThrow(new AccessDeniedException("no")).when(jenkins).checkPermission(any());

        assertThatThrownBy(this::diagnose).isInstanceOf(AccessDeniedException.class);
        assertThat(sim.stateJson()).doesNotContain("ci-doctor");
    }

    @Test
    void answersOkWithWhereEachTemplateFits() throws Exception {
        savedCloud(AgentTemplate.builder("linux").cpus(1).memMb(1024).build());

        assertThat(diagnose()).isSameAs(answer);

        verify(jenkins).checkPermission(Jenkins.ADMINISTER);
        ArgumentCaptor<String> text = ArgumentCaptor.forClass(String.class);
        validations.verify(() -> FormValidation.ok(text.capture()));
        assertThat(text.getValue())
                .contains("Subscribed framework 'ci-doctor'")
                .contains("template linux: fits on 1 of 1 hosts (agent1.local)")
                .contains("Result 0 (ALL_FIT)");
        assertThat(sim.tasks()).isEmpty();
    }

    @Test
    void warnsWithTheEnginesReasonWhenATemplateFitsNowhere() throws Exception {
        savedCloud(AgentTemplate.builder("huge").cpus(1).memMb(65536).build());

        diagnose();

        ArgumentCaptor<String> text = ArgumentCaptor.forClass(String.class);
        validations.verify(() -> FormValidation.warning(text.capture()));
        assertThat(text.getValue())
                .contains("template huge: does NOT fit: INSUFFICIENT_MEM - needs 65536 mem")
                .contains("what to do:");
    }

    @Test
    void anUnsavedCloudOrABadMasterIsSaidPlainly() throws Exception {
        diagnose();
        validations.verify(
                () ->
                        FormValidation.warning(
                                org.mockito.ArgumentMatchers.contains(
                                        "Save this cloud with its templates first")));

        descriptor.doDiagnoseTemplates("mesos", "mesos-master:5050", "", "", "");
        validations.verify(
                () ->
                        FormValidation.error(
                                org.mockito.ArgumentMatchers.contains(
                                        "'mesos-master:5050': use http://, https:// or zk://")));
    }
}
