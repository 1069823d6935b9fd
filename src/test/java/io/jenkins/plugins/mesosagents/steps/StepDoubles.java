package io.jenkins.plugins.mesosagents.steps;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.Secret;

import jenkins.MasterToSlaveFileCallable;

import org.jenkinsci.plugins.workflow.steps.StepContext;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Mockito doubles of what Pipeline hands a step: a workspace that is a real local directory
 * (callables run in this JVM, as they would on the agent), a build log captured in memory, the
 * build and its environment.
 */
final class StepDoubles {
    final Path workspaceDir;
    final ByteArrayOutputStream log = new ByteArrayOutputStream();
    final StepContext context = mock(StepContext.class);
    final Run<?, ?> run = mock(Run.class);
    final TaskListener listener = mock(TaskListener.class);
    final FilePath workspace;
    final EnvVars environment = mock(EnvVars.class, CALLS_REAL_METHODS);

    StepDoubles(Path workspaceDir) throws Exception {
        this.workspaceDir = workspaceDir;
        this.workspace = localPath(workspaceDir);
        when(listener.getLogger()).thenReturn(new PrintStream(log, true, StandardCharsets.UTF_8));
        when(run.getNumber()).thenReturn(42);
        when(run.getFullDisplayName()).thenReturn("demo #42");
        when(context.get(Run.class)).thenAnswer(i -> run);
        when(context.get(TaskListener.class)).thenReturn(listener);
        when(context.get(FilePath.class)).thenReturn(workspace);
        when(context.get(EnvVars.class)).thenReturn(environment);
    }

    /**
     * hudson.AbortException only exists in the real Jenkins (the stand-in's constructor throws):
     * while this is open, constructing one yields a double that carries the message, so tests can
     * check what the build would print.
     */
    static org.mockito.MockedConstruction<hudson.AbortException> abortExceptions() {
        return org.mockito.Mockito.mockConstruction(
                hudson.AbortException.class,
                (exception, creation) ->
                        when(exception.getMessage())
                                .thenReturn((String) creation.arguments().get(0)));
    }

    String log() {
        return log.toString(StandardCharsets.UTF_8);
    }

    /**
     * A FilePath double backed by a local directory: the operations the steps use, done for real.
     */
    @SuppressWarnings("unchecked")
    static FilePath localPath(Path dir) throws Exception {
        FilePath path = mock(FilePath.class);
        when(path.getRemote()).thenReturn(dir.toString());
        when(path.child(anyString()))
                .thenAnswer(i -> localPath(dir.resolve((String) i.getArgument(0))));
        when(path.exists()).thenAnswer(i -> Files.exists(dir));
        when(path.readToString()).thenAnswer(i -> Files.readString(dir));
        org.mockito.Mockito.doAnswer(
                        i -> {
                            Files.createDirectories(dir.getParent());
                            Files.writeString(dir, (String) i.getArgument(0));
                            return null;
                        })
                .when(path)
                .write(anyString(), anyString());
        when(path.act(any(MasterToSlaveFileCallable.class)))
                .thenAnswer(
                        i ->
                                ((MasterToSlaveFileCallable<Object>) i.getArgument(0))
                                        .invoke(dir.toFile(), null));
        return path;
    }

    static StandardUsernamePasswordCredentials usernamePassword(String username, String password) {
        StandardUsernamePasswordCredentials credentials =
                mock(StandardUsernamePasswordCredentials.class);
        Secret secret = mock(Secret.class);
        when(secret.getPlainText()).thenReturn(password);
        when(credentials.getUsername()).thenReturn(username);
        when(credentials.getPassword()).thenReturn(secret);
        return credentials;
    }

    static File file(Path dir, String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file.toFile();
    }

    void env(Map<String, String> values) {
        environment.putAll(values);
    }
}
