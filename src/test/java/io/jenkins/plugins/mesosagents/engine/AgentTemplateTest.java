package io.jenkins.plugins.mesosagents.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.time.Duration;

class AgentTemplateTest {

    @Test
    void defaultsAreValidAndHeapIsDerivedFromMemory() {
        AgentTemplate t =
                AgentTemplate.builder("linux")
                        .labelExpression("linux && docker")
                        .memMb(2048)
                        .build();
        assertThat(t.role()).isEqualTo("*");
        assertThat(t.executors()).isEqualTo(1);
        assertThat(t.webSocket()).isTrue();
        assertThat(t.launchTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(t.effectiveJvmHeapMb()).isEqualTo(1638);
        assertThat(t.toBuilder().jvmHeapMb(512).build().effectiveJvmHeapMb()).isEqualTo(512);
        assertThat(AgentTemplate.builder("tiny").memMb(64).build().effectiveJvmHeapMb())
                .isEqualTo(64);
    }

    @Test
    void validationReportsEveryProblemWithItsFieldAtOnce() {
        AgentTemplate.Builder b =
                AgentTemplate.builder("bad name!")
                        .cpus(0)
                        .memMb(16)
                        .jvmHeapMb(64)
                        .diskMb(-1)
                        .gpus(-1)
                        .hostPorts(101)
                        .role("a//b")
                        .user("jen kins")
                        .executors(0)
                        .remoteFsRoot(" ")
                        .env("1BAD", "x")
                        .env("JENKINS_SECRET", "s")
                        .fetchUri(FetchUri.of("relative/path"))
                        .fetchUri(FetchUri.of("http://[bad"))
                        .constraint(Constraint.of("rack", Constraint.Operator.LIKE, "(unclosed"))
                        .constraint(Constraint.of("rack", Constraint.Operator.EQ))
                        .constraint(Constraint.of("zone", Constraint.Operator.GROUP_BY, "x"))
                        .faultDomain(FaultDomainPlacement.in("", ""))
                        .instanceCap(-1)
                        .idleTerminationMinutes(-1)
                        .launchTimeout(Duration.ZERO)
                        .useImageEntrypoint(true);

        assertThatThrownBy(b::build)
                .isInstanceOf(InvalidTemplateException.class)
                .satisfies(
                        e -> {
                            InvalidTemplateException ex = (InvalidTemplateException) e;
                            assertThat(ex.problems())
                                    .extracting(TemplateProblem::field)
                                    .contains(
                                            "name",
                                            "cpus",
                                            "memMb",
                                            "jvmHeapMb",
                                            "diskMb",
                                            "gpus",
                                            "hostPorts",
                                            "role",
                                            "user",
                                            "executors",
                                            "remoteFsRoot",
                                            "environment",
                                            "fetchUris",
                                            "constraints[rack:LIKE:(unclosed]",
                                            "constraints[rack:EQ]",
                                            "constraints[zone:GROUP_BY:x]",
                                            "faultDomain",
                                            "instanceCap",
                                            "idleTerminationMinutes",
                                            "launchTimeout",
                                            "useImageEntrypoint");
                            assertThat(ex.problems())
                                    .filteredOn(p -> p.field().equals("environment"))
                                    .hasSize(2);
                            assertThat(ex.getMessage())
                                    .contains(
                                            "Agent template 'bad name!' is invalid",
                                            "cpus: must be a positive");
                        });
    }

    @Test
    void containerValidationNamesContainerFields() {
        ContainerSpec docker =
                ContainerSpec.builder(ContainerSpec.Type.DOCKER, "")
                        .network(ContainerSpec.Network.USER)
                        .portMapping(0, 70000, "sctp")
                        .pullConfig(SecretValue.of("{\"auths\":{}}"))
                        .volume("", "relative", false)
                        .dockerParameter("", "x")
                        .build();
        ContainerSpec mesos =
                ContainerSpec.builder(ContainerSpec.Type.MESOS, "jenkins/inbound-agent")
                        .privileged(true)
                        .dockerParameter("cap-add", "SYS_ADMIN")
                        .pullConfig(SecretValue.of("not json"))
                        .build();
        ContainerSpec hostWithMapping =
                ContainerSpec.builder(ContainerSpec.Type.DOCKER, "img")
                        .portMapping(8080, 0, "tcp")
                        .build();

        assertThat(AgentTemplate.builder("a").container(docker).problems())
                .extracting(TemplateProblem::field)
                .contains(
                        "container.image",
                        "container.pullConfig",
                        "container.cniNetworks",
                        "container.portMappings",
                        "container.volumes",
                        "container.dockerParameters");
        assertThat(AgentTemplate.builder("b").container(mesos).problems())
                .extracting(TemplateProblem::field)
                .containsExactlyInAnyOrder(
                        "container.privileged",
                        "container.dockerParameters",
                        "container.pullConfig");
        assertThat(AgentTemplate.builder("c").container(hostWithMapping).problems())
                .extracting(TemplateProblem::message)
                .anyMatch(m -> m.contains("need network BRIDGE or USER"));
    }

    @Test
    void pullSecretNeverShowsInToStringOrProblems() {
        String secret = "{\"auths\":{\"reg.example.com\":{\"auth\":\"c2VjcmV0LXBhc3N3b3Jk\"}}}";
        ContainerSpec c =
                ContainerSpec.builder(ContainerSpec.Type.MESOS, "reg.example.com/agent:1")
                        .pullConfig(SecretValue.of(secret))
                        .build();
        AgentTemplate t = AgentTemplate.builder("private").container(c).build();
        assertThat(t.toString()).doesNotContain("c2VjcmV0LXBhc3N3b3Jk").contains("****");
        assertThat(new AgentIdentity("a", SecretValue.of("topsecret")).toString())
                .doesNotContain("topsecret");
    }

    @Test
    void validTemplateWithEveryOptionBuilds() {
        AgentTemplate t =
                AgentTemplate.builder("full")
                        .labelExpression("big")
                        .cpus(2)
                        .memMb(4096)
                        .diskMb(1024)
                        .gpus(0)
                        .hostPorts(2)
                        .role("ci")
                        .user("jenkins")
                        .executors(2)
                        .remoteFsRoot("/home/jenkins/agent")
                        .jvmOptions("-Dfoo=bar")
                        .agentArguments("-noReconnectAfter 1d")
                        .env("FOO", "bar")
                        .fetchUri(new FetchUri("https://example.com/tools.tgz", true, false, true))
                        .container(
                                ContainerSpec.builder(
                                                ContainerSpec.Type.DOCKER,
                                                "jenkins/inbound-agent:jdk17")
                                        .network(ContainerSpec.Network.BRIDGE)
                                        .portMapping(8080, 0, "tcp")
                                        .privileged(true)
                                        .forcePull(true)
                                        .dockerParameter("shm-size", "1g")
                                        .volume(
                                                "/var/run/docker.sock",
                                                "/var/run/docker.sock",
                                                false)
                                        .build())
                        .constraint(Constraint.of("hostname", Constraint.Operator.UNIQUE))
                        .constraint(Constraint.of("rack", Constraint.Operator.GROUP_BY, "3"))
                        .faultDomain(FaultDomainPlacement.in("eu", "eu-1"))
                        .instanceCap(10)
                        .idleTerminationMinutes(0)
                        .singleUse(true)
                        .launchTimeout(Duration.ofMinutes(2))
                        .webSocket(false)
                        .build();
        assertThat(t.portsNeeded()).isEqualTo(3);
        assertThat(t.toBuilder().build()).isEqualTo(t);
    }
}
