package io.jenkins.plugins.mesosagents.settings;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.engine.ContainerSpec;
import io.jenkins.plugins.mesosagents.engine.TemplateProblem;
import io.jenkins.plugins.mesosagents.fuzz.FuzzBounds;

import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes the template form/JCasC text fields ({@link TemplateText}: environment, constraints,
 * fetcher URIs, volumes, port mappings, docker parameters) and the engine's template validation
 * they feed ({@code AgentTemplate.Builder#problems}, i.e. {@code TemplateValidator}). Both report
 * bad input as {@link TemplateProblem}s; no exception may escape. Long run: docs/reliability.md.
 */
class TemplateTextFuzzTest {
    private final FuzzBounds bounds = new FuzzBounds();

    @FuzzTest(maxDuration = "5m")
    void parseAndValidate(FuzzedDataProvider data) {
        String name = data.consumeString(80);
        String user = data.consumeString(40);
        String role = data.consumeString(40);
        double cpus = data.consumeDouble();
        double mem = data.consumeDouble();
        int heap = data.consumeInt();
        int ports = data.consumeInt();
        String image = data.consumeString(80);
        String text = data.consumeRemainingAsString();
        bounds.check(
                text.length() + 300,
                () -> {
                    List<TemplateProblem> problems = new ArrayList<>();
                    var env = TemplateText.environment("environment", text);
                    var constraints = TemplateText.constraints("constraints", text);
                    var uris = TemplateText.fetchUris("fetchUris", text);
                    var volumes = TemplateText.volumes("volumes", text);
                    var portMappings = TemplateText.portMappings("portMappings", text);
                    var parameters = TemplateText.dockerParameters("dockerParameters", text);
                    for (var parsed :
                            List.of(env, constraints, uris, volumes, portMappings, parameters)) {
                        assertThat(parsed.value()).isNotNull();
                        problems.addAll(parsed.problems());
                    }
                    ContainerSpec.Builder container =
                            ContainerSpec.builder(ContainerSpec.Type.DOCKER, image);
                    volumes.value()
                            .forEach(
                                    v ->
                                            container.volume(
                                                    v.containerPath(), v.hostPath(), v.readOnly()));
                    portMappings.value()
                            .forEach(
                                    p ->
                                            container.portMapping(
                                                    p.containerPort(), p.hostPort(), p.protocol()));
                    parameters.value().forEach(p -> container.dockerParameter(p.key(), p.value()));
                    AgentTemplate.Builder template =
                            AgentTemplate.builder(name)
                                    .user(user)
                                    .role(role)
                                    .cpus(cpus)
                                    .memMb(mem)
                                    .jvmHeapMb(heap)
                                    .hostPorts(ports)
                                    .container(container.build());
                    env.value().forEach(template::env);
                    constraints.value().forEach(template::constraint);
                    uris.value().forEach(template::fetchUri);
                    problems.addAll(template.problems());
                    for (TemplateProblem p : problems) {
                        assertThat(p.field()).isNotBlank();
                        assertThat(p.message()).isNotBlank();
                    }
                });
    }
}
