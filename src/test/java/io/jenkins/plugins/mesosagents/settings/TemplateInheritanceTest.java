package io.jenkins.plugins.mesosagents.settings;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.engine.TemplateProblem;

import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * Inheritance among a cloud's templates: fields left at the default come from the parent through
 * the whole chain, the child's own name/labels/usage stay, environment lines add up; unknown
 * parents and cycles are problems of every template that meets them, and such templates (and
 * privileged ones on a cloud without allowPrivileged) are not valid.
 */
class TemplateInheritanceTest {
    private static TemplateSettings.Builder t(String name) {
        return TemplateSettings.builder(name);
    }

    @Test
    void unsetFieldsComeFromTheParentsThroughTheChain() {
        TemplateSettings base =
                t("base")
                        .labelString("linux")
                        .cpus(2)
                        .memMb(4096)
                        .role("ci")
                        .environment("A=1\nB=2")
                        .idleTerminationMinutes(10)
                        .container(
                                ContainerSetup.builder("MESOS", "agent:17").forcePull(true).build())
                        .build();
        TemplateSettings middle =
                t("middle").inheritFrom("base").labelString("mid").memMb(8192).build();
        TemplateSettings leaf =
                t("leaf")
                        .inheritFrom("middle")
                        .labelString("leaf")
                        .mode("NORMAL")
                        .environment("B=3\nC=4")
                        .container(ContainerSetup.builder("MESOS", "other:1").build())
                        .build();

        TemplateInheritance.Resolved r = TemplateInheritance.resolve(List.of(leaf, middle, base));

        assertThat(r.problems()).isEmpty();
        TemplateSettings merged = r.effective().get("leaf");
        assertThat(merged.name()).isEqualTo("leaf");
        assertThat(merged.labelString()).isEqualTo("leaf");
        assertThat(merged.mode()).isEqualTo("NORMAL");
        assertThat(merged.cpus()).isEqualTo(2); // from base, through middle
        assertThat(merged.memMb()).isEqualTo(8192); // middle's override
        assertThat(merged.role()).isEqualTo("ci");
        assertThat(merged.idleTerminationMinutes()).isEqualTo(10);
        assertThat(merged.container().image()).isEqualTo("other:1");
        assertThat(merged.container().forcePull()).isTrue(); // container merged field by field
        AgentTemplate engine = merged.toAgentTemplate(null);
        assertThat(engine.environment())
                .containsEntry("A", "1")
                .containsEntry("B", "3")
                .containsEntry("C", "4");
        // the parent's own label and usage are not inherited
        assertThat(r.effective().get("middle").labelString()).isEqualTo("mid");
        assertThat(r.effective().get("middle").mode()).isEqualTo("EXCLUSIVE");
    }

    @Test
    void aChildWithoutContainerTakesTheParentsWhole() {
        TemplateSettings base =
                t("base").container(ContainerSetup.builder("DOCKER", "agent:17").build()).build();
        TemplateSettings child = t("child").inheritFrom("base").build();
        assertThat(
                        TemplateInheritance.resolve(List.of(base, child))
                                .effective()
                                .get("child")
                                .container())
                .isEqualTo(base.container());
    }

    @Test
    void unknownParentsAndCyclesAreProblemsOfEveryTemplateThatMeetsThem() {
        TemplateSettings a = t("a").inheritFrom("b").build();
        TemplateSettings b = t("b").inheritFrom("a").build();
        TemplateSettings c = t("c").inheritFrom("a").build();
        TemplateSettings self = t("self").inheritFrom("self").build();
        TemplateSettings orphan = t("orphan").inheritFrom("nope").build();
        TemplateSettings grandchild = t("grandchild").inheritFrom("orphan").build();

        TemplateInheritance.Resolved r =
                TemplateInheritance.resolve(List.of(a, b, c, self, orphan, grandchild));

        assertThat(r.effective()).isEmpty();
        assertThat(r.problems("a"))
                .containsExactly(
                        new TemplateProblem(
                                "inheritFrom",
                                "inherits in a cycle: a → b → a; remove inheritFrom from one of"
                                        + " them"));
        assertThat(r.problems("c").get(0).message()).contains("cycle: c → a → b → a");
        assertThat(r.problems("self").get(0).message()).contains("cycle: self → self");
        assertThat(r.problems("orphan").get(0).message())
                .isEqualTo(
                        "inherits from 'nope', which is no template of this cloud; use the name of"
                                + " one of its templates or leave inheritFrom empty");
        assertThat(r.problems("grandchild").get(0).message())
                .startsWith("its ancestor orphan inherits from 'nope'");
    }

    @Test
    void theCloudLeavesOutInvalidChainsAndHostAccessWithoutItsSwitch() {
        TemplateSettings privileged =
                t("priv")
                        .container(
                                ContainerSetup.builder("DOCKER", "agent:17")
                                        .privileged(true)
                                        .volumes("/var/run/docker.sock:/var/run/docker.sock")
                                        .dockerParameters("cap-add=SYS_ADMIN\nmemory-swap=1g")
                                        .build())
                        .build();
        TemplateSettings child = t("child").inheritFrom("priv").labelString("x").build();
        TemplateSettings loop = t("loop").inheritFrom("loop").build();
        TemplateSettings fine = t("fine").inheritFrom("nothing-wrong").build();
        TemplateSettings parent = t("nothing-wrong").cpus(3).build();
        List<TemplateSettings> declared = List.of(privileged, child, loop, fine, parent);

        CloudTemplates off = CloudTemplates.of(declared, false, java.util.Map.of());
        assertThat(off.problems("priv"))
                .extracting(TemplateProblem::field)
                .containsExactly(
                        "container.privileged", "container.volumes", "container.dockerParameters");
        assertThat(off.problems("priv").get(0).message()).contains("allowPrivileged switch is off");
        assertThat(off.isValid("child")).isFalse(); // inherits the privileged container
        assertThat(off.isValid("loop")).isFalse();
        assertThat(off.valid())
                .extracting(TemplateSettings::name)
                .containsExactly("fine", "nothing-wrong");
        assertThat(off.effective("fine").cpus()).isEqualTo(3);

        CloudTemplates on = CloudTemplates.of(declared, true, java.util.Map.of());
        assertThat(on.isValid("priv")).isTrue();
        assertThat(on.isValid("child")).isTrue();

        CloudTemplates badParent =
                CloudTemplates.of(
                        declared,
                        true,
                        java.util.Map.of(
                                "nothing-wrong",
                                List.of(new TemplateProblem("cpus", "'x' is not a number"))));
        assertThat(badParent.problems("fine").get(0).message())
                .contains("inherits from template 'nothing-wrong', which has fields to correct");
    }
}
