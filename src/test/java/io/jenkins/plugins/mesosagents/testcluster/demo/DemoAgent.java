package io.jenkins.plugins.mesosagents.testcluster.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The demo's {@code agent.jar}: what the demo controller serves at {@code /jnlpJars/agent.jar} in
 * place of Jenkins remoting. It takes remoting's command line ({@code -url -name -secret @file
 * -workDir -webSocket}), checks that the name and secret it was given are the ones in its task
 * environment, pings {@code <url>login} and connects to {@code <url>wsagents/} with the headers
 * remoting sends (remoting Engine.java:634-637, :830, :885 at commit fa5f12a8), then runs the shell
 * commands the controller hands it in its sandbox, streaming their output back, until released.
 * Only JDK classes: the jar holds nothing else.
 *
 * <p>Wire protocol (text frames): agent {@code HELLO <pid>}, {@code OUT <build> <line>}, {@code
 * EXIT <build> <code>}; controller {@code RUN <build> <base64 command>}, {@code RELEASE}.
 */
public final class DemoAgent {

    private DemoAgent() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parse(args);
        String url = opts.get("-url");
        String name = opts.get("-name");
        String secretArg = opts.get("-secret");
        if (url == null || name == null || secretArg == null || !opts.containsKey("-webSocket")) {
            fail(
                    "expected -url URL -name NAME -secret @FILE -workDir DIR -webSocket, got "
                            + opts.keySet());
        }
        String secret =
                secretArg.startsWith("@")
                        ? Files.readString(Path.of(secretArg.substring(1))).trim()
                        : secretArg;
        check("name", name, System.getenv("JENKINS_AGENT_NAME"));
        check("secret", secret, System.getenv("JENKINS_SECRET"));
        check("url", url, System.getenv("JENKINS_URL"));
        check("web socket mode", "true", System.getenv("JENKINS_WEB_SOCKET"));
        if (secret.isEmpty()) {
            fail("empty secret");
        }
        Path workDir = Path.of(opts.getOrDefault("-workDir", "jenkins")).toAbsolutePath();
        Files.createDirectories(workDir);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        // remoting checks the controller answers 200 on <url>login before it opens the socket
        int ping =
                http.send(
                                HttpRequest.newBuilder(URI.create(url + "login")).GET().build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode();
        if (ping != 200) {
            fail(url + "login answered " + ping);
        }
        CountDownLatch released = new CountDownLatch(1);
        Session session = new Session(workDir, released);
        WebSocket socket =
                http.newWebSocketBuilder()
                        .header("Node-Name", name)
                        .header("Secret-Key", secret)
                        .header("X-Remoting-Capability", "demo")
                        .buildAsync(
                                URI.create(url.replaceFirst("^http", "ws") + "wsagents/"), session)
                        .join();
        session.send(socket, "HELLO " + ProcessHandle.current().pid());
        System.out.println("demo agent " + name + " connected to " + url);
        released.await();
        session.builds.shutdownNow();
        System.out.println("demo agent " + name + " released");
        System.exit(0);
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("-webSocket")) {
                opts.put("-webSocket", "");
            } else if (args[i].startsWith("-") && i + 1 < args.length) {
                opts.put(args[i], args[++i]);
            } else {
                fail("unexpected argument " + args[i]);
            }
        }
        return opts;
    }

    private static void check(String what, String given, String environment) {
        if (!given.equals(environment)) {
            fail("the " + what + " on the command line is not the one in the task environment");
        }
    }

    private static void fail(String message) {
        System.err.println("demo agent: " + message);
        System.exit(2);
    }

    /** Receives the controller's commands; runs one build at a time on its own thread. */
    private static final class Session implements WebSocket.Listener {
        private final Path workDir;
        private final CountDownLatch released;
        private final ExecutorService builds = Executors.newSingleThreadExecutor();
        private final StringBuilder partial = new StringBuilder();
        private CompletableFuture<WebSocket> sending = CompletableFuture.completedFuture(null);

        Session(Path workDir, CountDownLatch released) {
            this.workDir = workDir;
            this.released = released;
        }

        /** java.net.http allows one outstanding send: chain them. */
        synchronized void send(WebSocket socket, String text) {
            sending = sending.thenCompose(ignored -> socket.sendText(text, true));
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String message = partial.toString();
                partial.setLength(0);
                handle(socket, message);
            }
            socket.request(1);
            return null;
        }

        private void handle(WebSocket socket, String message) {
            if (message.equals("RELEASE")) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "released");
                released.countDown();
            } else if (message.startsWith("RUN ")) {
                String[] parts = message.split(" ", 3);
                String command =
                        new String(Base64.getDecoder().decode(parts[2]), StandardCharsets.UTF_8);
                builds.execute(() -> run(socket, parts[1], command));
            }
        }

        private void run(WebSocket socket, String build, String command) {
            int code;
            try {
                Path workspace = Files.createDirectories(workDir.resolve("workspace/" + build));
                ProcessBuilder pb =
                        new ProcessBuilder("sh", "-c", command)
                                .directory(workspace.toFile())
                                .redirectErrorStream(true);
                pb.environment().put("BUILD_TAG", build);
                pb.environment().put("WORKSPACE", workspace.toString());
                pb.environment().remove("JENKINS_SECRET");
                Process p = pb.start();
                try (BufferedReader out =
                        new BufferedReader(
                                new InputStreamReader(
                                        p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        send(socket, "OUT " + build + " " + line);
                    }
                }
                code = p.waitFor();
            } catch (IOException e) {
                send(socket, "OUT " + build + " demo agent: " + e.getMessage());
                code = 127;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            send(socket, "EXIT " + build + " " + code);
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            released.countDown();
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            System.err.println("demo agent: connection failed: " + error);
            released.countDown();
        }
    }
}
