package io.jenkins.plugins.mesosagents.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.engine.Constraint;
import io.jenkins.plugins.mesosagents.engine.ContainerSpec;
import io.jenkins.plugins.mesosagents.engine.FaultDomainPlacement;
import io.jenkins.plugins.mesosagents.engine.InvalidTemplateException;
import io.jenkins.plugins.mesosagents.engine.SecretValue;
import io.jenkins.plugins.mesosagents.engine.TemplateProblem;
import io.jenkins.plugins.mesosagents.settings.DockerPullConfig;

import org.junit.jupiter.api.Test;

import java.time.Duration;

/**
 * The form's template becomes the engine's validated template, with every problem named by its form
 * field.
 */
class MesosAgentTemplateTest {
    @Test
    void mapsEveryFormFieldOntoTheEngineTemplate() {
        MesosAgentTemplate form = new MesosAgentTemplate("linux");
        form.setLabelString("linux docker");
        form.setCpus("2");
        form.setMemMb("4096");
        form.setDiskMb("10000");
        form.setExecutors("2");
        form.setRole("ci");
        form.setUser("jenkins");
        form.setEnvironment("MAVEN_OPTS=-Xmx1g");
        form.setConstraints("hostname:UNIQUE");
        form.setFetchUris("http://repo/tools.tgz extract");
        ContainerSettings container =
                new ContainerSettings("docker", "registry.example.com:5000/ci/agent:17");
        container.setNetwork("BRIDGE");
        container.setPortMappings("8080");
        container.setVolumes("/cache:/var/cache:ro");
        container.setPrivileged(true);
        form.setContainer(container);
        form.setFaultDomain("REGION");
        form.setRegion("eu-west");
        form.setIdleTerminationMinutes("10");
        form.setSingleUse(true);
        form.setLaunchTimeoutSeconds("120");
        form.setInstanceCap("5");

        AgentTemplate t = form.toAgentTemplate();

        assertThat(t.name()).isEqualTo("linux");
        assertThat(t.labelExpression()).isEqualTo("linux docker");
        assertThat(t.cpus()).isEqualTo(2);
        assertThat(t.memMb()).isEqualTo(4096);
        assertThat(t.executors()).isEqualTo(2);
        assertThat(t.role()).isEqualTo("ci");
        assertThat(t.environment()).containsEntry("MAVEN_OPTS", "-Xmx1g");
        assertThat(t.constraints())
                .containsExactly(Constraint.of("hostname", Constraint.Operator.UNIQUE));
        assertThat(t.fetchUris()).hasSize(1);
        assertThat(t.container().type()).isEqualTo(ContainerSpec.Type.DOCKER);
        assertThat(t.container().network()).isEqualTo(ContainerSpec.Network.BRIDGE);
        assertThat(t.container().privileged()).isTrue();
        assertThat(t.container().volumes())
                .containsExactly(new ContainerSpec.Volume("/cache", "/var/cache", true));
        assertThat(t.faultDomain()).isEqualTo(FaultDomainPlacement.in("eu-west", ""));
        assertThat(t.singleUse()).isTrue();
        assertThat(t.launchTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(t.instanceCap()).isEqualTo(5);
    }

    @Test
    void reportsAllProblemsAtOnceWithTheirFields() {
        MesosAgentTemplate form = new MesosAgentTemplate("bad");
        form.setCpus("-1");
        form.setEnvironment("not an assignment");
        form.setConstraints("rack:NEAR:x");
        form.setContainer(new ContainerSettings("DOCKER", ""));
        form.setFaultDomain("REGION");

        assertThatThrownBy(form::toAgentTemplate)
                .isInstanceOfSatisfying(
                        InvalidTemplateException.class,
                        e ->
                                assertThat(e.problems())
                                        .extracting(TemplateProblem::field)
                                        .contains(
                                                "cpus",
                                                "environment",
                                                "constraints",
                                                "region",
                                                "container.image"))
                .hasMessageContaining("Agent template 'bad' is invalid");
    }

    @Test
    void pullCredentialsGoIntoTheContainerAndNeedAnImage() {
        MesosAgentTemplate form = new MesosAgentTemplate("private");
        form.setContainer(new ContainerSettings("MESOS", "registry.example.com/ci/agent:17"));
        SecretValue pull = SecretValue.of("{\"auths\":{}}");
        assertThat(form.toAgentTemplate(pull).container().pullConfig()).isEqualTo(pull);

        MesosAgentTemplate command = new MesosAgentTemplate("command");
        assertThatThrownBy(() -> command.toAgentTemplate(pull))
                .isInstanceOfSatisfying(
                        InvalidTemplateException.class,
                        e ->
                                assertThat(e.problems())
                                        .extracting(TemplateProblem::field)
                                        .contains("container.pullCredentialsId"));
    }

    @Test
    void pullConfigIsKeyedByTheImagesRegistry() {
        assertThat(DockerPullConfig.registry("registry.example.com:5000/ci/agent:17"))
                .isEqualTo("registry.example.com:5000");
        assertThat(DockerPullConfig.registry("localhost/agent")).isEqualTo("localhost");
        assertThat(DockerPullConfig.registry("jenkins/inbound-agent"))
                .isEqualTo(DockerPullConfig.DOCKER_HUB);
        assertThat(DockerPullConfig.registry("ubuntu")).isEqualTo(DockerPullConfig.DOCKER_HUB);
        assertThat(DockerPullConfig.json("r.example.com/a", "u", "p"))
                .isEqualTo("{\"auths\":{\"r.example.com\":{\"auth\":\"dTpw\"}}}");
    }
}
