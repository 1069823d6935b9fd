package io.jenkins.plugins.mesosagents.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mockStatic;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.IdCredentials;

import hudson.AbortException;
import hudson.model.Run;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.MockedConstruction;
import org.mockito.MockedStatic;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A step's temporary registry auth file is private while the tool runs and gone when the build is
 * aborted during the run. Aborting a Pipeline step interrupts the thread running it
 * (SynchronousNonBlockingStepExecution.stop cancels its future with interruption; on an agent,
 * remoting turns the interrupt into a Cancel that interrupts the agent's thread). The tool here is
 * a stand-in {@code buildah} on PATH that records what it sees and then blocks like a push that
 * hangs on the network, keeping its output pipe open through a child process.
 */
class AuthFileOnAbortTest {
    @TempDir Path workspace;
    @TempDir Path bin;
    private StepDoubles pipeline;
    private MockedStatic<CredentialsProvider> credentials;
    private MockedConstruction<AbortException> aborts;

    @BeforeEach
    void pipeline() throws Exception {
        pipeline = new StepDoubles(workspace);
        IdCredentials login = StepDoubles.usernamePassword("ci", "canary-password-7f3a");
        credentials = mockStatic(CredentialsProvider.class);
        credentials
                .when(
                        () ->
                                CredentialsProvider.findCredentialById(
                                        eq("registry"), eq(IdCredentials.class), any(Run.class)))
                .thenReturn(login);
        aborts = StepDoubles.abortExceptions();
    }

    @AfterEach
    void close() {
        aborts.close();
        credentials.close();
    }

    @Test
    void theAuthFileIsPrivateWhileTheToolRunsAndGoneAfterAnAbort() throws Exception {
        Path seen = bin.resolve("seen");
        Path tool = bin.resolve("buildah");
        Files.writeString(
                tool,
                """
                #!/bin/sh
                auth=
                while [ $# -gt 0 ]; do
                  case "$1" in --authfile) auth="$2"; shift;; esac
                  shift
                done
                stat -c '%a' "$auth" "$(dirname "$auth")" > "SEEN.tmp"
                echo "$auth" >> "SEEN.tmp"
                mv "SEEN.tmp" "SEEN"
                echo "pushing (blocked)"
                sleep 30
                """
                        .replace("SEEN", seen.toString()));
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwx------"));
        pipeline.env(Map.of("PATH", bin + ":" + System.getenv("PATH")));
        PushImageStep push = new PushImageStep("localhost:5000/ci/app:1");
        push.setCredentialsId("registry");
        push.setBuilder("buildah");

        // the credentials double is thread-local (Mockito's static mocks), so the step runs on
        // this thread and another one aborts it
        Thread stepThread = Thread.currentThread();
        AtomicReference<List<String>> whatTheToolSaw = new AtomicReference<>();
        AtomicReference<Instant> abortedAt = new AtomicReference<>();
        Thread aborter =
                new Thread(
                        () -> {
                            try {
                                Instant deadline = Instant.now().plusSeconds(60);
                                while (!Files.exists(seen) && Instant.now().isBefore(deadline)) {
                                    Thread.sleep(20);
                                }
                                whatTheToolSaw.set(Files.readAllLines(seen));
                            } catch (Exception e) {
                                whatTheToolSaw.set(List.of("not seen: " + e));
                            }
                            abortedAt.set(Instant.now());
                            stepThread.interrupt();
                        },
                        "abort");
        aborter.start();

        Throwable thrown = catchThrowable(() -> push.perform(pipeline.context));
        Instant ended = Instant.now();
        Thread.interrupted();
        aborter.join();

        List<String> saw = whatTheToolSaw.get();
        assertThat(saw).as("what the tool saw (log: %s)", pipeline.log()).hasSize(3);
        assertThat(saw.subList(0, 2))
                .as("file, then directory permissions while the tool ran")
                .containsExactly("600", "700");
        Path authFile = Path.of(saw.get(2));
        assertThat(thrown).isInstanceOf(InterruptedException.class);
        assertThat(Duration.between(abortedAt.get(), ended))
                .as("the step ended soon after the abort, not when the tool finished")
                .isLessThan(Duration.ofSeconds(10));
        assertThat(authFile).doesNotExist();
        assertThat(authFile.getParent()).doesNotExist();
        assertThat(pipeline.log()).doesNotContain("canary-password-7f3a");
    }
}
