package io.jenkins.plugins.mesosagents.image.build;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs commands on this machine with {@link ProcessBuilder}; kills the process if the caller is
 * interrupted.
 */
public final class LocalProcessRunner implements ProcessRunner {
    private static final int TAIL_LINES = 30;

    @Override
    public Result run(
            List<String> command,
            Map<String, String> environment,
            Path workingDirectory,
            Consumer<String> output)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        if (workingDirectory != null) {
            builder.directory(workingDirectory.toFile());
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IOException("Cannot run " + command.get(0) + ": " + e.getMessage(), e);
        }
        Deque<String> tail = new ArrayDeque<>();
        try (BufferedReader reader =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                output.accept(line);
                if (tail.size() == TAIL_LINES) {
                    tail.removeFirst();
                }
                tail.addLast(line);
            }
            return new Result(process.waitFor(), new ArrayList<>(tail));
        } finally {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }
}
