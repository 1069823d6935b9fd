package io.jenkins.plugins.mesosagents.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockStatic;
import static org.mockito.Mockito.when;

import hudson.ExtensionList;
import hudson.model.Label;
import hudson.model.labels.LabelAtom;
import hudson.util.FormValidation;

import io.jenkins.plugins.mesosagents.engine.TemplateProblem;

import jenkins.model.Jenkins;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.MockedStatic;

import java.util.List;
import java.util.Set;

/**
 * Inheritance and the host-access switch on the cloud (Jenkins doubled by Mockito): a child
 * template's effective fields are served for its label, a cycle or an unknown parent makes the
 * template invalid on the cloud's page and in the form's inheritFrom check, and a privileged
 * template is invalid until the cloud's allowPrivileged switch is on.
 */
class CloudTemplateInheritanceTest {
    private MockedStatic<Jenkins> jenkinsStatic;
    private MockedStatic<FormValidation> validations;
    private MockedStatic<ExtensionList> extensions;
    private final Jenkins jenkins = mock(Jenkins.class);
    private final FormValidation ok = mock(FormValidation.class, "ok");
    private MesosCloud cloud;
    private MesosAgentTemplate base;
    private MesosAgentTemplate child;

    @BeforeEach
    void cloud() {
        jenkinsStatic = mockStatic(Jenkins.class);
        jenkinsStatic.when(Jenkins::get).thenReturn(jenkins);
        validations = mockStatic(FormValidation.class);
        validations.when(FormValidation::ok).thenReturn(ok);
        validations
                .when(() -> FormValidation.error(anyString()))
                .thenAnswer(call -> mock(FormValidation.class, "error: " + call.getArgument(0)));
        validations
                .when(() -> FormValidation.warning(anyString()))
                .thenAnswer(call -> mock(FormValidation.class, "warning: " + call.getArgument(0)));
        extensions = mockStatic(ExtensionList.class);
        extensions
                .when(() -> ExtensionList.lookupSingleton(MesosClouds.class))
                .thenReturn(mock(MesosClouds.class));

        cloud = mock(MesosCloud.class, CALLS_REAL_METHODS);
        cloud.name = "mesos";
        base = new MesosAgentTemplate("base");
        base.setLabelString("linux");
        base.setCpus("3");
        base.setEnvironment("A=1");
        base.setContainer(new ContainerSettings("MESOS", "agent:17"));
        child = new MesosAgentTemplate("big");
        child.setInheritFrom("base");
        child.setLabelString("big");
        child.setMemMb("16384");
        when(jenkins.getCloud("mesos")).thenReturn(cloud);
    }

    @AfterEach
    void close() {
        jenkinsStatic.close();
        validations.close();
        extensions.close();
    }

    @Test
    void aChildIsServedWithItsParentsValues() {
        cloud.setTemplates(List.of(base, child));
        assertThat(child.getProblems()).isEmpty();
        try (MockedStatic<Label> labels = mockStatic(Label.class)) {
            Set<LabelAtom> big = Set.of(mock(LabelAtom.class));
            labels.when(() -> Label.parse("big")).thenReturn(big);
            labels.when(() -> Label.parse("linux")).thenReturn(Set.of());
            Label job = mock(Label.class);
            when(job.matches(big)).thenReturn(true);

            MesosAgentTemplate served = cloud.templateFor(job);

            assertThat(served.getName()).isEqualTo("big");
            assertThat(served.getCpus()).isEqualTo(3);
            assertThat(served.getMemMb()).isEqualTo(16384);
            assertThat(served.getContainer().getImage()).isEqualTo("agent:17");
            assertThat(served.getLabelString()).isEqualTo("big");
        }
        assertThat(CloudSessions.agentTemplates(cloud))
                .filteredOn(t -> t.name().equals("big"))
                .singleElement()
                .satisfies(t -> assertThat(t.environment()).containsEntry("A", "1"));
    }

    @Test
    void cyclesAndUnknownParentsMakeTemplatesInvalidOnThePageAndInTheForm() {
        MesosAgentTemplate loopA = new MesosAgentTemplate("a");
        loopA.setInheritFrom("b");
        MesosAgentTemplate loopB = new MesosAgentTemplate("b");
        loopB.setInheritFrom("a");
        MesosAgentTemplate orphan = new MesosAgentTemplate("orphan");
        orphan.setInheritFrom("gone");
        cloud.setTemplates(List.of(base, child, loopA, loopB, orphan));

        assertThat(loopA.isValid()).isFalse();
        assertThat(loopA.getProblems())
                .extracting(TemplateProblem::message)
                .singleElement()
                .asString()
                .contains("inherits in a cycle: a → b → a");
        assertThat(orphan.getProblems().get(0).message())
                .contains("inherits from 'gone', which is no template of this cloud");
        assertThat(CloudSessions.agentTemplates(cloud))
                .extracting(t -> t.name())
                .containsExactly("base", "big");

        MesosAgentTemplateDescriptor form =
                mock(MesosAgentTemplateDescriptor.class, CALLS_REAL_METHODS);
        assertThat(form.doCheckInheritFrom("base", "big", "mesos")).isSameAs(ok);
        assertThat(form.doCheckInheritFrom("", "big", "mesos")).isSameAs(ok);
        assertThat(form.doCheckInheritFrom("gone", "big", "mesos").toString())
                .startsWith("error: inherits from 'gone', which is no template of this cloud");
        assertThat(form.doCheckInheritFrom("big", "big", "mesos").toString())
                .startsWith("error: inherits in a cycle: big → big");
        // a: b inherits from a, so a inheriting from b closes a cycle
        assertThat(form.doCheckInheritFrom("b", "a", "mesos").toString())
                .startsWith("error: inherits in a cycle: a → b → a");
        assertThat(form.doCheckInheritFrom("x", "new", "unsaved").toString())
                .startsWith("warning: Save the cloud");
    }

    @Test
    void aPrivilegedTemplateIsInvalidUntilTheCloudAllowsIt() {
        ContainerSettings privileged = new ContainerSettings("DOCKER", "agent:17");
        privileged.setPrivileged(true);
        privileged.setVolumes("/var/run/docker.sock:/var/run/docker.sock");
        base.setContainer(privileged);
        cloud.setTemplates(List.of(base, child));

        assertThat(base.getProblems())
                .extracting(TemplateProblem::field)
                .containsExactly("container.privileged", "container.volumes");
        assertThat(base.getProblems().get(0).message()).contains("allowPrivileged switch is off");
        assertThat(child.isValid()).isFalse(); // it inherits the privileged container
        assertThat(CloudSessions.agentTemplates(cloud)).isEmpty();

        cloud.setAllowPrivileged(true);
        assertThat(base.isValid()).isTrue();
        assertThat(child.isValid()).isTrue();
        assertThat(CloudSessions.agentTemplates(cloud)).hasSize(2);
    }
}
