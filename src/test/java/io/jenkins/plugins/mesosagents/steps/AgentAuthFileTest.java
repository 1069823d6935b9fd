package io.jenkins.plugins.mesosagents.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import hudson.model.TaskListener;

import io.jenkins.plugins.mesosagents.testcluster.registry.RequiredTool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The auth file a push writes on the agent is for the builder that will read it: buildah (like
 * podman and skopeo) cannot use a bare bearer token, so the push stops with a message that says
 * to give a username instead of pushing anonymously.
 */
class AgentAuthFileTest {
    @TempDir Path workspace;

    @Test
    void pushWithBuildahRefusesABearerTokenItCouldNotUse() throws Exception {
        Path buildah = RequiredTool.require("buildah", "buildah");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TaskListener listener = mock(TaskListener.class);
        when(listener.getLogger()).thenReturn(new PrintStream(log, true, StandardCharsets.UTF_8));
        LinkedHashMap<String, String> env = new LinkedHashMap<>();
        env.put("PATH", buildah.getParent().toString());
        ImageWork.Push push =
                new ImageWork.Push(
                        "localhost/app:1",
                        List.of("ghcr.io/octo/app:1"),
                        new ImageWork.BuilderSpec("buildah", "vfs", "chroot", false, null, env),
                        List.of(new RegistryLogin("ghcr.io", null, "ghp_secret-value", true)),
                        listener);

        assertThatThrownBy(() -> push.invoke(workspace.toFile(), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ghcr.io")
                .hasMessageContaining("'username'")
                .hasMessageNotContaining("ghp_secret-value");
        assertThat(log.toString(StandardCharsets.UTF_8)).doesNotContain("ghp_secret-value");
    }
}
