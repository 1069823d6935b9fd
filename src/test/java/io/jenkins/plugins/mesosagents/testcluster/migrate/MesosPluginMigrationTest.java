package io.jenkins.plugins.mesosagents.testcluster.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.engine.Constraint;
import io.jenkins.plugins.mesosagents.engine.ContainerSpec;
import io.jenkins.plugins.mesosagents.engine.FaultDomainPlacement;
import io.jenkins.plugins.mesosagents.engine.FetchUri;
import io.jenkins.plugins.mesosagents.testcluster.casc.CascCloud;
import io.jenkins.plugins.mesosagents.testcluster.casc.CascReader;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;

class MesosPluginMigrationTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void converts1xConfigXmlFieldByField() throws Exception {
        MesosPluginMigration.Result result = convert("mesos-1.x-config.xml");
        JsonNode cloud = cloudOf(result);
        assertThat(cloud.get("name").asText()).isEqualTo("mesos-agents");
        assertThat(cloud.get("masterUrls").asText()).isEqualTo("zk://zk1:2181,zk2:2181/mesos");
        assertThat(cloud.get("jenkinsUrl").asText()).isEqualTo("https://jenkins.example.com/");
        assertThat(cloud.get("frameworkName").asText()).isEqualTo("Jenkins Scheduler");
        assertThat(cloud.get("frameworkUser").asText()).isEqualTo("jenkins");
        assertThat(cloud.get("credentialsId").asText()).isEqualTo("mesos-principal");

        JsonNode docker = cloud.get("templates").get(0);
        assertThat(docker.get("name").asText()).isEqualTo("docker");
        assertThat(docker.get("labelString").asText()).isEqualTo("docker linux");
        assertThat(docker.get("mode").asText()).isEqualTo("EXCLUSIVE");
        // 0.5 + 2 × 0.25 cpus; ceil(1.1 × (512 + 2 × 256)) MB; -Xmx was slaveMem
        assertThat(docker.get("cpus").asDouble()).isEqualTo(1.0);
        assertThat(docker.get("memMb").asInt()).isEqualTo(1127);
        assertThat(docker.get("jvmHeapMb").asInt()).isEqualTo(512);
        assertThat(docker.get("executors").asInt()).isEqualTo(2);
        assertThat(docker.get("diskMb").asInt()).isEqualTo(2048);
        assertThat(docker.get("role").asText()).isEqualTo("ci");
        assertThat(docker.get("jvmOptions").asText())
                .isEqualTo("-Xms16m -Djava.net.preferIPv4Stack=true");
        assertThat(docker.get("agentArguments").asText()).isEqualTo("-noReconnect");
        assertThat(docker.get("fetchUris").asText())
                .isEqualTo("file:///etc/docker/docker.tar.gz extract\n");
        assertThat(docker.get("constraints").asText()).isEqualTo("rack:EQ:r1\nos:EQ:linux\n");
        assertThat(docker.get("idleTerminationMinutes").asInt()).isEqualTo(5);
        JsonNode container = docker.get("container");
        assertThat(container.get("type").asText()).isEqualTo("DOCKER");
        assertThat(container.get("image").asText()).isEqualTo("registry.example.com/ci/agent:17");
        assertThat(container.get("network").asText()).isEqualTo("BRIDGE");
        assertThat(container.get("portMappings").asText()).isEqualTo("8080/tcp\n53:31053/udp\n");
        assertThat(container.get("dockerParameters").asText()).isEqualTo("memory-swap=1g\n");
        assertThat(container.get("volumes").asText())
                .isEqualTo("/var/run/docker.sock:/var/run/docker.sock:rw\n");
        assertThat(container.get("privileged").asBoolean()).isTrue();
        assertThat(container.get("forcePull").asBoolean()).isTrue();

        JsonNode unlabelled = cloud.get("templates").get(1);
        assertThat(unlabelled.get("name").asText()).isEqualTo("default");
        assertThat(unlabelled.has("labelString")).isFalse();
        assertThat(unlabelled.get("mode").asText()).isEqualTo("NORMAL");
        assertThat(unlabelled.get("cpus").asDouble()).isEqualTo(1.1);
        assertThat(unlabelled.get("memMb").asInt()).isEqualTo(1408);
        assertThat(unlabelled.get("remoteFsRoot").asText()).isEqualTo("workspace");
        assertThat(unlabelled.get("idleTerminationMinutes").asInt()).isZero();
        assertThat(unlabelled.get("container").get("type").asText()).isEqualTo("MESOS");
        assertThat(unlabelled.get("container").get("cniNetworks").asText()).isEqualTo("ci-net\n");
        assertThat(unlabelled.get("container").has("network")).isFalse();
    }

    @Test
    void the1xResultIsTheEngineTemplatesExpected() throws Exception {
        CascCloud cloud = casc(convert("mesos-1.x-config.xml"));
        List<AgentTemplate> templates = cloud.agentTemplates();
        AgentTemplate docker = templates.get(0);
        assertThat(docker.labelExpression()).isEqualTo("docker linux");
        assertThat(docker.cpus()).isEqualTo(1.0);
        assertThat(docker.memMb()).isEqualTo(1127);
        assertThat(docker.jvmHeapMb()).isEqualTo(512);
        assertThat(docker.executors()).isEqualTo(2);
        assertThat(docker.role()).isEqualTo("ci");
        assertThat(docker.constraints())
                .containsExactly(
                        Constraint.of("rack", Constraint.Operator.EQ, "r1"),
                        Constraint.of("os", Constraint.Operator.EQ, "linux"));
        assertThat(docker.fetchUris())
                .containsExactly(
                        new FetchUri("file:///etc/docker/docker.tar.gz", true, false, false));
        ContainerSpec c = docker.container();
        assertThat(c.type()).isEqualTo(ContainerSpec.Type.DOCKER);
        assertThat(c.network()).isEqualTo(ContainerSpec.Network.BRIDGE);
        assertThat(c.portMappings())
                .containsExactly(
                        new ContainerSpec.PortMapping(8080, 0, "tcp"),
                        new ContainerSpec.PortMapping(53, 31053, "udp"));
        assertThat(c.dockerParameters())
                .containsExactly(new ContainerSpec.Parameter("memory-swap", "1g"));
        assertThat(c.volumes())
                .containsExactly(
                        new ContainerSpec.Volume(
                                "/var/run/docker.sock", "/var/run/docker.sock", false));
        assertThat(c.privileged()).isTrue();
        assertThat(c.forcePull()).isTrue();
        AgentTemplate unlabelled = templates.get(1);
        assertThat(unlabelled.labelExpression()).isEmpty();
        assertThat(cloud.settings().templates().get(1).mode()).isEqualTo("NORMAL");
        assertThat(unlabelled.container().type()).isEqualTo(ContainerSpec.Type.MESOS);
        assertThat(unlabelled.container().cniNetworks()).containsExactly("ci-net");
        assertThat(unlabelled.idleTerminationMinutes()).isZero();
        // credentials stay ids: the 1.x credential lives on in the same Jenkins
        var framework = cloud.settings().framework(templates, "unused").build();
        assertThat(framework.name()).isEqualTo("Jenkins Scheduler");
        assertThat(framework.user()).isEqualTo("jenkins");
        assertThat(framework.roles()).containsExactly("ci");
    }

    @Test
    void the1xLossesAreListed() throws Exception {
        MesosPluginMigration.Result result = convert("mesos-1.x-config.xml");
        assertThat(result.notCarriedOver().stream().map(Finding::source))
                .containsExactly(
                        "cloud.description",
                        "cloud.onDemandRegistration",
                        "cloud.declineOfferDuration",
                        "cloud.slaveInfos[0].containerInfo.volumes[1]",
                        "cloud.slaveInfos[0].containerInfo.dockerImageCustomizable",
                        "cloud.slaveInfos[0].containerInfo.useCustomDockerCommandShell",
                        "cloud.slaveInfos[1].slaveAttributesString",
                        "cloud.slaveInfos[1].nodeProperties",
                        "cloud.slaveInfos[1].containerInfo.isDind");
        // declineOfferDuration 300 < 1000: 1.x replaced it with 600 (MesosCloud.java:733-738)
        assertThat(find(result, "cloud.declineOfferDuration").message())
                .contains("'300' (1.x used 600 s)");
        assertThat(result.findings()).noneMatch(f -> f.source().equals("cloud.checkpoint"));
        assertThat(find(result, "cloud.slaveInfos[0].jvmArgs").kind())
                .isEqualTo(Finding.Kind.CHANGED);
        assertThat(find(result, "cloud.slaveInfos[0].minExecutors/maxExecutors").message())
                .contains("1-2 executors");
        for (Finding f : result.findings()) {
            assertThat(result.yaml()).contains("# " + f);
        }
    }

    @Test
    void converts2xConfigXmlFieldByField() throws Exception {
        MesosPluginMigration.Result result = convert("mesos-2.x-config.xml");
        JsonNode cloud = cloudOf(result);
        assertThat(cloud.get("masterUrls").asText()).isEqualTo("http://leader.mesos:5050");
        assertThat(cloud.get("jenkinsUrl").asText())
                .isEqualTo("http://jenkins.marathon.mesos:8080");
        assertThat(cloud.get("frameworkUser").asText()).isEqualTo("nobody");
        assertThat(cloud.has("maxAgents")).as("instanceCap MAX_VALUE = no cap").isFalse();
        JsonNode linux = cloud.get("templates").get(0);
        assertThat(linux.get("labelString").asText()).isEqualTo("linux docker");
        assertThat(linux.get("cpus").asDouble()).isEqualTo(1.5);
        assertThat(linux.get("memMb").asInt()).isEqualTo(2048 + 32);
        assertThat(linux.has("jvmHeapMb")).isFalse();
        assertThat(linux.get("diskMb").asInt()).isEqualTo(1024);
        assertThat(linux.get("role").asText()).isEqualTo("jenkins");
        assertThat(linux.get("constraints").asText()).isEqualTo("rack:EQ:r2\nos:EQ:linux\n");
        assertThat(linux.get("faultDomain").asText()).isEqualTo("REGION");
        assertThat(linux.get("region").asText()).isEqualTo("eu-west");
        assertThat(linux.get("zone").asText()).isEqualTo("eu-west-1a");
        assertThat(linux.get("singleUse").asBoolean()).isTrue();
        assertThat(linux.get("container").get("volumes").asText())
                .isEqualTo("/etc/ssl/certs:/etc/ssl/certs:ro\n");
        JsonNode unlabelled = cloud.get("templates").get(1);
        assertThat(unlabelled.has("labelString")).isFalse();
        assertThat(unlabelled.get("faultDomain").asText()).isEqualTo("ANY");
        assertThat(unlabelled.get("container").get("type").asText()).isEqualTo("MESOS");

        List<AgentTemplate> templates = casc(result).agentTemplates();
        assertThat(templates.get(0).faultDomain())
                .isEqualTo(FaultDomainPlacement.in("eu-west", "eu-west-1a"));
        assertThat(templates.get(0).executors()).isEqualTo(1);
        assertThat(templates.get(0).singleUse()).isTrue();
        assertThat(templates.get(0).container().network()).isEqualTo(ContainerSpec.Network.BRIDGE);
        assertThat(templates.get(0).fetchUris())
                .containsExactly(
                        new FetchUri("https://repo.example.com/tools.tgz", true, false, false));
        assertThat(templates.get(1).faultDomain()).isEqualTo(FaultDomainPlacement.ANYWHERE);
        assertThat(templates.get(1).memMb()).isEqualTo(544);

        assertThat(result.notCarriedOver().stream().map(Finding::source))
                .containsExactly(
                        "cloud",
                        "cloud.mesosAgentSpecTemplates[0].containerInfo.isDind",
                        "cloud.mesosAgentSpecTemplates[1].agentCommandStyle");
        assertThat(find(result, "cloud.mesosAgentSpecTemplates[1].label").message())
                .contains("never launched in 2.x");
    }

    @Test
    void converts2xCascFieldByField() throws Exception {
        MesosPluginMigration.Result result = convert("mesos-2.x-casc.yaml");
        JsonNode cloud = cloudOf(result);
        assertThat(cloud.get("masterUrls").asText()).isEqualTo("zk://zk1:2181/mesos");
        assertThat(cloud.get("frameworkName").asText()).isEqualTo("ci");
        assertThat(cloud.get("frameworkUser").asText()).isEqualTo("builder");
        JsonNode maven = cloud.get("templates").get(0);
        assertThat(maven.get("memMb").asInt()).isEqualTo(4096);
        assertThat(maven.has("role")).as("role * is the default").isFalse();
        assertThat(maven.has("faultDomain")).as("home is the default").isFalse();
        assertThat(maven.get("container").get("volumes").asText())
                .isEqualTo("/root/.m2:/srv/m2:rw\n");
        JsonNode node = cloud.get("templates").get(1);
        assertThat(node.get("mode").asText()).isEqualTo("NORMAL");
        assertThat(node.get("container").get("network").asText()).isEqualTo("HOST");

        List<AgentTemplate> templates = casc(result).agentTemplates();
        assertThat(templates.get(0).constraints())
                .containsExactly(Constraint.of("zone", Constraint.Operator.EQ, "a"));
        assertThat(templates.get(0).container().forcePull()).isTrue();
        assertThat(templates.get(0).container().network())
                .as("2.x's default networking")
                .isEqualTo(ContainerSpec.Network.BRIDGE);
        assertThat(templates.get(0).idleTerminationMinutes()).isEqualTo(15);
        assertThat(templates.get(1).faultDomain()).isEqualTo(FaultDomainPlacement.ANYWHERE);
        assertThat(result.notCarriedOver().stream().map(Finding::source))
                .containsExactly("cloud", "cloud.mesosAgentSpecTemplates[1].nodeSelector");
        assertThat(find(result, "cloud.mesosAgentSpecTemplates[1].mode").message())
                .contains("jobs without a label now get this template's agents");
    }

    @Test
    void aLabellessTemplateMovesFirstSoUnlabelledJobsKeepGettingIt() {
        // 1.x configured through JCasC: constructor parameter names, attributes as a JSON string
        MesosPluginMigration.Result result =
                MesosPluginMigration.convert(
                        """
                        jenkins:
                          clouds:
                            - mesos:
                                master: "m1:5050"
                                declineOfferDuration: "abc"
                                slaveInfos:
                                  - labelString: "big"
                                    mode: NORMAL
                                    slaveCpus: "1"
                                    slaveMem: "1000"
                                    executorCpus: "0"
                                    executorMem: "0"
                                    minExecutors: "1"
                                    maxExecutors: "1"
                                    slaveAttributes: '{"gpu":"none"}'
                                  - slaveCpus: "0.5"
                                    minExecutors: "1"
                                    maxExecutors: "1"
                        """,
                        "v1.yaml");
        CascCloud cloud = casc(result);
        assertThat(cloud.settings().masterUrls()).isEqualTo("http://m1:5050");
        assertThat(cloud.settings().templates().get(0).name()).isEqualTo("default");
        assertThat(cloud.settings().templates().get(0).mode()).isEqualTo("NORMAL");
        assertThat(cloud.settings().templates().get(1).name()).isEqualTo("big");
        List<AgentTemplate> templates = cloud.agentTemplates();
        assertThat(templates.get(1).constraints())
                .containsExactly(Constraint.of("gpu", Constraint.Operator.EQ, "none"));
        // 1.1 × (1000 + 1 × 0)
        assertThat(templates.get(1).memMb()).isEqualTo(1100);
        assertThat(find(result, "cloud.slaveInfos[1]").message()).contains("moved to the top");
        assertThat(find(result, "cloud.declineOfferDuration").message())
                .contains("'abc' (1.x used 600 s)");
        assertThat(find(result, "cloud.master").kind()).isEqualTo(Finding.Kind.CHANGED);
        assertThat(find(result, "cloud.checkpoint").message()).startsWith("was off");
    }

    @Test
    void badInputNamesTheFileTheLineAndWhatToDo() {
        assertThatThrownBy(
                        () ->
                                MesosPluginMigration.convert(
                                        "<hudson>\n<clouds>\n</hudson>", "c.xml"))
                .isInstanceOf(InvalidSourceException.class)
                .hasMessageStartingWith("c.xml:3: is not well-formed XML")
                .hasMessageContaining("JENKINS_HOME/config.xml");
        assertThatThrownBy(
                        () ->
                                MesosPluginMigration.convert(
                                        "<hudson><clouds><org.csanchez.jenkins.plugins.kubernetes"
                                                + ".KubernetesCloud/></clouds></hudson>",
                                        "k.xml"))
                .hasMessageStartingWith("k.xml: has no mesos-plugin cloud (root element <hudson>")
                .hasMessageContaining("give Jenkins' JENKINS_HOME/config.xml");
        assertThatThrownBy(() -> MesosPluginMigration.convert("jenkins:\n  clouds: [\n", "j.yaml"))
                .hasMessageStartingWith("j.yaml:2: is neither XML nor valid YAML");
        assertThatThrownBy(
                        () ->
                                MesosPluginMigration.convert(
                                        "jenkins:\n  clouds:\n    - kubernetes: {}\n", "k.yaml"))
                .hasMessageStartingWith("k.yaml: has no mesos-plugin cloud")
                .hasMessageContaining("'jenkins: clouds: - mesos:'");
        assertThatThrownBy(() -> MesosPluginMigration.convert("\n", "e.yaml"))
                .hasMessageStartingWith("e.yaml: is empty");
        assertThatThrownBy(
                        () ->
                                MesosPluginMigration.convert(
                                        "jenkins:\n  clouds:\n    - mesos:\n"
                                                + "        mesosAgentSpecTemplates:\n"
                                                + "          - cpus: lots\n",
                                        "n.yaml"))
                .hasMessageContaining("cloud.mesosAgentSpecTemplates[0].cpus must be a number");
    }

    @Test
    void theCliWritesTheFileAndReportsFindings(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path source = dir.resolve("config.xml");
        java.nio.file.Files.writeString(source, resource("mesos-2.x-config.xml"));
        Path out = dir.resolve("casc.yaml");
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream stdout = new java.io.ByteArrayOutputStream();
        int code =
                Migrate.run(
                        new String[] {source.toString(), "--out", out.toString()},
                        new java.io.PrintStream(stdout, true, StandardCharsets.UTF_8),
                        new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isZero();
        assertThat(stdout.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(java.nio.file.Files.readString(out)).contains("- mesosAgents:");
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("NOT CARRIED OVER cloud.mesosAgentSpecTemplates[1].agentCommandStyle")
                .contains("wrote " + out);
        err.reset();
        assertThat(
                        Migrate.run(
                                new String[] {dir.resolve("nope.xml").toString()},
                                new java.io.PrintStream(stdout),
                                new java.io.PrintStream(err, true, StandardCharsets.UTF_8)))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("nope.xml: no such file");
        assertThat(
                        Migrate.run(
                                new String[0],
                                new java.io.PrintStream(stdout),
                                new java.io.PrintStream(err)))
                .isEqualTo(64);
    }

    @Test
    void docsNameEverySourceFieldOfTheSamples() throws Exception {
        String docs = java.nio.file.Files.readString(Path.of("docs/migration.md"));
        java.util.Set<String> keys = new java.util.TreeSet<>();
        for (String sample :
                List.of("mesos-1.x-config.xml", "mesos-2.x-config.xml", "mesos-2.x-casc.yaml")) {
            for (SourceReader.SourceCloud cloud : SourceReader.read(resource(sample), sample)) {
                collectKeys(cloud.fields(), keys);
            }
        }
        keys.remove("@class");
        keys.remove("nodeSelector"); // the sample's unknown key
        assertThat(keys).contains("slaveAttributesString", "mesosAgentSpecTemplates");
        for (String key : keys) {
            assertThat(docs).as("docs/migration.md names " + key).contains("`" + key + "`");
        }
        for (String key : new java.util.TreeSet<>(CascReader.templateKeys())) {
            if (result1xAnd2xUse(key)) {
                assertThat(docs)
                        .as("docs/migration.md names target " + key)
                        .contains("`" + key + "`");
            }
        }
    }

    private static boolean result1xAnd2xUse(String key) throws IOException {
        for (String sample :
                List.of("mesos-1.x-config.xml", "mesos-2.x-config.xml", "mesos-2.x-casc.yaml")) {
            if (convert(sample).yaml().contains(" " + key + ":")) {
                return true;
            }
        }
        return false;
    }

    private static void collectKeys(JsonNode node, java.util.Set<String> keys) {
        if (node.isObject()) {
            node.fields()
                    .forEachRemaining(
                            e -> {
                                keys.add(e.getKey());
                                // Jenkins' own classes inside: not mesos-plugin fields
                                if (!Set.of("nodeProperties", "labelSet").contains(e.getKey())) {
                                    collectKeys(e.getValue(), keys);
                                }
                            });
        } else if (node.isArray()) {
            node.forEach(n -> collectKeys(n, keys));
        }
    }

    @Test
    void theCliSaysWhenTheResultNeedsFixing(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path source = dir.resolve("casc.yaml");
        java.nio.file.Files.writeString(
                source,
                """
                jenkins:
                  clouds:
                    - mesos:
                        mesosMasterUrl: http://m:5050
                        mesosAgentSpecTemplates:
                          - label: x
                            mem: "512"
                            containerInfo:
                              type: DOCKER
                """);
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream stdout = new java.io.ByteArrayOutputStream();
        int code =
                Migrate.run(
                        new String[] {source.toString()},
                        new java.io.PrintStream(stdout, true, StandardCharsets.UTF_8),
                        new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("the converted YAML needs fixing")
                .contains("templates[0].container.image");
        assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("- mesosAgents:");
    }

    private static Finding find(MesosPluginMigration.Result result, String source) {
        return result.findings().stream()
                .filter(f -> f.source().equals(source))
                .findFirst()
                .orElseThrow(
                        () ->
                                new AssertionError(
                                        "no finding for " + source + ": " + result.findings()));
    }

    static MesosPluginMigration.Result convert(String resource) throws IOException {
        return MesosPluginMigration.convert(resource(resource), resource);
    }

    static String resource(String name) throws IOException {
        try (var in =
                Objects.requireNonNull(
                        MesosPluginMigrationTest.class.getResourceAsStream("/migrate/" + name),
                        name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static JsonNode cloudOf(MesosPluginMigration.Result result) throws IOException {
        JsonNode clouds = YAML.readTree(result.yaml()).get("jenkins").get("clouds");
        assertThat(clouds).hasSize(1);
        return clouds.get(0).get(CascReader.CLOUD_SYMBOL);
    }

    private static CascCloud casc(MesosPluginMigration.Result result) {
        return CascReader.parse(result.yaml(), "converted", Path.of("."), name -> null).cloud();
    }
}
