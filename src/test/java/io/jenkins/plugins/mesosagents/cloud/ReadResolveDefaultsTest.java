package io.jenkins.plugins.mesosagents.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Node;

import io.jenkins.plugins.mesosagents.engine.AgentTemplate;

import org.junit.jupiter.api.Test;
import org.objenesis.ObjenesisStd;

/**
 * What an older {@code config.xml} loads as: XStream's reflection provider creates objects without
 * running a constructor or field initializers (as Objenesis does here), so every field the XML does
 * not mention is null or 0 until {@code readResolve} supplies its default.
 */
class ReadResolveDefaultsTest {
    private static <T> T loadedWithoutFields(Class<T> type) {
        return new ObjenesisStd().newInstance(type);
    }

    @Test
    void aCloudFromAnOlderConfigurationGetsItsDefaults() {
        MesosCloud cloud = loadedWithoutFields(MesosCloud.class);
        assertThat(cloud.getFrameworkName()).isNull();

        cloud.readResolve();

        assertThat(cloud.getFrameworkName()).isEqualTo("jenkins");
        assertThat(cloud.getMasterUrls()).isEmpty();
        assertThat(cloud.getFrameworkUser()).isEmpty();
        assertThat(cloud.getCredentialsId()).isEmpty();
        assertThat(cloud.getDcosCredentialsId()).isEmpty();
        assertThat(cloud.getCaCertificate()).isEmpty();
        assertThat(cloud.getJenkinsUrl()).isEmpty();
        assertThat(cloud.getFailoverTimeoutHours()).isEqualTo(168);
        assertThat(cloud.getTemplates()).isEmpty();
    }

    @Test
    void aTemplateFromAnOlderConfigurationGetsItsDefaultsAndStaysValid() {
        MesosAgentTemplate template = loadedWithoutFields(MesosAgentTemplate.class);
        assertThat(template.getExecutors()).isZero();

        template.readResolve();

        assertThat(template.getExecutors()).isEqualTo(1);
        assertThat(template.getMode()).isEqualTo(Node.Mode.EXCLUSIVE);
        assertThat(template.getRole()).isEqualTo(AgentTemplate.DEFAULT_ROLE);
        assertThat(template.getRemoteFsRoot()).isEqualTo(AgentTemplate.DEFAULT_REMOTE_FS);
        assertThat(template.getLaunchTimeoutSeconds())
                .isEqualTo(AgentTemplate.DEFAULT_LAUNCH_TIMEOUT.toSeconds());
        assertThat(template.getFaultDomain()).isEqualTo("HOME_REGION");
        assertThat(template.getLabelString()).isEmpty();
        assertThat(template.getEnvironment()).isEmpty();
        assertThat(template.getConstraints()).isEmpty();
    }

    @Test
    void containerSettingsFromAnOlderConfigurationGetTheirDefaults() {
        ContainerSettings container = loadedWithoutFields(ContainerSettings.class);

        container.readResolve();

        assertThat(container.getType()).isEqualTo("MESOS");
        assertThat(container.getImage()).isEmpty();
        assertThat(container.getNetwork()).isEqualTo("HOST");
        assertThat(container.getCniNetworks()).isEmpty();
        assertThat(container.getPortMappings()).isEmpty();
        assertThat(container.getDockerParameters()).isEmpty();
        assertThat(container.getVolumes()).isEmpty();
        assertThat(container.getPullCredentialsId()).isEmpty();
    }
}
