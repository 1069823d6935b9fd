package io.jenkins.plugins.mesosagents.settings;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mesosagents.engine.Constraint;
import io.jenkins.plugins.mesosagents.engine.ContainerSpec;
import io.jenkins.plugins.mesosagents.engine.FetchUri;
import io.jenkins.plugins.mesosagents.engine.TemplateProblem;

import org.junit.jupiter.api.Test;

import java.util.Map;

class TemplateTextTest {
    @Test
    void environmentLinesIgnoringBlanksAndComments() {
        TemplateText.Parsed<Map<String, String>> env =
                TemplateText.environment(
                        "environment", "A=1\n\n# comment\nB = two=2\nPATH_EXTRA=\n");
        assertThat(env.problems()).isEmpty();
        assertThat(env.value())
                .containsExactly(
                        Map.entry("A", "1"), Map.entry("B", " two=2"), Map.entry("PATH_EXTRA", ""));
    }

    @Test
    void environmentRejectsBadNamesAndThePluginsOwnVariables() {
        TemplateText.Parsed<Map<String, String>> env =
                TemplateText.environment("environment", "1A=x\nnovalue\nJENKINS_SECRET=x");
        assertThat(env.value()).isEmpty();
        assertThat(env.problems()).extracting(TemplateProblem::field).containsOnly("environment");
        assertThat(env.problems())
                .extracting(TemplateProblem::message)
                .anySatisfy(m -> assertThat(m).contains("'1A=x' is not NAME=value"))
                .anySatisfy(m -> assertThat(m).contains("'novalue'"))
                .anySatisfy(m -> assertThat(m).contains("JENKINS_SECRET is set by the plugin"));
    }

    @Test
    void constraintsInMarathonSyntax() {
        TemplateText.Parsed<java.util.List<Constraint>> parsed =
                TemplateText.constraints(
                        "constraints",
                        "hostname:UNIQUE\n"
                                + "rack:eq:r1\n"
                                + "zone:LIKE:us-.*\n"
                                + "rack:GROUP_BY:3\n"
                                + "rack:CLUSTER");
        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.value())
                .containsExactly(
                        Constraint.of("hostname", Constraint.Operator.UNIQUE),
                        Constraint.of("rack", Constraint.Operator.EQ, "r1"),
                        Constraint.of("zone", Constraint.Operator.LIKE, "us-.*"),
                        Constraint.of("rack", Constraint.Operator.GROUP_BY, "3"),
                        Constraint.of("rack", Constraint.Operator.CLUSTER));
    }

    @Test
    void constraintProblemsSayWhatToWrite() {
        TemplateText.Parsed<java.util.List<Constraint>> parsed =
                TemplateText.constraints("constraints", "rack\nrack:NEAR:x\nrack:EQ\nzone:LIKE:([");
        assertThat(parsed.value()).isEmpty();
        assertThat(parsed.problems())
                .extracting(TemplateProblem::message)
                .satisfiesExactly(
                        m -> assertThat(m).contains("is not attribute:OPERATOR[:value]"),
                        m -> assertThat(m).contains("unknown operator 'NEAR'").contains("GROUP_BY"),
                        m -> assertThat(m).contains("EQ needs a value"),
                        m -> assertThat(m).contains("regular expression is invalid"));
    }

    @Test
    void fetchUrisWithFlags() {
        TemplateText.Parsed<java.util.List<FetchUri>> parsed =
                TemplateText.fetchUris(
                        "fetchUris",
                        "http://h/tools.tgz extract cache\n"
                                + "file:///opt/run.sh executable\n"
                                + "h/x.tgz\n"
                                + "http://h/y bogus");
        assertThat(parsed.value())
                .containsExactly(
                        new FetchUri("http://h/tools.tgz", true, false, true),
                        new FetchUri("file:///opt/run.sh", false, true, false));
        assertThat(parsed.problems())
                .extracting(TemplateProblem::message)
                .satisfiesExactly(
                        m -> assertThat(m).contains("'h/x.tgz' is not a URI with a scheme"),
                        m -> assertThat(m).contains("unknown flag 'bogus'"));
    }

    @Test
    void volumesPortsAndDockerParameters() {
        assertThat(TemplateText.volumes("volumes", "/cache:/var/cache:ro\n/w:/tmp/w").value())
                .containsExactly(
                        new ContainerSpec.Volume("/cache", "/var/cache", true),
                        new ContainerSpec.Volume("/w", "/tmp/w", false));
        assertThat(TemplateText.volumes("volumes", "cache:/x\n/a:/b:xx").problems()).hasSize(2);
        assertThat(TemplateText.portMappings("portMappings", "8080\n9000:31000/udp").value())
                .containsExactly(
                        new ContainerSpec.PortMapping(8080, 0, "tcp"),
                        new ContainerSpec.PortMapping(9000, 31000, "udp"));
        assertThat(
                        TemplateText.portMappings("portMappings", "0\n80:99999\n80/sctp\nhttp")
                                .problems())
                .hasSize(4);
        assertThat(
                        TemplateText.dockerParameters(
                                        "dockerParameters", "memory-swap=1g\nshm-size=256m")
                                .value())
                .containsExactly(
                        new ContainerSpec.Parameter("memory-swap", "1g"),
                        new ContainerSpec.Parameter("shm-size", "256m"));
        assertThat(
                        TemplateText.dockerParameters("dockerParameters", "--privileged=true")
                                .problems())
                .singleElement()
                .extracting(TemplateProblem::message)
                .asString()
                .contains("key=value");
    }

    /**
     * Found by TemplateTextFuzzTest (long run): a port line of only colons (":", ":/tcp") split into
     * no parts, and ports[0] threw ArrayIndexOutOfBoundsException out of the form's validation.
     */
    @Test
    void aPortLineOfOnlyColonsIsAProblemNotAnException() {
        var parsed = TemplateText.portMappings("portMappings", ":\n:::/tcp\n8080");

        assertThat(parsed.value()).containsExactly(new ContainerSpec.PortMapping(8080, 0, "tcp"));
        assertThat(parsed.problems())
                .extracting(TemplateProblem::message)
                .hasSize(2)
                .allMatch(m -> m.contains("is not containerPort[:hostPort][/tcp|udp]"));
    }
}
