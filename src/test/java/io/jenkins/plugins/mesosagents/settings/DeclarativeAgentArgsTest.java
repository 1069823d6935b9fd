package io.jenkins.plugins.mesosagents.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

class DeclarativeAgentArgsTest {

    @Test
    void theIssuesExampleBecomesTheStepsNamedArguments() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("cpus", 2.0);
        fields.put("memMb", 4096.0);
        fields.put("image", "gradle:8-jdk17");
        fields.put("diskMb", null);
        fields.put("role", " ");
        assertThat(DeclarativeAgentArgs.toStepArgs(fields))
                .containsExactly(
                        Map.entry("container", Map.of("image", "gradle:8-jdk17")),
                        Map.entry("cpus", 2.0),
                        Map.entry("memMb", 4096.0));
    }

    @Test
    void containerFieldsAreNestedStepFieldsPassAndBlockOnlyFieldsStay() {
        Map<String, Object> fields = new HashMap<>();
        fields.put("containerType", "DOCKER");
        fields.put("image", "maven:3");
        fields.put("privileged", false);
        fields.put("inheritFrom", "linux");
        fields.put("cloud", "mesos-a");
        fields.put("singleUse", true);
        fields.put("customWorkspace", "/ws");
        fields.put("retries", 3);
        assertThat(DeclarativeAgentArgs.toStepArgs(fields))
                .containsOnly(
                        Map.entry(
                                "container",
                                Map.of("type", "DOCKER", "image", "maven:3", "privileged", false)),
                        Map.entry("inheritFrom", "linux"),
                        Map.entry("cloud", "mesos-a"),
                        Map.entry("singleUse", true));
        assertThat(DeclarativeAgentArgs.toStepArgs(Map.of())).isEmpty();
    }

    /**
     * What the declarative block produces is what the mesosAgent step accepts: every argument name
     * is one of the step's, and the step's own conversion (JenkinsfileTemplate, the one the step
     * runs) turns the issue's example, container fields included, into the template.
     */
    @Test
    void theStepsOwnConversionAcceptsTheBlocksArguments() {
        Map<String, Object> every = new LinkedHashMap<>();
        for (String field : DeclarativeAgentArgs.allFields()) {
            every.put(field, "x");
        }
        Set<String> names = DeclarativeAgentArgs.toStepArgs(every).keySet();
        assertThat(JenkinsfileTemplate.argumentNames())
                .containsAll(names.stream().filter(n -> !n.equals("container")).toList());
        assertThat(names).contains("container");

        Map<String, Object> block = new LinkedHashMap<>();
        block.put("cpus", 2.0);
        block.put("memMb", 4096.0);
        block.put("image", "gradle:8-jdk17");
        block.put("containerType", "DOCKER");
        block.put("singleUse", false);
        TemplateSettings t =
                JenkinsfileTemplate.settings(
                        "jf-1", "jf-label-1", DeclarativeAgentArgs.toStepArgs(block), null);
        assertThat(t.cpus()).isEqualTo(2.0);
        assertThat(t.memMb()).isEqualTo(4096.0);
        assertThat(t.container().image()).isEqualTo("gradle:8-jdk17");
        assertThat(t.container().type()).isEqualTo("DOCKER");
        assertThat(t.singleUse()).isFalse();
        assertThat(t.labelString()).isEqualTo("jf-label-1");
    }

    @Test
    void anUnknownFieldIsRefusedWithTheFieldsThatExist() {
        assertThatThrownBy(() -> DeclarativeAgentArgs.toStepArgs(Map.of("cpu", 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mesosAgent has no field 'cpu'")
                .hasMessageContaining("cpus, memMb");
    }

    /**
     * The argument names are the settings' own: every template field but the two the step decides
     * (name, label) and mode, every container field under the container's name.
     */
    @Test
    void argumentNamesAreTheFieldsOfTemplateSettingsAndContainerSetup() {
        Set<String> template =
                Arrays.stream(TemplateSettings.class.getRecordComponents())
                        .map(RecordComponent::getName)
                        .collect(Collectors.toSet());
        // the step generates name, label and mode; inheritFrom is the step's own argument; warm
        // pools are neither inherited nor declared in Jenkinsfiles (docs/cloud.md)
        template.removeAll(
                List.of("name", "labelString", "mode", "container", "inheritFrom", "warmPool"));
        assertThat(DeclarativeAgentArgs.TEMPLATE_FIELDS)
                .containsExactlyInAnyOrderElementsOf(template);
        List<String> container =
                Arrays.stream(ContainerSetup.class.getRecordComponents())
                        .map(RecordComponent::getName)
                        // secrets: the step takes them only from an inherited cloud template
                        .filter(c -> !c.equals("pullCredentialsId") && !c.equals("pullSecretName"))
                        .toList();
        assertThat(DeclarativeAgentArgs.CONTAINER_FIELDS.values())
                .containsExactlyInAnyOrderElementsOf(container);
    }
}
