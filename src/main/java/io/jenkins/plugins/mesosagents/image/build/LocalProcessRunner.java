package io.jenkins.plugins.mesosagents.image.build;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Runs commands on this machine with {@link ProcessBuilder}; kills the process and its children if
 * the caller is interrupted (a build aborted while the tool runs). The output is read on a thread
 * of its own, because reading a pipe does not react to an interrupt: a tool that hangs silently
 * would otherwise keep the caller, and the caller's temporary auth file, until it exits.
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
        AtomicReference<RuntimeException> readFailure = new AtomicReference<>();
        Thread reader =
                new Thread(
                        () -> copyOutput(process, output, tail, readFailure),
                        "output of " + command.get(0));
        reader.setDaemon(true);
        reader.start();
        boolean finished = false;
        try {
            int exitCode = process.waitFor();
            reader.join();
            finished = true;
            RuntimeException failure = readFailure.get();
            if (failure instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            if (failure != null) {
                throw failure;
            }
            synchronized (tail) {
                return new Result(exitCode, new ArrayList<>(tail));
            }
        } finally {
            if (!finished) {
                stop(process);
            }
        }
    }

    private static void copyOutput(
            Process process,
            Consumer<String> output,
            Deque<String> tail,
            AtomicReference<RuntimeException> failure) {
        try (BufferedReader reader =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                output.accept(line);
                synchronized (tail) {
                    if (tail.size() == TAIL_LINES) {
                        tail.removeFirst();
                    }
                    tail.addLast(line);
                }
            }
        } catch (IOException e) {
            failure.set(new UncheckedIOException(e));
        } catch (RuntimeException e) {
            failure.set(e);
        }
    }

    /** Ends the process and what it started (listed first: they are re-parented once it dies). */
    private static void stop(Process process) throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
