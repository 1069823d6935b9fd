package io.jenkins.plugins.mesosagents.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mockStatic;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.IdCredentials;

import hudson.AbortException;
import hudson.model.Run;

import io.jenkins.plugins.mesosagents.testcluster.marathon.HealthMode;
import io.jenkins.plugins.mesosagents.testcluster.marathon.MarathonSimulator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.MockedStatic;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The marathonDeploy step against the simulated Marathon: workspace file, credentials, build log,
 * failure.
 */
class MarathonDeployStepTest {
    private static final String APP =
"""
{"id": "/shop/web", "instances": 2, "cpus": 0.1, "mem": 64, "cmd": "./serve",
 "container": {"type": "DOCKER", "docker": {"image": "registry.example.com/shop/web:${TAG}"}},
 "healthChecks": [{"protocol": "HTTP", "path": "/health", "portIndex": 0}],
 "portDefinitions": [{"port": 0}]}
""";

    @TempDir Path workspace;
    private MarathonSimulator marathon;
    private String url;
    private StepDoubles pipeline;
    private MockedStatic<CredentialsProvider> credentials;
    private org.mockito.MockedConstruction<AbortException> aborts;

    @BeforeEach
    void start() throws Exception {
        marathon =
                MarathonSimulator.builder()
                        .stepInterval(Duration.ofMillis(20))
                        .basicAuth("deployer", "s3cret-pw")
                        .build();
        url = marathon.start();
        pipeline = new StepDoubles(workspace);
        pipeline.env(Map.of("TAG", "1.4.2"));
        IdCredentials right = StepDoubles.usernamePassword("deployer", "s3cret-pw");
        IdCredentials wrong = StepDoubles.usernamePassword("deployer", "not-the-pw");
        aborts = StepDoubles.abortExceptions();
        credentials = mockStatic(CredentialsProvider.class);
        credentials
                .when(
                        () ->
                                CredentialsProvider.findCredentialById(
                                        eq("marathon"), eq(IdCredentials.class), any(Run.class)))
                .thenReturn(right);
        credentials
                .when(
                        () ->
                                CredentialsProvider.findCredentialById(
                                        eq("wrong"), eq(IdCredentials.class), any(Run.class)))
                .thenReturn(wrong);
    }

    @AfterEach
    void stop() {
        aborts.close();
        credentials.close();
        marathon.close();
    }

    private MarathonDeployStep step() {
        MarathonDeployStep step = new MarathonDeployStep(url);
        step.setCredentialsId("marathon");
        step.setSettleSeconds(0);
        return step;
    }

    @Test
    void deploysTheWorkspaceDefinitionAndWaitsUntilHealthy() throws Exception {
        StepDoubles.file(workspace, "marathon.json", APP);

        Map<String, Object> result = step().perform(pipeline.context);

        assertThat(result).containsEntry("appId", "/shop/web").containsEntry("dryRun", false);
        assertThat((String) result.get("deploymentId")).isNotBlank();
        assertThat((String) result.get("version")).isNotBlank();
        assertThat(
                        marathon.app("/shop/web")
                                .path("container")
                                .path("docker")
                                .path("image")
                                .asText())
                .isEqualTo("registry.example.com/shop/web:1.4.2");
        assertThat(Files.readString(workspace.resolve("marathon-rendered-42.json")))
                .contains("shop/web:1.4.2");
        assertThat(pipeline.log()).contains("2/2 healthy");
        credentials.verify(
                () -> CredentialsProvider.track(any(Run.class), any(IdCredentials.class)));
    }

    @Test
    void healthFailureRollsBackAndFailsTheBuildWithTheReason() throws Exception {
        StepDoubles.file(workspace, "marathon.json", APP);
        step().perform(pipeline.context);
        pipeline.env(Map.of("TAG", "1.5.0-broken"));
        marathon.healthOfImage("registry.example.com/shop/web:1.5.0-broken", HealthMode.FAIL);
        MarathonDeployStep step = step();
        step.setTimeoutSeconds(60);

        assertThatThrownBy(() -> step.perform(pipeline.context))
                .isInstanceOf(AbortException.class)
                .hasMessageStartingWith("marathonDeploy: ")
                .hasMessageContaining("Rolled back");
        // the rollback restores the running version
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () ->
                                assertThat(
                                                marathon.app("/shop/web")
                                                        .path("container")
                                                        .path("docker")
                                                        .path("image")
                                                        .asText())
                                        .isEqualTo("registry.example.com/shop/web:1.4.2"));
    }

    @Test
    void timingParametersDefaultToDerivedAndMapOntoTheRequest() {
        MarathonDeployStep defaults = new MarathonDeployStep(url);
        io.jenkins.plugins.mesosagents.marathon.DeployRequest derived =
                defaults.request(APP, Map.of("TAG", "1"));
        assertThat(derived.timeout()).isNull();
        assertThat(derived.settleTime()).isNull();
        assertThat(derived.rollbackTimeout()).isNull();

        MarathonDeployStep explicit = new MarathonDeployStep(url);
        explicit.setTimeoutSeconds(900);
        explicit.setSettleSeconds(0);
        explicit.setRollbackTimeoutSeconds(120);
        io.jenkins.plugins.mesosagents.marathon.DeployRequest given =
                explicit.request(APP, Map.of("TAG", "1"));
        assertThat(given.timeout()).isEqualTo(Duration.ofMinutes(15));
        assertThat(given.settleTime()).isZero();
        assertThat(given.rollbackTimeout()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void dryRunChangesNothingAndOverridesApply() throws Exception {
        StepDoubles.file(workspace, "marathon.json", APP);
        MarathonDeployStep step = step();
        step.setDryRun(true);
        step.setInstances(5);
        step.setRenderedFile("out/web.json");

        Map<String, Object> result = step.perform(pipeline.context);

        assertThat(result).containsEntry("dryRun", true);
        assertThat(marathon.app("/shop/web")).isNull();
        assertThat(Files.readString(workspace.resolve("out/web.json")))
                .contains("\"instances\" : 5");
        assertThat(pipeline.log()).contains("Dry run").contains("would be created");
    }

    @Test
    void badInputFailsBeforeAnyRequestWithAnActionableMessage() throws Exception {
        assertThatThrownBy(() -> step().perform(pipeline.context))
                .isInstanceOf(AbortException.class)
                .hasMessageContaining("marathon.json not found in the workspace");

        StepDoubles.file(
                workspace, "marathon.json", "{\"id\": \"/shop/web\",\n \"instances\": 2,,}");
        assertThatThrownBy(() -> step().perform(pipeline.context))
                .isInstanceOf(AbortException.class)
                .hasMessageContaining("marathon.json:2:");

        StepDoubles.file(workspace, "marathon.json", APP);
        pipeline.environment.clear();
        assertThatThrownBy(() -> step().perform(pipeline.context))
                .isInstanceOf(AbortException.class)
                .hasMessageContaining("${TAG} is not set");
        assertThat(marathon.deploymentIds()).isEmpty();
    }

    @Test
    void wrongPasswordIsReportedWithoutRevealingIt() throws Exception {
        StepDoubles.file(workspace, "marathon.json", APP);
        MarathonDeployStep step = step();
        step.setCredentialsId("wrong");
        assertThatThrownBy(() -> step.perform(pipeline.context))
                .isInstanceOf(AbortException.class)
                .hasMessageContaining("401")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("not-the-pw"));
    }
}
