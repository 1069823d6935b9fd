package io.jenkins.plugins.mesosagents.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import hudson.model.Label;
import hudson.model.labels.LabelAtom;
import hudson.slaves.Cloud;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.MockedStatic;
import org.mockito.Mockito;

import java.util.List;
import java.util.Set;

/**
 * An invalid template never receives jobs: the cloud routes a label past it to the next valid
 * template, and does not claim a label only an invalid template serves (the session drops invalid
 * templates, so a job routed to one would wait forever). Jenkins' Label is doubled by Mockito.
 */
class MesosCloudInvalidTemplateTest {
    private MockedStatic<Label> labels;
    private MockedStatic<hudson.ExtensionList> extensions;
    private MesosCloud cloud;
    private final Label linuxJob = mock(Label.class);

    @BeforeEach
    void cloud() {
        labels = Mockito.mockStatic(Label.class);
        // no Jenkinsfile declared a template on this cloud
        extensions = Mockito.mockStatic(hudson.ExtensionList.class);
        extensions
                .when(() -> hudson.ExtensionList.lookupSingleton(MesosClouds.class))
                .thenReturn(mock(MesosClouds.class));
        Set<LabelAtom> linuxAtoms = Set.of(mock(LabelAtom.class));
        labels.when(() -> Label.parse("linux")).thenReturn(linuxAtoms);
        when(linuxJob.matches(linuxAtoms)).thenReturn(true);
        cloud = mock(MesosCloud.class, CALLS_REAL_METHODS);
        cloud.name = "mesos";
    }

    @AfterEach
    void close() {
        labels.close();
        extensions.close();
    }

    private static MesosAgentTemplate template(String name) {
        MesosAgentTemplate template = new MesosAgentTemplate(name);
        template.setLabelString("linux");
        return template;
    }

    @Test
    void aLabelGoesPastAnInvalidTemplateToTheNextValidOne() {
        MesosAgentTemplate broken = template("bad name!");
        MesosAgentTemplate valid = template("linux");
        cloud.setTemplates(List.of(broken, valid));

        assertThat(cloud.templateFor(linuxJob)).isSameAs(valid);
    }

    @Test
    void aLabelOnlyAnInvalidTemplateServesIsNotProvisioned() {
        cloud.setTemplates(List.of(template("bad name!")));
        Cloud.CloudState state = mock(Cloud.CloudState.class);
        when(state.getLabel()).thenReturn(linuxJob);

        assertThat(cloud.templateFor(linuxJob)).isNull();
        assertThat(cloud.canProvision(state)).isFalse();
    }

    @Test
    void theInvalidTemplateALabelWaitsForIsFoundForTheNeverLaunchCancellation() {
        MesosAgentTemplate broken = template("bad name!");
        cloud.setTemplates(List.of(template("linux"), broken));

        assertThat(cloud.invalidTemplateFor(linuxJob)).isSameAs(broken);
        assertThat(NeverLaunchingItems.invalidTemplates(cloud))
                .containsOnlyKeys("bad name!")
                .hasEntrySatisfying(
                        "bad name!",
                        why ->
                                assertThat(why)
                                        .startsWith("template bad name! is invalid (name: ")
                                        .endsWith(")"));
        cloud.setTemplates(List.of(template("linux")));
        assertThat(cloud.invalidTemplateFor(linuxJob)).isNull();
        assertThat(NeverLaunchingItems.invalidTemplates(cloud)).isEmpty();
    }
}
