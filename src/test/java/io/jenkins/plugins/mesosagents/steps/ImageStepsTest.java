package io.jenkins.plugins.mesosagents.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockStatic;
import static org.mockito.Mockito.when;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.fasterxml.jackson.databind.JsonNode;

import hudson.AbortException;
import hudson.model.Run;

import io.jenkins.plugins.mesosagents.testcluster.registry.LocalRegistry;
import io.jenkins.plugins.mesosagents.testcluster.registry.Skopeo;

import jenkins.model.Jenkins;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.MockedConstruction;
import org.mockito.MockedStatic;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * The image steps end to end on this machine as the agent: buildImage builds with real buildah and
 * pushes to a real docker-registry (htpasswd), promoteImage retags by API, withRegistryAuth writes
 * a private auth file; skopeo checks what the registry got.
 */
class ImageStepsTest {
    private static LocalRegistry registry;

    @TempDir Path workspace;
    private StepDoubles pipeline;
    private MockedStatic<CredentialsProvider> credentials;
    private MockedConstruction<AbortException> aborts;
    private MockedStatic<Jenkins> jenkins;

    @BeforeAll
    static void registry() throws Exception {
        registry = LocalRegistry.builder().user("ci", "ci-password").tls(false).start();
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        registry.close();
    }

    @BeforeEach
    void pipeline() throws Exception {
        pipeline = new StepDoubles(workspace);
        IdCredentials login = StepDoubles.usernamePassword("ci", "ci-password");
        credentials = mockStatic(CredentialsProvider.class);
        credentials
                .when(
                        () ->
                                CredentialsProvider.findCredentialById(
                                        eq("registry"), eq(IdCredentials.class), any(Run.class)))
                .thenReturn(login);
        aborts = StepDoubles.abortExceptions();
        Jenkins instance = mock(Jenkins.class);
        when(instance.getProxy()).thenReturn(null); // no HTTP proxy configured
        jenkins = mockStatic(Jenkins.class);
        jenkins.when(Jenkins::get).thenReturn(instance);
    }

    @AfterEach
    void close() {
        jenkins.close();
        aborts.close();
        credentials.close();
    }

    private BuildImageStep buildStep(String... tags) {
        BuildImageStep step = new BuildImageStep(List.of(tags));
        step.setBuilder("buildah");
        step.setStorageDriver("vfs");
        step.setIsolation("chroot");
        step.setInsecure(true);
        return step;
    }

    @Test
    @SuppressWarnings("unchecked")
    void buildsWithBuildahPushesAndPromotesWithoutPulling() throws Exception {
        StepDoubles.file(workspace, "app/hello.txt", "hello from buildImage\n");
        StepDoubles.file(
                workspace,
                "app/Dockerfile",
                "FROM scratch\nCOPY hello.txt /hello.txt\nLABEL team=ci\n");
        String image = registry.hostPort() + "/ci/hello:1.0";
        BuildImageStep build = buildStep(image);
        build.setContext("app");
        build.setPush(true);
        build.setCredentialsId("registry");
        build.setLabels(Map.of("build", "42"));

        Map<String, Object> built = build.perform(pipeline.context);

        assertThat(built).containsEntry("builder", "buildah").containsEntry("tags", List.of(image));
        assertThat((String) built.get("imageId")).isNotBlank();
        List<String> pushed = (List<String>) built.get("images");
        assertThat(pushed).singleElement().asString().startsWith(image + "@sha256:");
        String digest = pushed.get(0).substring(pushed.get(0).indexOf('@') + 1);
        JsonNode inspected = Skopeo.inspect(registry, "ci", "ci-password", "ci/hello:1.0", false);
        assertThat(inspected.path("Digest").asText()).isEqualTo(digest);
        assertThat(inspected.path("Labels").path("team").asText()).isEqualTo("ci");
        assertThat(inspected.path("Labels").path("build").asText()).isEqualTo("42");
        assertThat(pipeline.log()).contains("Using buildah").doesNotContain("ci-password");

        PromoteImageStep promote =
                new PromoteImageStep(image, registry.hostPort() + "/release/hello:1.0");
        promote.setCredentialsId("registry");
        promote.setInsecure(true);
        Map<String, Object> promoted = promote.perform(pipeline.context);

        assertThat(promoted).containsEntry("digest", digest).containsEntry("streamed", 0);
        assertThat((Integer) promoted.get("mounted")).isPositive();
        assertThat(
                        Skopeo.inspect(registry, "ci", "ci-password", "release/hello:1.0", false)
                                .path("Digest")
                                .asText())
                .isEqualTo(digest);
    }

    @Test
    void badInputGetsAClearError() throws Exception {
        assertThatThrownBy(() -> buildStep().perform(pipeline.context))
                .isInstanceOf(AbortException.class)
                .hasMessageContaining("give at least one tag");
        assertThatThrownBy(
                        () ->
                                buildStep("Registry.Example.com/UPPER/case:1")
                                        .perform(pipeline.context))
                .isInstanceOf(AbortException.class)
                .hasMessageStartingWith("buildImage: ");
        assertThatThrownBy(
                        () ->
                                buildStep(registry.hostPort() + "/ci/none:1")
                                        .perform(pipeline.context))
                .isInstanceOf(AbortException.class)
                .hasMessageStartingWith("buildImage: ")
                .hasMessageContaining("Dockerfile");
        assertThatThrownBy(
                        () ->
                                new PromoteImageStep("ci/x:1", "not a reference")
                                        .perform(pipeline.context))
                .isInstanceOf(AbortException.class)
                .hasMessageStartingWith("promoteImage: ");
    }

    @Test
    void pushImagePushesALocalImageUnderSeveralTagsAndPinsEachToItsDigest() throws Exception {
        StepDoubles.file(workspace, "Dockerfile", "FROM scratch\nCOPY Dockerfile /Dockerfile\n");
        String local = registry.hostPort() + "/ci/multi:build-7";
        buildStep(local).perform(pipeline.context);
        PushImageStep push = new PushImageStep(local);
        push.setTags(
                List.of(
                        registry.hostPort() + "/ci/multi:1.7",
                        registry.hostPort() + "/ci/multi:latest"));
        push.setCredentialsId("registry");
        push.setStorageDriver("vfs");
        push.setInsecure(true);
        push.setBuilder("buildah");

        List<String> pushed = push.perform(pipeline.context);

        assertThat(pushed)
                .hasSize(2)
                .allSatisfy(ref -> assertThat(ref).contains("@sha256:"))
                .anySatisfy(
                        ref -> assertThat(ref).startsWith(registry.hostPort() + "/ci/multi:1.7@"))
                .anySatisfy(
                        ref ->
                                assertThat(ref)
                                        .startsWith(registry.hostPort() + "/ci/multi:latest@"));
        String digest = pushed.get(0).substring(pushed.get(0).indexOf('@') + 1);
        assertThat(pushed.get(1)).endsWith(digest);
        assertThat(
                        Skopeo.inspect(registry, "ci", "ci-password", "ci/multi:latest", false)
                                .path("Digest")
                                .asText())
                .isEqualTo(digest);
        assertThat(pipeline.log()).contains("Pushed").doesNotContain("ci-password");
    }

    @Test
    void registryAuthFileIsPrivateAndHoldsTheLogin() throws Exception {
        WithRegistryAuthStep step = new WithRegistryAuthStep(registry.hostPort());
        step.setCredentialsId("registry");

        RegistryLogin login =
                StepCredentials.registryLogin(pipeline.run, registry.hostPort(), "registry");
        Map<String, String> env =
                step.writeAuthFile(
                        pipeline.context,
                        StepDoubles.localPath(workspace.resolve("ws@tmp")),
                        login);

        Path config = Path.of(env.get("REGISTRY_AUTH_FILE"));
        assertThat(Path.of(env.get("DOCKER_CONFIG"))).isEqualTo(config.getParent());
        assertThat(config).startsWith(workspace.resolve("ws@tmp"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config)))
                .isEqualTo("rw-------");
        assertThat(Files.readString(config)).contains(registry.hostPort());
        assertThat(pipeline.log()).contains("$REGISTRY_AUTH_FILE").doesNotContain("ci-password");
    }

    /** Pushes a private base image, then removes nothing: later builds pull it with pull: true. */
    private String pushPrivateBase(String name) throws Exception {
        StepDoubles.file(workspace, "base/base.txt", "base layer\n");
        StepDoubles.file(workspace, "base/Dockerfile", "FROM scratch\nCOPY base.txt /base.txt\n");
        String base = registry.hostPort() + "/ci/" + name + ":1";
        BuildImageStep step = buildStep(base);
        step.setContext("base");
        step.setPush(true);
        step.setCredentialsId("registry");
        step.perform(pipeline.context);
        StepDoubles.file(workspace, "app/app.txt", "app layer\n");
        StepDoubles.file(workspace, "app/Dockerfile", "FROM " + base + "\nCOPY app.txt /app.txt\n");
        return base;
    }

    @Test
    void buildImageInsideWithRegistryAuthPullsAPrivateBaseImage() throws Exception {
        pushPrivateBase("base-env");
        RegistryLogin login =
                StepCredentials.registryLogin(pipeline.run, registry.hostPort(), "registry");
        Map<String, String> env =
                new WithRegistryAuthStep(registry.hostPort())
                        .writeAuthFile(
                                pipeline.context,
                                StepDoubles.localPath(workspace.resolve("ws@tmp")),
                                login);
        pipeline.env(env); // what withRegistryAuth { } gives the steps of its block
        BuildImageStep app = buildStep(registry.hostPort() + "/ci/app-env:1");
        app.setContext("app");
        app.setPull(true); // pull the base from the registry, not the local store

        Map<String, Object> built = app.perform(pipeline.context);

        assertThat((String) built.get("imageId")).isNotBlank();
        assertThat(pipeline.log()).doesNotContain("ci-password");
    }

    @Test
    void buildImageCredentialsAuthenticateTheBaseImagePullWithoutPushing() throws Exception {
        pushPrivateBase("base-creds");
        BuildImageStep app = buildStep(registry.hostPort() + "/ci/app-creds:1");
        app.setContext("app");
        app.setPull(true);
        app.setCredentialsId("registry");

        Map<String, Object> built = app.perform(pipeline.context);

        assertThat((String) built.get("imageId")).isNotBlank();
        assertThat(built).doesNotContainKey("images");
    }
}
