package io.jenkins.plugins.mesosagents.steps;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.Extension;

import io.jenkins.plugins.mesosagents.settings.DeclarativeAgentArgs;

import jenkins.YesNoMaybe;

import org.jenkinsci.Symbol;
import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The declarative {@code mesosAgent} block: its fields bind by name the way structs'
 * DescribableModel binds a Jenkinsfile map (a public no-arg {@code @DataBoundConstructor}, then one
 * {@code @DataBoundSetter} per named argument), they become the step's arguments through {@link
 * DeclarativeAgentArgs}, and its descriptor and Groovy script are where pipeline-model-extensions
 * looks for them.
 */
class MesosDeclarativeAgentTest {

    /** Binds like DescribableModel.instantiate for setter-only classes: each key to its setter. */
    private static MesosDeclarativeAgent bind(Map<String, Object> arguments) throws Exception {
        MesosDeclarativeAgent agent = MesosDeclarativeAgent.class.getConstructor().newInstance();
        for (Map.Entry<String, Object> e : arguments.entrySet()) {
            Method setter = setter(e.getKey());
            Object value = e.getValue();
            Class<?> type = setter.getParameterTypes()[0];
            if (type == Double.class && value instanceof Number n) {
                value = n.doubleValue(); // Groovy's `cpus 2` is an Integer
            }
            setter.invoke(agent, value);
        }
        return agent;
    }

    private static Method setter(String field) {
        String name = "set" + Character.toUpperCase(field.charAt(0)) + field.substring(1);
        for (Method m : MesosDeclarativeAgent.class.getMethods()) {
            if (m.getName().equals(name)
                    && m.getParameterCount() == 1
                    && m.isAnnotationPresent(DataBoundSetter.class)) {
                return m;
            }
        }
        throw new AssertionError("no @DataBoundSetter for declarative field " + field);
    }

    @Test
    void theIssuesExampleBindsAndBecomesTheStepsArguments() throws Exception {
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("cpus", 2);
        block.put("memMb", 4096);
        block.put("image", "gradle:8-jdk17");
        MesosDeclarativeAgent agent = bind(block);
        assertThat(agent.getCpus()).isEqualTo(2.0);
        assertThat(agent.getMemMb()).isEqualTo(4096.0);
        assertThat(agent.getImage()).isEqualTo("gradle:8-jdk17");
        assertThat(agent.getDiskMb()).as("unset").isNull();
        assertThat(agent.getAsArgs())
                .containsOnly(
                        Map.entry("cpus", 2.0),
                        Map.entry("memMb", 4096.0),
                        Map.entry("container", Map.of("image", "gradle:8-jdk17")));
    }

    @Test
    void everyFieldOfTheBlockHasASetterAGetterAndReachesTheArgsConversion() throws Exception {
        assertThat(
                        MesosDeclarativeAgent.class
                                .getConstructor()
                                .isAnnotationPresent(DataBoundConstructor.class))
                .isTrue();
        List<String> blockFields = new ArrayList<>(DeclarativeAgentArgs.allFields());
        blockFields.remove("retries"); // RetryableDeclarativeAgent's own setter
        MesosDeclarativeAgent agent = new MesosDeclarativeAgent();
        assertThat(agent.fields().keySet()).containsExactlyInAnyOrderElementsOf(blockFields);
        for (String field : blockFields) {
            Method set = setter(field);
            Method get =
                    MesosDeclarativeAgent.class.getMethod(
                            "get" + Character.toUpperCase(field.charAt(0)) + field.substring(1));
            assertThat(get.getReturnType()).as(field).isEqualTo(set.getParameterTypes()[0]);
        }
        // the conversion accepts every field the block has
        assertThat(DeclarativeAgentArgs.toStepArgs(agent.fields())).isEmpty();
    }

    @Test
    void theDescriptorIsAnOptionalDynamicallyLoadableExtensionNamedMesosAgent() {
        Class<?> d = MesosDeclarativeAgent.DescriptorImpl.class;
        Extension extension = d.getAnnotation(Extension.class);
        assertThat(extension.optional()).isTrue();
        assertThat(extension.dynamicLoadable()).isEqualTo(YesNoMaybe.YES);
        assertThat(d.getAnnotation(Symbol.class).value()).containsExactly("mesosAgent");
    }

    /**
     * WithScriptDescriptor.getScriptClass is the agent's class name + "Script" and the script is
     * loaded from the resource of that name (pipeline-model-extensions 4e96d2bdaf9b
     * withscript/WithScriptDescriptor.java getScriptClass, getScriptResource).
     */
    @Test
    void theGroovyScriptSitsWhereTheDescriptorLooksAndRunsTheBodyOnTheStepsLabel()
            throws IOException {
        String resource =
                "/" + MesosDeclarativeAgent.class.getName().replace('.', '/') + "Script.groovy";
        String script;
        try (InputStream in = MesosDeclarativeAgent.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(script)
                .contains("package io.jenkins.plugins.mesosagents.steps")
                .contains(
                        "class MesosDeclarativeAgentScript extends"
                                + " DeclarativeAgentScript2<MesosDeclarativeAgent>")
                .contains("MesosDeclarativeAgentScript(CpsScript s, MesosDeclarativeAgent a)")
                .contains("script.mesosAgent(describable.asArgs)")
                .contains("script.node(script.env.MESOS_LABEL)")
                .contains("CheckoutScript.doCheckout2(script, describable,");
    }
}
