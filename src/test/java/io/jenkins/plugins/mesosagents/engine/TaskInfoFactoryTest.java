package io.jenkins.plugins.mesosagents.engine;

import static io.jenkins.plugins.mesosagents.engine.MesosFixtures.offer;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.Image;
import org.apache.mesos.v1.Protos.Label;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

class TaskInfoFactoryTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    private final EngineConfig config =
            EngineConfig.builder("prod-mesos", "https://ci.example.com").build();
    private final TaskInfoFactory factory = new TaskInfoFactory(config);

    private TaskInfo build(AgentTemplate t, OfferView offer, String name) {
        OfferMatcher.Result r =
                new OfferMatcher(true, "", Set.of())
                        .match(
                                java.util.List.of(offer),
                                java.util.List.of(new OfferMatcher.Demand(t, 1, Map.of())),
                                Instant.EPOCH);
        assertThat(r.placements()).hasSize(1);
        return factory.build(r.placements().get(0), name, SecretValue.of(SECRET));
    }

    private static Map<String, String> env(TaskInfo task) {
        return task.getCommand().getEnvironment().getVariablesList().stream()
                .collect(
                        Collectors.toMap(
                                Environment.Variable::getName, Environment.Variable::getValue));
    }

    @Test
    void inboundAgentCommandFetchesAgentJarAndKeepsTheSecretInTheEnvironmentOnly() {
        AgentTemplate t =
                AgentTemplate.builder("linux")
                        .cpus(1)
                        .memMb(1000)
                        .jvmOptions("-Dx=1")
                        .agentArguments("-noReconnectAfter 1d")
                        .remoteFsRoot("work dir")
                        .user("jenkins")
                        .env("FOO", "bar")
                        .build();
        TaskInfo task =
                build(
                        t,
                        new OfferView(offer("o1", "h1", 4, 4096).build(), Instant.EPOCH),
                        "linux-1");

        CommandInfo cmd = task.getCommand();
        assertThat(cmd.getShell()).isTrue();
        assertThat(cmd.getUser()).isEqualTo("jenkins");
        assertThat(cmd.getUrisList())
                .anySatisfy(
                        u -> {
                            assertThat(u.getValue())
                                    .isEqualTo("https://ci.example.com/jnlpJars/agent.jar");
                            assertThat(u.getExtract()).isFalse();
                        });
        assertThat(cmd.getValue())
                .contains(
                        "java -Xmx800m -Dx=1 -jar \"$MESOS_SANDBOX/agent.jar\" -url"
                                + " 'https://ci.example.com/'",
                        "-name 'linux-1'",
                        "-secret @\"$MESOS_SANDBOX/.jenkins-agent-secret\"",
                        "-workDir \"$MESOS_SANDBOX\"/'work dir'",
                        "-webSocket",
                        "-noReconnectAfter 1d",
                        "\"$JENKINS_SECRET\"");
        assertThat(env(task))
                .containsEntry("JENKINS_SECRET", SECRET)
                .containsEntry("FOO", "bar")
                .containsEntry("JENKINS_AGENT_NAME", "linux-1")
                .containsEntry("JENKINS_URL", "https://ci.example.com/")
                .containsEntry("JENKINS_WEB_SOCKET", "true");

        // the secret is nowhere but in the JENKINS_SECRET variable
        TaskInfo withoutSecretVar =
                task.toBuilder()
                        .setCommand(
                                cmd.toBuilder()
                                        .setEnvironment(
                                                Environment.newBuilder()
                                                        .addAllVariables(
                                                                cmd
                                                                        .getEnvironment()
                                                                        .getVariablesList()
                                                                        .stream()
                                                                        .filter(
                                                                                v ->
                                                                                        !v.getName()
                                                                                                .equals(
                                                                                                        "JENKINS_SECRET"))
                                                                        .collect(
                                                                                Collectors
                                                                                        .toList()))))
                        .build();
        assertThat(new String(withoutSecretVar.toByteArray(), StandardCharsets.ISO_8859_1))
                .doesNotContain(SECRET);
        assertThat(cmd.getValue() + cmd.getArgumentsList()).doesNotContain(SECRET);
        assertThat(task.getLabels().getLabelsList().toString()).doesNotContain(SECRET);

        assertThat(task.getLabels().getLabelsList())
                .extracting(Label::getKey, Label::getValue)
                .contains(
                        org.assertj.core.groups.Tuple.tuple(
                                TaskInfoFactory.LABEL_CLOUD, "prod-mesos"),
                        org.assertj.core.groups.Tuple.tuple(TaskInfoFactory.LABEL_AGENT, "linux-1"),
                        org.assertj.core.groups.Tuple.tuple(
                                TaskInfoFactory.LABEL_TEMPLATE, "linux"));
        assertThat(task.getTaskId().getValue()).isEqualTo("linux-1");
        assertThat(task.getAgentId().getValue()).isEqualTo("agent-h1");
    }

    @Test
    void tcpModeOmitsWebSocketAndExplicitXmxIsKept() {
        AgentTemplate t =
                AgentTemplate.builder("tcp")
                        .memMb(2048)
                        .jvmOptions("-Xmx1g")
                        .webSocket(false)
                        .build();
        String command = factory.launchCommand(t, "tcp-1");
        assertThat(command)
                .doesNotContain("-webSocket")
                .doesNotContain("-Xmx1638m")
                .contains("-Xmx1g");
        assertThat(TaskInfoFactory.quote("it's")).isEqualTo("'it'\\''s'");
    }

    @Test
    void resourcesKeepAllocationInfoAndTakeReservedPiecesFirst() {
        OfferView o =
                new OfferView(
                        offer("o1", "h1", 4, 4096)
                                .role("ci")
                                .reservedScalar("cpus", 0.5, "ci")
                                .ports(31000, 31010)
                                .build(),
                        Instant.EPOCH);
        AgentTemplate t =
                AgentTemplate.builder("ci").role("ci").cpus(1).memMb(1024).hostPorts(1).build();
        TaskInfo task = build(t, o, "ci-1");
        double cpus =
                task.getResourcesList().stream()
                        .filter(r -> r.getName().equals("cpus"))
                        .mapToDouble(r -> r.getScalar().getValue())
                        .sum();
        assertThat(cpus).isEqualTo(1.0);
        assertThat(task.getResourcesList())
                .allSatisfy(r -> assertThat(r.getAllocationInfo().getRole()).isEqualTo("ci"));
        Resource firstCpus =
                task.getResourcesList().stream()
                        .filter(r -> r.getName().equals("cpus"))
                        .findFirst()
                        .orElseThrow();
        assertThat(firstCpus.getReservationsCount()).isEqualTo(1);
        assertThat(firstCpus.getScalar().getValue()).isEqualTo(0.5);
        Resource ports =
                task.getResourcesList().stream()
                        .filter(r -> r.getName().equals("ports"))
                        .findFirst()
                        .orElseThrow();
        assertThat(ports.getRanges().getRange(0).getBegin()).isEqualTo(31000);
        assertThat(env(task)).containsEntry("PORT0", "31000");
    }

    @Test
    void mesosContainerCarriesImageAndPullSecretAsImageDockerConfig() {
        String dockerConfig = "{\"auths\":{\"registry.example.com\":{\"auth\":\"dXNlcjpwYXNz\"}}}";
        AgentTemplate t =
                AgentTemplate.builder("ucr")
                        .container(
                                ContainerSpec.builder(
                                                ContainerSpec.Type.MESOS,
                                                "registry.example.com/ci/agent:17")
                                        .pullConfig(SecretValue.of(dockerConfig))
                                        .forcePull(true)
                                        .cniNetwork("ci-net")
                                        .volume("/cache", "/srv/cache", true)
                                        .build())
                        .build();
        TaskInfo task =
                build(t, new OfferView(offer("o1", "h1", 4, 4096).build(), Instant.EPOCH), "ucr-1");
        ContainerInfo c = task.getContainer();
        assertThat(c.getType()).isEqualTo(ContainerInfo.Type.MESOS);
        Image image = c.getMesos().getImage();
        assertThat(image.getType()).isEqualTo(Image.Type.DOCKER);
        assertThat(image.getDocker().getName()).isEqualTo("registry.example.com/ci/agent:17");
        assertThat(image.getCached()).isFalse();
        assertThat(image.getDocker().getConfig().getValue().getData().toStringUtf8())
                .isEqualTo(dockerConfig);
        assertThat(c.getNetworkInfos(0).getName()).isEqualTo("ci-net");
        assertThat(c.getVolumes(0).getHostPath()).isEqualTo("/srv/cache");
        assertThat(task.getCommand().getUrisList().toString()).doesNotContain("docker.tar.gz");
    }

    @Test
    void dockerContainerOptionsAndImageEntrypoint() {
        AgentTemplate t =
                AgentTemplate.builder("dkr")
                        .useImageEntrypoint(true)
                        .container(
                                ContainerSpec.builder(
                                                ContainerSpec.Type.DOCKER,
                                                "jenkins/inbound-agent:latest-jdk17")
                                        .network(ContainerSpec.Network.BRIDGE)
                                        .portMapping(8080, 0, "tcp")
                                        .portMapping(9090, 31005, "udp")
                                        .privileged(true)
                                        .forcePull(true)
                                        .dockerParameter("shm-size", "2g")
                                        .build())
                        .build();
        TaskInfo task =
                build(
                        t,
                        new OfferView(
                                offer("o1", "h1", 4, 4096).ports(31000, 31010).build(),
                                Instant.EPOCH),
                        "dkr-1");
        ContainerInfo.DockerInfo d = task.getContainer().getDocker();
        assertThat(task.getContainer().getType()).isEqualTo(ContainerInfo.Type.DOCKER);
        assertThat(d.getNetwork()).isEqualTo(ContainerInfo.DockerInfo.Network.BRIDGE);
        assertThat(d.getPrivileged()).isTrue();
        assertThat(d.getForcePullImage()).isTrue();
        assertThat(d.getParameters(0).getKey()).isEqualTo("shm-size");
        assertThat(d.getPortMappingsList())
                .extracting(
                        m -> m.getHostPort() + "->" + m.getContainerPort() + "/" + m.getProtocol())
                .containsExactly("31000->8080/tcp", "31005->9090/udp");
        assertThat(task.getCommand().getShell()).isFalse();
        assertThat(task.getCommand().hasValue()).isFalse();
        assertThat(env(task))
                .containsEntry("JENKINS_SECRET", SECRET)
                .containsEntry("JENKINS_AGENT_NAME", "dkr-1");
    }
}
