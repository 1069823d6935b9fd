package io.jenkins.plugins.mesosagents.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mesosagents.engine.InvalidTemplateException;
import io.jenkins.plugins.mesosagents.engine.TemplateProblem;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Jenkinsfile's named arguments become a template through the one conversion, on top of the
 * template they inherit from; every guard rail of the cloud refuses what it should, naming the rule
 * and the value.
 */
class JenkinsfileTemplateTest {
    private static final JenkinsfileRules DEFAULT_RULES =
            CloudSettings.builder("c").build().jenkinsfileRules();

    private static TemplateSettings declare(Map<String, ?> args, TemplateSettings parent) {
        return JenkinsfileTemplate.settings("jf-job-1-abcde", "jf-job-1-abcde", args, parent);
    }

    @Test
    void argumentsAreTheJcascKeysWithTheContainersDirectlyAndGroovyValuesAreConverted() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("cpus", 2); // Groovy Integer
        args.put("memMb", new BigDecimal("4096.5"));
        args.put("image", "gradle:8-jdk17");
        args.put("environment", Map.of("GRADLE_OPTS", "-Xmx1g"));
        args.put("constraints", List.of("rack:EQ:r1", "hostname:UNIQUE"));
        args.put("idleTerminationMinutes", "4");
        args.put("cloud", "mesos");
        args.put("inheritFrom", "");

        TemplateSettings s = declare(args, null);

        assertThat(s.name()).isEqualTo("jf-job-1-abcde");
        assertThat(s.labelString()).isEqualTo("jf-job-1-abcde");
        assertThat(s.mode()).isEqualTo("EXCLUSIVE");
        assertThat(s.singleUse()).isTrue(); // single-use unless told otherwise
        assertThat(s.cpus()).isEqualTo(2);
        assertThat(s.memMb()).isEqualTo(4096.5);
        assertThat(s.container().image()).isEqualTo("gradle:8-jdk17");
        assertThat(s.container().type()).isEqualTo("MESOS");
        assertThat(s.environment()).isEqualTo("GRADLE_OPTS=-Xmx1g");
        assertThat(s.constraints()).isEqualTo("rack:EQ:r1\nhostname:UNIQUE");
        assertThat(s.idleTerminationMinutes()).isEqualTo(4);
        assertThat(s.toAgentTemplate(null).constraints()).hasSize(2);
        assertThat(declare(Map.of("singleUse", false), null).singleUse()).isFalse();
        assertThat(
                        declare(Map.of("container", Map.of("type", "DOCKER", "image", "a:1")), null)
                                .container()
                                .type())
                .isEqualTo("DOCKER");
    }

    @Test
    void theInheritedTemplateGivesTheDefaultsAndGivenArgumentsOverrideThemEvenWithDefaults() {
        TemplateSettings parent =
                TemplateSettings.builder("maven")
                        .labelString("maven")
                        .cpus(4)
                        .memMb(8192)
                        .singleUse(false)
                        .container(
                                ContainerSetup.builder("MESOS", "registry.example.com/maven:3")
                                        .pullCredentialsId("registry-login")
                                        .build())
                        .build();

        TemplateSettings s =
                declare(Map.of("cpus", 1.0, "image", "registry.example.com/maven:4"), parent);

        assertThat(s.cpus()).isEqualTo(1.0); // explicitly given, although it is the form's default
        assertThat(s.memMb()).isEqualTo(8192);
        assertThat(s.labelString()).isEqualTo("jf-job-1-abcde");
        assertThat(s.singleUse()).isTrue();
        assertThat(s.container().image()).isEqualTo("registry.example.com/maven:4");
        assertThat(s.container().pullCredentialsId()).isEqualTo("registry-login");

        // the inherited credentials never go to another registry
        assertThatThrownBy(() -> declare(Map.of("image", "evil.example.org/x:1"), parent))
                .isInstanceOf(InvalidTemplateException.class)
                .hasMessageContaining(
                        "container.image: 'evil.example.org/x:1' is not on registry.example.com,"
                                + " the registry the inherited pull credentials are for");
    }

    @Test
    void wrongUnknownAndCloudOnlyArgumentsAreAllNamed() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("cpus", "lots");
        args.put("gpus", 1.5);
        args.put("singleUse", "maybe");
        args.put("labelString", "mine");
        args.put("pullCredentialsId", "admin-secret");
        args.put("colour", "blue");

        assertThatThrownBy(() -> declare(args, null))
                .isInstanceOfSatisfying(
                        InvalidTemplateException.class,
                        e ->
                                assertThat(e.problems())
                                        .extracting(TemplateProblem::field)
                                        .containsExactlyInAnyOrder(
                                                "cpus",
                                                "gpus",
                                                "singleUse",
                                                "labelString",
                                                "container.pullCredentialsId",
                                                "colour"))
                .hasMessageContaining("cpus: must be a number (e.g. 0.5 or 2), was 'lots'")
                .hasMessageContaining("gpus: must be a whole number")
                .hasMessageContaining("labelString: is chosen by mesosAgent")
                .hasMessageContaining(
                        "container.pullCredentialsId: names a secret, which only the cloud's"
                                + " administrator may choose")
                .hasMessageContaining("colour: is no argument of mesosAgent; known: ");
    }

    @Test
    void theArgumentNamesAreTheTemplateAndContainerKeys() {
        Set<String> names = JenkinsfileTemplate.argumentNames();
        assertThat(names)
                .contains(
                        "cpus",
                        "memMb",
                        "image",
                        "type",
                        "privileged",
                        "volumes",
                        "singleUse",
                        "cloud",
                        "inheritFrom",
                        "container")
                .doesNotContain(
                        "name", "labelString", "mode", "pullCredentialsId", "pullSecretName");
    }

    @Test
    void theTemplateSurvivesAsPlainValues() throws Exception {
        TemplateSettings s =
                declare(
                        Map.of(
                                "cpus",
                                3,
                                "image",
                                "gradle:8",
                                "environment",
                                "A=1",
                                "webSocket",
                                false),
                        null);
        Map<String, Object> map = JenkinsfileTemplate.toMap(s);
        // what a Pipeline's program.dat keeps: plain Java-serializable values
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(new java.util.HashMap<>(map));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> read =
                (Map<String, Object>)
                        new java.io.ObjectInputStream(
                                        new java.io.ByteArrayInputStream(bytes.toByteArray()))
                                .readObject();
        assertThat(JenkinsfileTemplate.fromMap(read)).isEqualTo(s);
    }

    @Test
    void eachGuardRailRefusesWhatItShouldWithTheRuleAndTheValue() {
        JenkinsfileRules rules =
                new JenkinsfileRules(
                        "UNPRIVILEGED",
                        true,
                        "registry.example.com/ci/\ndocker.io/library/",
                        4,
                        8192,
                        10000,
                        1);
        TemplateSettings ok = declare(Map.of("cpus", 4, "memMb", 8192, "image", "gradle:8"), null);
        assertThat(rules.violations(ok, Set.of())).isEmpty();

        assertThat(
                        rules.violations(
                                declare(Map.of("cpus", 6, "image", "gradle:8"), null), Set.of()))
                .containsExactly(
                        "cpus 6 is above this cloud's limit for Jenkinsfile templates"
                                + " (jenkinsfileMaxCpus: 4)");
        assertThat(
                        rules.violations(
                                declare(Map.of("memMb", 9000, "image", "gradle:8"), null),
                                Set.of()))
                .containsExactly(
                        "memMb 9000 is above this cloud's limit for Jenkinsfile templates"
                                + " (jenkinsfileMaxMemMb: 8192)");
        assertThat(
                        rules.violations(
                                declare(Map.of("diskMb", 20000, "image", "gradle:8"), null),
                                Set.of()))
                .containsExactly(
                        "diskMb 20000 is above this cloud's limit for Jenkinsfile templates"
                                + " (jenkinsfileMaxDiskMb: 10000)");
        assertThat(
                        rules.violations(
                                declare(Map.of("gpus", 2, "image", "gradle:8"), null), Set.of()))
                .containsExactly(
                        "gpus 2 is above this cloud's limit for Jenkinsfile templates"
                                + " (jenkinsfileMaxGpus: 1)");
        assertThat(rules.violations(declare(Map.of("image", "evil/miner:1"), null), Set.of()))
                .containsExactly(
                        "image 'evil/miner:1' (docker.io/evil/miner:1) does not start with an"
                                + " allowed prefix: registry.example.com/ci/, docker.io/library/"
                                + " (jenkinsfileImagePrefixes)");
        assertThat(rules.violations(declare(Map.of("cpus", 1), null), Set.of()))
                .containsExactly(
                        "no container image: this cloud runs Jenkinsfile templates only in images"
                                + " starting with registry.example.com/ci/, docker.io/library/"
                                + " (jenkinsfileImagePrefixes)");
        assertThat(
                        rules.violations(
                                declare(Map.of("image", "gradle:8", "role", "prod"), null),
                                Set.of("ci")))
                .containsExactly(
                        "role 'prod' is no role of this cloud's templates; a Jenkinsfile template"
                                + " uses * or one of [ci]");
        assertThat(
                        rules.violations(
                                declare(Map.of("image", "gradle:8", "role", "ci"), null),
                                Set.of("ci")))
                .isEmpty();

        Map<String, Object> hostAccess =
                Map.of(
                        "type", "DOCKER",
                        "image", "gradle:8",
                        "privileged", true,
                        "volumes", "/var/run/docker.sock:/var/run/docker.sock",
                        "dockerParameters", "pid=host");
        // UNPRIVILEGED: never, even where the cloud allows host access
        assertThat(rules.violations(declare(hostAccess, null), Set.of()))
                .containsExactly(
                        "container.privileged: privileged container is not allowed in a"
                                + " Jenkinsfile template (jenkinsfileTemplates: UNPRIVILEGED)",
                        "container.volumes: host volume '/var/run/docker.sock:/var/run/docker.sock'"
                                + " is not allowed in a Jenkinsfile template (jenkinsfileTemplates:"
                                + " UNPRIVILEGED)",
                        "container.dockerParameters: docker parameter 'pid=host' reaches the host;"
                                + " is not allowed in a Jenkinsfile template (jenkinsfileTemplates:"
                                + " UNPRIVILEGED)");
        // ANY: only with the cloud's switch
        JenkinsfileRules anyWithoutSwitch = new JenkinsfileRules("ANY", false, "", 0, 0, 0, 0);
        assertThat(anyWithoutSwitch.violations(declare(hostAccess, null), Set.of()))
                .hasSize(3)
                .allMatch(v -> v.contains("the cloud's allowPrivileged switch is off"));
        JenkinsfileRules anyWithSwitch = new JenkinsfileRules("ANY", true, "", 0, 0, 0, 0);
        assertThat(anyWithSwitch.violations(declare(hostAccess, null), Set.of())).isEmpty();
        // NONE: nothing at all
        assertThat(new JenkinsfileRules("NONE", true, "", 0, 0, 0, 0).violations(ok, Set.of()))
                .containsExactly(
                        "this cloud does not allow templates from a Jenkinsfile"
                                + " (jenkinsfileTemplates: NONE); use a label of one of its"
                                + " templates with node(...)");
        // the defaults: allowed, unprivileged, no limits
        assertThat(DEFAULT_RULES.allowed()).isTrue();
        assertThat(DEFAULT_RULES.violations(declare(Map.of("cpus", 64), null), Set.of())).isEmpty();
        assertThat(DEFAULT_RULES.violations(declare(hostAccess, null), Set.of())).hasSize(3);
    }

    @Test
    void theRulesThemselvesAreChecked() {
        assertThat(new JenkinsfileRules("SOME", false, "", -1, 0, 0, 0).problems())
                .extracting(TemplateProblem::field)
                .containsExactly("jenkinsfileTemplates", "jenkinsfileMaxCpus");
    }
}
