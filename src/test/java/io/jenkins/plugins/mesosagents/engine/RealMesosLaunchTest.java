package io.jenkins.plugins.mesosagents.engine;

import static io.jenkins.plugins.mesosagents.engine.MesosFixtures.offer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.Image;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Secret;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a real Mesos 1.11 cluster needs from the agent TaskInfos, each rule checked against the
 * Mesos source it comes from (apache/mesos tag 1.11.0).
 */
class RealMesosLaunchTest {
    private final EngineConfig config =
            EngineConfig.builder("prod-mesos", "https://ci.example.com").build();
    private final TaskInfoFactory factory = new TaskInfoFactory(config);

    private TaskInfo build(AgentTemplate t, OfferView offer) {
        OfferMatcher.Result r =
                new OfferMatcher(true, "", Set.of())
                        .match(
                                List.of(offer),
                                List.of(new OfferMatcher.Demand(t, 1, Map.of())),
                                Instant.EPOCH);
        assertThat(r.placements()).hasSize(1);
        return factory.build(r.placements().get(0), "a-1", SecretValue.of("s3cr3t"));
    }

    private static List<String> problems(AgentTemplate.Builder b) {
        return b.problems().stream().map(TemplateProblem::toString).toList();
    }

    private static ContainerSpec.Builder docker() {
        return ContainerSpec.builder(ContainerSpec.Type.DOCKER, "jenkins/inbound-agent");
    }

    private static ContainerSpec.Builder mesos() {
        return ContainerSpec.builder(ContainerSpec.Type.MESOS, "jenkins/inbound-agent");
    }

    // docker.cpp runs `docker run` without -w (src/docker/docker.cpp:1080-1200 builds argv with no
    // working directory) and the docker/runtime isolator sets the image's WORKDIR
    // (src/slave/containerizer/mesos/isolators/docker/runtime.cpp): the sandbox is only known as
    // $MESOS_SANDBOX (docker.cpp:735).
    @Test
    void commandNamesTheJarTheSecretAndTheWorkDirByTheirSandboxPath() {
        AgentTemplate t = AgentTemplate.builder("c").remoteFsRoot("jenkins").build();
        String command = factory.launchCommand(t, "c-1");
        assertThat(command)
                .contains("-jar \"$MESOS_SANDBOX/agent.jar\"")
                .contains("-secret @\"$MESOS_SANDBOX/.jenkins-agent-secret\"")
                .contains("-workDir \"$MESOS_SANDBOX\"/'jenkins'")
                .doesNotContain(" agent.jar ")
                .doesNotContain("@.jenkins-agent-secret");
        assertThat(factory.launchCommand(t.toBuilder().remoteFsRoot("/srv/ci").build(), "c-1"))
                .contains("-workDir '/srv/ci'");
    }

    @Test
    void secretReachesTheAgentThroughAPipeThatIsRemovedOnceRead() {
        String command = factory.launchCommand(AgentTemplate.builder("c").build(), "c-1");
        assertThat(command)
                .contains("mkfifo -m 600 \"$MESOS_SANDBOX/.jenkins-agent-secret\"")
                .contains(
                        "printf '%s' \"$JENKINS_SECRET\" > \"$MESOS_SANDBOX/.jenkins-agent-secret\""
                                + " && rm -f \"$MESOS_SANDBOX/.jenkins-agent-secret\"")
                .doesNotContain("s3cr3t");
    }

    // common/validation.cpp:310-313, applied to tasks by master/validation.cpp:1533-1540
    @Test
    void dockerParameterNameIsRefusedInTheMastersWords() {
        assertThat(
                        problems(
                                AgentTemplate.builder("d")
                                        .container(docker().dockerParameter("name", "x").build())))
                .anyMatch(p -> p.contains("Parameter in DockerInfo must not be 'name'"));
    }

    // docker/docker.cpp:871-884: USER network mode takes exactly one named network
    @Test
    void dockerUserNetworkTakesExactlyOneNetwork() {
        assertThat(
                        problems(
                                AgentTemplate.builder("d")
                                        .container(
                                                docker().network(ContainerSpec.Network.USER)
                                                        .cniNetwork("a")
                                                        .cniNetwork("b")
                                                        .build())))
                .anyMatch(p -> p.contains("Only a single network can be defined in Docker run"));
        assertThat(
                        problems(
                                AgentTemplate.builder("d")
                                        .container(
                                                mesos().cniNetwork("a").cniNetwork("b").build())))
                .isEmpty();
    }

    // slave/containerizer/fetcher.cpp:104-131 (Fetcher::basename) and :167-176, :372-376
    @Test
    void fetchUriWithoutPathIsRefusedInTheFetchersWords() {
        assertThat(
                        problems(
                                AgentTemplate.builder("u")
                                        .fetchUri(FetchUri.of("https://tools.example.com"))))
                .anyMatch(
                        p ->
                                p.contains(
                                        "Malformed URI (missing path):"
                                                + " https://tools.example.com"));
        assertThat(
                        problems(
                                AgentTemplate.builder("u")
                                        .fetchUri(FetchUri.of("https://tools.example.com/"))))
                .anyMatch(p -> p.contains("Malformed URI (missing path)"));
        assertThat(
                        problems(
                                AgentTemplate.builder("u")
                                        .fetchUri(FetchUri.of("https://tools.example.com/x.tgz"))))
                .isEmpty();
    }

    // docs/gpu-support.md:33-35 (1.11.0): no GPU support through the Docker containerizer
    @Test
    void gpusWithTheDockerContainerizerAreRefused() {
        assertThat(problems(AgentTemplate.builder("g").gpus(1).container(docker().build())))
                .anyMatch(p -> p.startsWith("gpus:") && p.contains("Docker containerizer"));
        assertThat(problems(AgentTemplate.builder("g").gpus(1).container(mesos().build())))
                .isEmpty();
    }

    @Test
    void mesosContainerizerPortMappingsNeedACniNetwork() {
        assertThat(
                        problems(
                                AgentTemplate.builder("p")
                                        .container(mesos().portMapping(8080, 0, "tcp").build())))
                .anyMatch(p -> p.startsWith("container.portMappings:") && p.contains("CNI"));
        assertThat(
                        problems(
                                AgentTemplate.builder("p")
                                        .container(
                                                mesos().cniNetwork("ci")
                                                        .portMapping(8080, 0, "tcp")
                                                        .build())))
                .isEmpty();
    }

    // common/roles.cpp:85-140 (roles::validate)
    @Test
    void hierarchicalRolesFollowMesosRolesValidate() {
        assertThat(problems(AgentTemplate.builder("r").role("eng/ci"))).isEmpty();
        assertThat(problems(AgentTemplate.builder("r").role("eng/ci/linux-x64"))).isEmpty();
        Map<String, String> bad =
                Map.of(
                        "/eng", "Role '/eng' cannot start with a slash",
                        "eng/", "Role 'eng/' cannot end with a slash",
                        "eng//ci", "Role 'eng//ci' cannot contain two adjacent slashes",
                        "eng/./ci", "Role 'eng/./ci' cannot include '.' as a component",
                        "eng/..", "Role 'eng/..' cannot include '..' as a component",
                        "eng/*", "Role 'eng/*' cannot include '*' as a component",
                        "eng/-ci", "Role component '-ci' is invalid because it starts with a dash",
                        "eng/c i",
                                "Role component 'c i' is invalid because it contains backspace or"
                                        + " whitespace");
        bad.forEach(
                (role, message) ->
                        assertThat(problems(AgentTemplate.builder("r").role(role)))
                                .as(role)
                                .anyMatch(p -> p.startsWith("role:") && p.contains(message)));
    }

    @Test
    void taskUserMustBeAPlainUserName() {
        assertThat(problems(AgentTemplate.builder("u").user("jenkins:jenkins")))
                .anyMatch(p -> p.startsWith("user:"));
        assertThat(problems(AgentTemplate.builder("u").user("ci-bot.1"))).isEmpty();
    }

    @Test
    void sameFixedHostPortForTcpAndUdpTakesThePortOnce() {
        AgentTemplate t =
                AgentTemplate.builder("dns")
                        .container(
                                docker().network(ContainerSpec.Network.BRIDGE)
                                        .portMapping(53, 31053, "tcp")
                                        .portMapping(53, 31053, "udp")
                                        .portMapping(8080, 0, "tcp")
                                        .build())
                        .build();
        TaskInfo[] task = new TaskInfo[1];
        assertThatCode(
                        () ->
                                task[0] =
                                        build(
                                                t,
                                                new OfferView(
                                                        offer("o1", "h1", 4, 4096)
                                                                .ports(31000, 31100)
                                                                .build(),
                                                        Instant.EPOCH)))
                .doesNotThrowAnyException();
        List<String> ports =
                task[0].getResourcesList().stream()
                        .filter(r -> r.getName().equals("ports"))
                        .flatMap(r -> r.getRanges().getRangeList().stream())
                        .map(r -> r.getBegin() + "-" + r.getEnd())
                        .toList();
        assertThat(ports).containsExactlyInAnyOrder("31053-31053", "31000-31000");
        assertThat(task[0].getContainer().getDocker().getPortMappingsList())
                .extracting(
                        m -> m.getHostPort() + "->" + m.getContainerPort() + "/" + m.getProtocol())
                .containsExactly("31053->53/tcp", "31053->53/udp", "31000->8080/tcp");
    }

    // DOCKER: the task user is not passed to `docker run` (docker.cpp argv has no -u); the plugin
    // passes it as the `user` parameter when asked to
    @Test
    void dockerCanRunAsTheTaskUser() {
        AgentTemplate t =
                AgentTemplate.builder("d")
                        .user("ci")
                        .container(docker().runAsTaskUser(true).build())
                        .build();
        TaskInfo task = build(t, new OfferView(offer("o1", "h1", 4, 4096).build(), Instant.EPOCH));
        assertThat(task.getContainer().getDocker().getParametersList())
                .anySatisfy(
                        p -> {
                            assertThat(p.getKey()).isEqualTo("user");
                            assertThat(p.getValue()).isEqualTo("ci");
                        });
        assertThat(
                        problems(
                                AgentTemplate.builder("d")
                                        .container(docker().runAsTaskUser(true).build())))
                .anyMatch(p -> p.startsWith("container.runAsTaskUser:") && p.contains("user"));
        assertThat(
                        problems(
                                AgentTemplate.builder("d")
                                        .user("ci")
                                        .container(
                                                docker().runAsTaskUser(true)
                                                        .dockerParameter("user", "1000")
                                                        .build())))
                .anyMatch(p -> p.startsWith("container.runAsTaskUser:"));
        assertThat(
                        problems(
                                AgentTemplate.builder("m")
                                        .user("ci")
                                        .container(mesos().runAsTaskUser(true).build())))
                .anyMatch(p -> p.startsWith("container.runAsTaskUser:"));
    }

    @Test
    void pullSecretCanBeAReferenceTheAgentResolves() {
        AgentTemplate t =
                AgentTemplate.builder("m")
                        .container(mesos().pullSecretName("jenkins/registry-pull").build())
                        .build();
        TaskInfo task = build(t, new OfferView(offer("o1", "h1", 4, 4096).build(), Instant.EPOCH));
        Image.Docker d = task.getContainer().getMesos().getImage().getDocker();
        assertThat(d.getConfig().getType()).isEqualTo(Secret.Type.REFERENCE);
        assertThat(d.getConfig().getReference().getName()).isEqualTo("jenkins/registry-pull");
        assertThat(d.getConfig().hasValue()).isFalse();
        assertThat(
                        problems(
                                AgentTemplate.builder("d")
                                        .container(docker().pullSecretName("x").build())))
                .anyMatch(p -> p.startsWith("container.pullSecretName:"));
        assertThat(
                        problems(
                                AgentTemplate.builder("m")
                                        .container(
                                                mesos().pullSecretName("x")
                                                        .pullConfig(
                                                                SecretValue.of("{\"auths\":{}}"))
                                                        .build())))
                .anyMatch(p -> p.startsWith("container.pullSecretName:"));
        assertThat(ContainerInfo.Type.MESOS).isEqualTo(task.getContainer().getType());
        assertThat(task.getResourcesList()).extracting(Resource::getName).contains("cpus");
    }
}
