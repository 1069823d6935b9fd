package io.jenkins.plugins.mesosagents.testcluster.mesos;

import org.apache.mesos.v1.Protos.CommandInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The agent side of one command task: fetches its URIs into the sandbox and runs its command as a
 * local process in its own session (so that SIGTERM/SIGKILL reach the whole process group, and
 * nothing outlives the task, as a container's cgroup would guarantee on a real agent).
 */
final class TaskProcess {

    /** Callbacks from I/O threads; the owner moves them onto its own loop. */
    interface Listener {
        void started(long pid);

        void launchFailed(String message);

        void exited(int exitCode);
    }

    private final CommandInfo command;
    private final Path sandbox;
    private final Path workingDirectory;
    private final Map<String, String> environment;
    private final ExecutorService io;
    private final Listener listener;
    private volatile Process process;
    private volatile boolean cancelled;

    TaskProcess(
            CommandInfo command,
            Path sandbox,
            Path workingDirectory,
            Map<String, String> environment,
            ExecutorService io,
            Listener listener) {
        this.command = command;
        this.sandbox = sandbox;
        this.workingDirectory = workingDirectory;
        this.environment = environment;
        this.io = io;
        this.listener = listener;
    }

    void launch() {
        io.execute(
                () -> {
                    String invalidUri = invalidUri();
                    if (invalidUri != null) {
                        // slave/containerizer/fetcher.cpp:372-376
                        listener.launchFailed("Could not fetch: " + invalidUri);
                        return;
                    }
                    try {
                        Files.createDirectories(sandbox);
                        Files.createDirectories(workingDirectory);
                        fetchAll();
                    } catch (IOException | RuntimeException e) {
                        listener.launchFailed("Failed to fetch URIs: " + e.getMessage());
                        return;
                    }
                    if (!command.hasValue()) {
                        listener.launchFailed(
                                "The test-cluster runs task commands natively and cannot run an"
                                        + " image's default command: set CommandInfo.value");
                        return;
                    }
                    List<String> argv = new ArrayList<>(List.of("setsid"));
                    if (command.getShell()) {
                        argv.addAll(List.of("/bin/sh", "-c", command.getValue()));
                    } else {
                        argv.add(command.getValue());
                        if (command.getArgumentsCount() > 1) {
                            argv.addAll(
                                    command.getArgumentsList()
                                            .subList(1, command.getArgumentsCount()));
                        }
                    }
                    ProcessBuilder pb =
                            new ProcessBuilder(argv).directory(workingDirectory.toFile());
                    pb.environment().clear();
                    pb.environment().putAll(environment);
                    pb.redirectOutput(
                            ProcessBuilder.Redirect.appendTo(sandbox.resolve("stdout").toFile()));
                    pb.redirectError(
                            ProcessBuilder.Redirect.appendTo(sandbox.resolve("stderr").toFile()));
                    synchronized (this) {
                        if (cancelled) {
                            listener.exited(137);
                            return;
                        }
                        try {
                            process = pb.start();
                        } catch (IOException e) {
                            listener.launchFailed(
                                    "Failed to launch command: "
                                            + e.getMessage()
                                            + " (the test-cluster runs tasks through `setsid` from"
                                            + " the Debian package util-linux)");
                            return;
                        }
                    }
                    Process p = process;
                    listener.started(p.pid());
                    p.onExit()
                            .thenAcceptAsync(
                                    done -> {
                                        signalGroup("KILL");
                                        listener.exited(done.exitValue());
                                    },
                                    io);
                });
    }

    /** SIGTERM now; SIGKILL after the grace period if the process is still alive. */
    void terminate(long graceMillis) {
        io.execute(
                () -> {
                    synchronized (this) {
                        cancelled = true;
                    }
                    if (process == null) {
                        return;
                    }
                    signalGroup("TERM");
                    try {
                        if (!process.waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
                            signalGroup("KILL");
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        signalGroup("KILL");
                    }
                });
    }

    /** Synchronous SIGKILL of the whole group, for shutdown. */
    void killNow() {
        synchronized (this) {
            cancelled = true;
        }
        Process p = process;
        if (p != null) {
            signalGroup("KILL");
            p.destroyForcibly();
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    private void signalGroup(String signal) {
        Process p = process;
        if (p == null) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-" + signal, "--", "-" + p.pid())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            p.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
    }

    private void fetchAll() throws IOException {
        for (CommandInfo.URI uri : command.getUrisList()) {
            String value = uri.getValue();
            String name = uri.hasOutputFile() ? uri.getOutputFile() : baseName(value);
            Path dest = sandbox.resolve(name).normalize();
            if (!dest.startsWith(sandbox)) {
                throw new IOException("output_file '" + name + "' escapes the sandbox");
            }
            log("Fetching URI '" + value + "' to '" + dest + "'");
            if (value.startsWith("file://")) {
                Files.copy(Path.of(URI.create(value)), dest, StandardCopyOption.REPLACE_EXISTING);
            } else if (value.startsWith("/")) {
                Files.copy(Path.of(value), dest, StandardCopyOption.REPLACE_EXISTING);
            } else if (value.startsWith("http://") || value.startsWith("https://")) {
                download(value, dest);
            } else {
                throw new IOException(
                        "unsupported URI '"
                                + value
                                + "': the test-cluster fetches file://, absolute paths"
                                + " and http(s):// from loopback hosts");
            }
            if (uri.getExecutable()) {
                dest.toFile().setExecutable(true, false);
            } else if (uri.getExtract()) {
                extract(dest);
            }
        }
    }

    /**
     * Fetcher::basename's checks on every URI before anything is fetched
     * (slave/containerizer/fetcher.cpp:104-131 via validateUris, :167-176), or null.
     */
    private String invalidUri() {
        for (CommandInfo.URI uri : command.getUrisList()) {
            String v = uri.getValue();
            if (v.indexOf('\\') >= 0 || v.indexOf('\'') >= 0 || v.indexOf('\0') >= 0) {
                return "Illegal characters in URI";
            }
            int scheme = v.indexOf("://");
            if (scheme > 1) {
                String path = v.substring(scheme + 3);
                if (!path.contains("/") || path.length() <= path.indexOf('/') + 1) {
                    return "Malformed URI (missing path): " + v;
                }
            }
        }
        return null;
    }

    private static String baseName(String value) {
        String path = value.replaceFirst("[?#].*$", "");
        String name = path.substring(path.lastIndexOf('/') + 1);
        return name.isEmpty() ? "download" : name;
    }

    private void download(String value, Path dest) throws IOException {
        URL url = URI.create(value).toURL();
        InetAddress host = InetAddress.getByName(url.getHost());
        if (!host.isLoopbackAddress()) {
            throw new IOException(
                    "refusing to fetch '"
                            + value
                            + "': the test-cluster only fetches from loopback hosts");
        }
        HttpURLConnection c = (HttpURLConnection) url.openConnection();
        c.setConnectTimeout(10_000);
        c.setReadTimeout(30_000);
        int code = c.getResponseCode();
        if (code / 100 != 2) {
            throw new IOException("GET " + value + " answered HTTP " + code);
        }
        try (InputStream in = c.getInputStream()) {
            Files.copy(in, dest, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void extract(Path archive) throws IOException {
        String n = archive.getFileName().toString();
        if (n.endsWith(".zip")) {
            try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(archive))) {
                for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                    Path out = sandbox.resolve(e.getName()).normalize();
                    if (!out.startsWith(sandbox)) {
                        throw new IOException(
                                "zip entry '" + e.getName() + "' escapes the sandbox");
                    }
                    if (e.isDirectory()) {
                        Files.createDirectories(out);
                    } else {
                        Files.createDirectories(out.getParent());
                        Files.copy(zip, out, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } else if (n.matches(".*\\.(tar|tar\\.gz|tgz|tar\\.bz2|tbz2|tar\\.xz|txz)$")) {
            Process tar =
                    new ProcessBuilder("tar", "-xf", archive.toString(), "-C", sandbox.toString())
                            .redirectErrorStream(true)
                            .start();
            String out = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            try {
                if (tar.waitFor() != 0) {
                    throw new IOException(
                            "tar -xf " + archive.getFileName() + " failed: " + out.trim());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while extracting " + archive, e);
            }
        } else if (n.endsWith(".gz")) {
            // launcher/fetcher.cpp:93-103: a bare .gz is gunzipped next to it, minus ".gz"
            Path out = sandbox.resolve(n.substring(0, n.length() - 3));
            try (InputStream in = new GZIPInputStream(Files.newInputStream(archive))) {
                Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private void log(String line) throws IOException {
        try (OutputStream out =
                Files.newOutputStream(
                        sandbox.resolve("stderr"),
                        StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND)) {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }
}
