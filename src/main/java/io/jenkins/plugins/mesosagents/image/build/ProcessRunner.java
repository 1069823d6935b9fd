package io.jenkins.plugins.mesosagents.image.build;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs an external command: the seam between builders and the machine, so tests can check exact
 * command lines without running them. Output (stdout and stderr merged) goes line by line to {@code
 * output}.
 */
@FunctionalInterface
public interface ProcessRunner {
    Result run(
            List<String> command,
            Map<String, String> environment,
            Path workingDirectory,
            Consumer<String> output)
            throws IOException, InterruptedException;

    /** Exit code and the last lines of output (for error messages). */
    record Result(int exitCode, List<String> tail) {
        public boolean ok() {
            return exitCode == 0;
        }
    }
}
