package io.jenkins.plugins.mesosagents.testcluster.demo;

import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

import okio.Buffer;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The demo controller's HTTP side, on 127.0.0.1 and an ephemeral port: {@code GET /login} (200, the
 * liveness ping remoting sends before connecting), {@code GET /jnlpJars/agent.jar} (the demo agent)
 * and {@code /wsagents/}, the WebSocket endpoint inbound agents connect to, checked as Jenkins
 * checks it: {@code Node-Name}, {@code Secret-Key} and {@code X-Remoting-Capability} required (400
 * otherwise), unknown agent 400, wrong secret 403 (jenkins-2.479.3
 * core/src/main/java/jenkins/agents/WebSocketAgents.java:74-89). Serves with OkHttp's
 * MockWebServer, whose dispatcher can both answer plain requests and upgrade to WebSocket.
 */
final class AgentEndpoint implements AutoCloseable {

    /** The controller side of the agents' connections. */
    interface Agents {
        /** The secret of a node that exists, or empty. */
        Optional<String> secretOf(String agentName);

        void connected(String agentName, WebSocket socket);

        void message(String agentName, String text);

        void disconnected(String agentName, String reason);
    }

    private final MockWebServer server = new MockWebServer();
    private final byte[] agentJar;
    private final Agents agents;

    AgentEndpoint(byte[] agentJar, Agents agents) {
        this.agentJar = agentJar.clone();
        this.agents = agents;
    }

    void start() throws IOException {
        server.setDispatcher(
                new Dispatcher() {
                    @Override
                    public MockResponse dispatch(RecordedRequest request) {
                        return answer(request);
                    }
                });
        server.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    /** The "Jenkins URL" agents are given, with its trailing slash. */
    String url() {
        return "http://127.0.0.1:" + server.getPort() + "/";
    }

    private MockResponse answer(RecordedRequest request) {
        String path = request.getRequestUrl() == null ? "" : request.getRequestUrl().encodedPath();
        switch (path) {
            case "/login":
                return new MockResponse().setResponseCode(200).setBody("demo controller\n");
            case "/jnlpJars/agent.jar":
                return new MockResponse()
                        .setResponseCode(200)
                        .setHeader("Content-Type", "application/java-archive")
                        .setBody(new Buffer().write(agentJar));
            case "/wsagents/":
                return upgrade(request);
            default:
                return new MockResponse().setResponseCode(404).setBody("not found\n");
        }
    }

    private MockResponse upgrade(RecordedRequest request) {
        String agent = request.getHeader("Node-Name");
        String secret = request.getHeader("Secret-Key");
        if (agent == null || secret == null || request.getHeader("X-Remoting-Capability") == null) {
            return new MockResponse()
                    .setResponseCode(400)
                    .setBody("This endpoint is only for use from agent.jar in WebSocket mode\n");
        }
        Optional<String> expected = agents.secretOf(agent);
        if (expected.isEmpty()) {
            return new MockResponse().setResponseCode(400).setBody("no such agent\n");
        }
        if (!MessageDigest.isEqual(
                secret.getBytes(StandardCharsets.US_ASCII),
                expected.get().getBytes(StandardCharsets.US_ASCII))) {
            return new MockResponse().setResponseCode(403).setBody("forbidden\n");
        }
        return new MockResponse()
                .setHeader("X-Remoting-Capability", "demo")
                .withWebSocketUpgrade(
                        new WebSocketListener() {
                            @Override
                            public void onOpen(WebSocket socket, Response response) {
                                agents.connected(agent, socket);
                            }

                            @Override
                            public void onMessage(WebSocket socket, String text) {
                                agents.message(agent, text);
                            }

                            @Override
                            public void onClosing(WebSocket socket, int code, String reason) {
                                socket.close(1000, null);
                                agents.disconnected(agent, "closed: " + reason);
                            }

                            @Override
                            public void onFailure(
                                    WebSocket socket, Throwable failure, Response response) {
                                agents.disconnected(agent, String.valueOf(failure.getMessage()));
                            }
                        });
    }

    @Override
    public void close() {
        try {
            server.shutdown();
        } catch (IOException e) {
            System.err.println("demo: stopping the controller's HTTP server failed: " + e);
        }
    }
}
