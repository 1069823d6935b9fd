package io.jenkins.plugins.mesosagents.testcluster.casc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mesosagents.cloud.ContainerSettings;
import io.jenkins.plugins.mesosagents.cloud.WarmPoolSettings;
import io.jenkins.plugins.mesosagents.cloud.MesosAgentTemplate;
import io.jenkins.plugins.mesosagents.cloud.MesosCloud;
import io.jenkins.plugins.mesosagents.cloud.MesosCloudDescriptor;
import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.engine.Constraint;
import io.jenkins.plugins.mesosagents.engine.ContainerSpec;
import io.jenkins.plugins.mesosagents.engine.FaultDomainPlacement;
import io.jenkins.plugins.mesosagents.mesos.FrameworkIdentity;
import io.jenkins.plugins.mesosagents.mesos.MesosCredentials;

import org.jenkinsci.Symbol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

import java.beans.Introspector;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The test-cluster's JCasC reader accepts exactly the cloud form's field names (checked by
 * reflection over the Jenkins classes, which the stand-in does not let us instantiate), reads the
 * example of docs/cloud.md, and names the path of every mistake.
 */
class CascReaderTest {
    /** Setters of the cloud classes the tools do not read; none today. */
    private static final Set<String> NOT_APPLICABLE_TO_TOOLS = Set.of();

    private static final Path DOCS =
            Path.of(System.getProperty("project.basedir", ".")).resolve("docs/cloud.md");

    @Test
    void acceptsExactlyTheDataBoundNamesOfTheCloudClasses() {
        assertThat(CascReader.cloudKeys()).isEqualTo(boundNames(MesosCloud.class));
        assertThat(CascReader.templateKeys()).isEqualTo(boundNames(MesosAgentTemplate.class));
        assertThat(CascReader.containerKeys()).isEqualTo(boundNames(ContainerSettings.class));
        assertThat(CascReader.warmPoolKeys()).isEqualTo(boundNames(WarmPoolSettings.class));
        assertThat(setter(MesosAgentTemplate.class, "setWarmPool").getParameterTypes()[0])
                .isEqualTo(WarmPoolSettings.class);
        // the nested describables are the ones the reader descends into
        assertThat(elementType(setter(MesosCloud.class, "setTemplates")))
                .isEqualTo(MesosAgentTemplate.class);
        assertThat(setter(MesosAgentTemplate.class, "setContainer").getParameterTypes()[0])
                .isEqualTo(ContainerSettings.class);
    }

    @Test
    void theSymbolIsTheDescriptorsSymbol() {
        Symbol symbol = MesosCloudDescriptor.class.getAnnotation(Symbol.class);
        assertThat(symbol.value()).containsExactly(CascReader.CLOUD_SYMBOL);
    }

    @Test
    void docsListEveryKey() throws Exception {
        String docs = Files.readString(DOCS);
        Set<String> all = new TreeSet<>(CascReader.cloudKeys());
        all.addAll(CascReader.templateKeys());
        all.addAll(CascReader.containerKeys());
        all.addAll(CascReader.warmPoolKeys());
        for (String key : all) {
            assertThat(docs).as("docs/cloud.md names key " + key).contains("`" + key + "`");
        }
    }

    @Test
    void readsTheExampleOfTheUserGuide() throws Exception {
        Matcher yaml =
                Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL)
                        .matcher(Files.readString(DOCS));
        assertThat(yaml.find()).as("docs/cloud.md has a yaml example").isTrue();
        Map<String, String> env = Map.of("MESOS_SECRET", "s3cret", "REGISTRY_PASSWORD", "pw");

        CascCloud cloud =
                CascReader.parse(yaml.group(1), "docs/cloud.md", DOCS.getParent(), env::get)
                        .cloud();

        assertThat(cloud.settings().name()).isEqualTo("mesos");
        assertThat(cloud.settings().masterUrls()).isEqualTo("zk://zk1:2181,zk2:2181/mesos");
        assertThat(cloud.settings().maxAgents()).isEqualTo(50);
        List<AgentTemplate> templates = cloud.agentTemplates();
        assertThat(templates).hasSize(1);
        AgentTemplate linux = templates.get(0);
        assertThat(linux.labelExpression()).isEqualTo("linux docker");
        assertThat(linux.cpus()).isEqualTo(2);
        assertThat(linux.memMb()).isEqualTo(4096);
        assertThat(linux.idleTerminationMinutes()).isEqualTo(5);
        assertThat(linux.constraints())
                .containsExactly(Constraint.of("hostname", Constraint.Operator.UNIQUE));
        assertThat(linux.container().type()).isEqualTo(ContainerSpec.Type.MESOS);
        String auth = Base64.getEncoder().encodeToString("ci:pw".getBytes());
        assertThat(linux.container().pullConfig().reveal())
                .isEqualTo("{\"auths\":{\"registry.example.com\":{\"auth\":\"" + auth + "\"}}}");
        MesosCredentials credentials = cloud.mesosCredentials();
        assertThat(credentials).isEqualTo(new MesosCredentials.Basic("jenkins", "s3cret"));
        FrameworkIdentity framework = cloud.framework(templates).build();
        assertThat(framework.principal()).contains("jenkins");
        assertThat(framework.failoverTimeout()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void unsetKeysTakeTheFormsDefaults() {
        CascCloud cloud =
                parse(
                                """
                                jenkins:
                                  clouds:
                                    - mesosAgents:
                                        name: c
                                        templates:
                                          - name: t
                                """)
                        .cloud();
        // the form's template with nothing set becomes the very same engine template
        assertThat(cloud.agentTemplates())
                .containsExactly(new MesosAgentTemplate("t").toAgentTemplate());
        assertThat(cloud.settings().frameworkName()).isEqualTo("jenkins");
        assertThat(cloud.settings().failoverTimeoutHours()).isEqualTo(168);
    }

    @Test
    void readsEveryTemplateAndContainerField(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        CascConfig config =
                CascReader.parse(
                        """
                        jenkins:
                          clouds:
                            - mesosAgents:
                                name: c
                                masterUrls: http://m1:5050
                                frameworkName: ci
                                frameworkUser: build
                                failoverTimeoutHours: 2
                                maxCpus: 8.5
                                maxMemMb: 1000
                                caCertificate: "${readFile:ca.pem}"
                                allowPrivileged: true
                                jenkinsfileTemplates: any
                                jenkinsfileImagePrefixes: registry.example.com/
                                jenkinsfileMaxCpus: 4
                                jenkinsfileMaxMemMb: 8192
                                jenkinsfileMaxDiskMb: 1000
                                jenkinsfileMaxGpus: 1
                                templates:
                                  - name: docker
                                    mode: normal
                                    labelString: docker
                                    role: ci
                                    hostPorts: 2
                                    singleUse: true
                                    webSocket: "false"
                                    launchTimeoutSeconds: 60
                                    environment: |
                                      A=1
                                      B=${USER_NAME:-nobody}
                                    constraints: |
                                      rack:EQ:r1
                                      hostname:UNIQUE
                                    faultDomain: REGION
                                    region: eu
                                    zone: eu-1
                                    container:
                                      type: docker
                                      image: agent:1
                                      network: BRIDGE
                                      portMappings: "8080"
                                      volumes: /c:/h:ro
                                      dockerParameters: memory-swap=1g
                                      privileged: true
                                  - name: cuda
                                    labelString: cuda
                                    role: ci
                                    gpus: 1
                                  - name: cuda-big
                                    inheritFrom: cuda
                                    labelString: cuda-big
                                    memMb: 8192
                        """,
                        "test.yaml",
                        dir,
                        name -> null);
        CascCloud cloud = config.cloud("c");
        assertThat(cloud.settings().caCertificate()).isEqualTo("-----BEGIN CERTIFICATE-----");
        assertThat(cloud.settings().maxCpus()).isEqualTo(8.5);
        AgentTemplate t = cloud.agentTemplates().get(0);
        assertThat(cloud.settings().templates().get(0).mode()).isEqualTo("NORMAL");
        assertThat(t.environment()).containsEntry("A", "1").containsEntry("B", "nobody");
        assertThat(t.constraints()).hasSize(2);
        assertThat(t.faultDomain()).isEqualTo(FaultDomainPlacement.in("eu", "eu-1"));
        assertThat(t.singleUse()).isTrue();
        assertThat(t.webSocket()).isFalse();
        assertThat(t.launchTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(t.container().type()).isEqualTo(ContainerSpec.Type.DOCKER);
        assertThat(t.container().network()).isEqualTo(ContainerSpec.Network.BRIDGE);
        assertThat(t.container().privileged()).isTrue();
        assertThat(t.container().dockerParameters())
                .containsExactly(new ContainerSpec.Parameter("memory-swap", "1g"));
        assertThat(cloud.agentTemplates().get(1).gpus()).isEqualTo(1);
        AgentTemplate inherited = cloud.agentTemplates().get(2);
        assertThat(inherited.gpus()).isEqualTo(1);
        assertThat(inherited.role()).isEqualTo("ci");
        assertThat(inherited.memMb()).isEqualTo(8192);
        assertThat(inherited.labelExpression()).isEqualTo("cuda-big");
        assertThat(cloud.settings().jenkinsfileRules())
                .isEqualTo(
                        new io.jenkins.plugins.mesosagents.settings.JenkinsfileRules(
                                "ANY", true, "registry.example.com/", 4, 8192, 1000, 1));
        FrameworkIdentity framework = cloud.framework(cloud.agentTemplates()).build();
        assertThat(framework.name()).isEqualTo("ci");
        assertThat(framework.user()).isEqualTo("build");
        assertThat(framework.roles()).containsExactly("ci");
        assertThat(framework.gpuResources()).isTrue();
        assertThat(framework.failoverTimeout()).isEqualTo(Duration.ofHours(2));
        assertThat(cloud.engineConfig("http://fallback/").build().maxCpus()).isEqualTo(8.5);
    }

    @Test
    void anUnknownKeyNamesItsPathAndTheKnownKeys() {
        assertThatThrownBy(
                        () ->
                                parse(
                                        """
                                        jenkins:
                                          clouds:
                                            - mesosAgents:
                                                name: c
                                                templates:
                                                  - name: t
                                                    cpu: 2
                                        """))
                .isInstanceOf(InvalidCascException.class)
                .hasMessageContaining("test.yaml")
                .hasMessageContaining("unknown key 'cpu'")
                .hasMessageContaining("jenkins.clouds[0].mesosAgents.templates[0]")
                .hasMessageContaining("cpus, diskMb");
    }

    @Test
    void theOldSymbolIsRejectedWithTheNewOne() {
        assertThatThrownBy(() -> parse("jenkins:\n  clouds:\n    - mesos:\n        name: c\n"))
                .hasMessageContaining("unknown key 'mesos' at jenkins.clouds[0]")
                .hasMessageContaining("known keys: mesosAgents");
    }

    @Test
    void wrongTypesAndMissingThingsAreNamed() {
        assertThatThrownBy(
                        () ->
                                parse(
                                        "jenkins:\n  clouds:\n    - mesosAgents:\n"
                                                + "        name: c\n        maxAgents: many\n"))
                .hasMessageContaining(
                        "jenkins.clouds[0].mesosAgents.maxAgents must be a whole number, was"
                                + " 'many'");
        assertThatThrownBy(
                        () ->
                                parse(
                                        "jenkins:\n"
                                                + "  clouds:\n"
                                                + "    - mesosAgents:\n"
                                                + "        maxAgents: 1\n"))
                .hasMessageContaining("jenkins.clouds[0].mesosAgents needs 'name:'");
        assertThatThrownBy(
                        () ->
                                parse(
                                        "jenkins:\n  clouds:\n    - mesosAgents:\n"
                                                + "        name: c\n        jenkinsUrl: ${NOPE}\n"))
                .hasMessageContaining("environment variable NOPE is not set");
        assertThatThrownBy(() -> parse("jenkins: [\n"))
                .hasMessageContaining("test.yaml: is not valid YAML");
        assertThatThrownBy(() -> parse("jenkins:\n  clouds: []\n").cloud())
                .hasMessageContaining("expected exactly one");
    }

    @Test
    void invalidTemplatesListEveryProblemWithItsPath() {
        CascCloud cloud =
                parse(
                                """
                                jenkins:
                                  clouds:
                                    - mesosAgents:
                                        name: c
                                        templates:
                                          - name: ok
                                          - name: bad
                                            cpus: -1
                                            constraints: "rack:NEAR:x"
                                            container:
                                              image: x
                                              pullCredentialsId: missing
                                """)
                        .cloud();
        assertThatThrownBy(cloud::agentTemplates)
                .isInstanceOf(InvalidCascException.class)
                .hasMessageContaining("jenkins.clouds[0].mesosAgents.templates[1].cpus")
                .hasMessageContaining("jenkins.clouds[0].mesosAgents.templates[1].constraints")
                .hasMessageContaining(
                        "templates[1].container.pullCredentialsId refers to 'missing'");
    }

    @Test
    void secretsNeverPrint() {
        CascConfig config =
                parse(
                        """
                        credentials:
                          system:
                            domainCredentials:
                              - credentials:
                                  - string:
                                      id: sa
                                      secret: topsecret
                        """);
        assertThat(config.credentials().toString()).doesNotContain("topsecret");
        assertThat(((CascCredential.SecretText) config.credentials().get("sa")).secret().reveal())
                .isEqualTo("topsecret");
    }

    private static CascConfig parse(String yaml) {
        return CascReader.parse(yaml, "test.yaml", Path.of("."), name -> null);
    }

    /**
     * @DataBoundConstructor parameters and @DataBoundSetter properties, minus tool exceptions.
     */
    private static Set<String> boundNames(Class<?> type) {
        Set<String> names = new TreeSet<>();
        for (Constructor<?> c : type.getConstructors()) {
            if (c.isAnnotationPresent(DataBoundConstructor.class)) {
                for (Parameter p : c.getParameters()) {
                    assertThat(p.isNamePresent()).as("compiled with -parameters").isTrue();
                    names.add(p.getName());
                }
            }
        }
        List<Method> setters = new ArrayList<>();
        for (Class<?> t = type; t != null; t = t.getSuperclass()) {
            for (Method m : t.getDeclaredMethods()) {
                if (m.isAnnotationPresent(DataBoundSetter.class)) {
                    setters.add(m);
                }
            }
        }
        assertThat(setters).as(type + " has setters").isNotEmpty();
        for (Method m : setters) {
            assertThat(m.getName()).startsWith("set");
            names.add(Introspector.decapitalize(m.getName().substring(3)));
        }
        names.removeAll(NOT_APPLICABLE_TO_TOOLS);
        return names;
    }

    private static Method setter(Class<?> type, String name) {
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name)) {
                return m;
            }
        }
        throw new AssertionError(type + " has no " + name);
    }

    private static Class<?> elementType(Method setter) {
        return (Class<?>)
                ((ParameterizedType) setter.getGenericParameterTypes()[0])
                        .getActualTypeArguments()[0];
    }
}
