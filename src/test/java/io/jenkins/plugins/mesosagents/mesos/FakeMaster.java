package io.jenkins.plugins.mesosagents.mesos;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import okhttp3.HttpUrl;

import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A scriptable stand-in for the scheduler endpoint of a Mesos master, on a JDK HttpServer bound to
 * an ephemeral loopback port, for the client edge cases a full simulator cannot easily produce (a
 * silent stream, garbage RecordIO, a 307 from a given master). It checks what the real master
 * checks on every request (exact Content-Type, Mesos-Stream-Id presence and value) and records
 * every call.
 */
final class FakeMaster implements AutoCloseable {

    /** What a request looked like on the wire. */
    record Recorded(
            String contentType,
            String accept,
            String streamIdHeader,
            String authorization,
            Call call,
            int clientPort) {}

    /** Decides how one SUBSCRIBE is answered. */
    interface SubscribeScript {
        void run(Recorded request, Stream stream) throws Exception;
    }

    private final HttpServer server;
    private final String scheme;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final ConcurrentLinkedDeque<SubscribeScript> scripts = new ConcurrentLinkedDeque<>();
    final BlockingQueue<Recorded> subscribes = new LinkedBlockingQueue<>();
    final BlockingQueue<Recorded> calls = new LinkedBlockingQueue<>();
    final List<Long> subscribeNanos = new CopyOnWriteArrayList<>();
    private final AtomicInteger frameworks = new AtomicInteger();
    volatile String streamId;
    volatile double heartbeatSeconds = 0.2; // watchdog: 1 s, robust on a loaded CI machine
    volatile Function<Recorded, Integer> callStatus =
            r -> r.call().getType() == Call.Type.UPDATE_FRAMEWORK ? 200 : 202;
    volatile Function<String, Boolean> authorizationCheck = header -> true;

    FakeMaster() throws IOException {
        this(null);
    }

    /** With {@code tls}, serves https with that context's key (see {@link TestCertificates}). */
    FakeMaster(javax.net.ssl.SSLContext tls) throws IOException {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls == null) {
            server = HttpServer.create(loopback, 0);
        } else {
            com.sun.net.httpserver.HttpsServer https =
                    com.sun.net.httpserver.HttpsServer.create(loopback, 0);
            https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
            server = https;
        }
        scheme = tls == null ? "http" : "https";
        server.setExecutor(pool);
        server.createContext("/api/v1/scheduler", this::handle);
        server.start();
    }

    HttpUrl url() {
        return new HttpUrl.Builder()
                .scheme(scheme)
                .host("127.0.0.1")
                .port(server.getAddress().getPort())
                .build();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Also serves the scheduler endpoint under {@code prefix}, as a gateway such as Admin Router. */
    void servePrefix(String prefix) {
        server.createContext(prefix + "/api/v1/scheduler", this::handle);
    }

    void createContext(String path, com.sun.net.httpserver.HttpHandler handler) {
        server.createContext(path, handler);
    }

    /**
     * Queues the behaviour of the next SUBSCRIBE; when none is queued, {@link #wellBehaved}
     * answers.
     */
    FakeMaster onSubscribe(SubscribeScript script) {
        scripts.add(script);
        return this;
    }

    Recorded nextSubscribe() throws InterruptedException {
        Recorded r = subscribes.poll(10, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("no SUBSCRIBE arrived within 10 s");
        }
        return r;
    }

    Recorded nextCall() throws InterruptedException {
        Recorded r = calls.poll(10, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("no call arrived within 10 s");
        }
        return r;
    }

    /**
     * SUBSCRIBED (reusing the requested framework id, else a new one), then heartbeats until the
     * client leaves.
     */
    void wellBehaved(Recorded request, Stream stream) throws IOException {
        stream.open();
        stream.send(subscribed(frameworkIdFor(request)));
        stream.heartbeatsUntilGone();
    }

    String frameworkIdFor(Recorded request) {
        return request.call().hasFrameworkId()
                ? request.call().getFrameworkId().getValue()
                : "fw-" + frameworks.incrementAndGet();
    }

    Event subscribed(String frameworkId) {
        return Event.newBuilder()
                .setType(Event.Type.SUBSCRIBED)
                .setSubscribed(
                        Event.Subscribed.newBuilder()
                                .setFrameworkId(FrameworkID.newBuilder().setValue(frameworkId))
                                .setHeartbeatIntervalSeconds(heartbeatSeconds))
                .build();
    }

    static Event error(String message) {
        return Event.newBuilder()
                .setType(Event.Type.ERROR)
                .setError(Event.Error.newBuilder().setMessage(message))
                .build();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            if (!exchange.getRequestMethod().equals("POST")) {
                reply(exchange, 405, "");
                return;
            }
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            byte[] body = exchange.getRequestBody().readAllBytes();
            Encoding encoding;
            if ("application/json".equals(contentType)) {
                encoding = Encoding.JSON;
            } else if ("application/x-protobuf".equals(contentType)) {
                encoding = Encoding.PROTOBUF;
            } else {
                reply(
                        exchange,
                        contentType == null ? 400 : 415,
                        "Unsupported Content-Type '" + contentType + "'");
                return;
            }
            Call call = decode(encoding, body);
            Recorded recorded =
                    new Recorded(
                            contentType,
                            exchange.getRequestHeaders().getFirst("Accept"),
                            exchange.getRequestHeaders().getFirst("Mesos-Stream-Id"),
                            exchange.getRequestHeaders().getFirst("Authorization"),
                            call,
                            exchange.getRemoteAddress().getPort());
            if (!authorizationCheck.apply(recorded.authorization())) {
                exchange.getResponseHeaders()
                        .add("WWW-Authenticate", "Basic realm=\"mesos-master-scheduler\"");
                reply(exchange, 401, "");
                (call.getType() == Call.Type.SUBSCRIBE ? subscribes : calls).add(recorded);
                return;
            }
            if (call.getType() == Call.Type.SUBSCRIBE) {
                subscribeNanos.add(System.nanoTime());
                subscribes.add(recorded);
                if (recorded.streamIdHeader() != null) {
                    reply(
                            exchange,
                            400,
                            "Subscribe calls should not include the 'Mesos-Stream-Id' header");
                    return;
                }
                SubscribeScript script = scripts.poll();
                Stream stream = new Stream(exchange, encoding);
                SubscribeScript behaviour = script == null ? this::wellBehaved : script;
                behaviour.run(recorded, stream);
                return;
            }
            calls.add(recorded);
            if (recorded.streamIdHeader() == null) {
                reply(
                        exchange,
                        400,
                        "All non-subscribe calls should include the 'Mesos-Stream-Id' header");
            } else if (!recorded.streamIdHeader().equals(streamId)) {
                reply(
                        exchange,
                        400,
                        "The stream ID '"
                                + recorded.streamIdHeader()
                                + "' included in this request didn't match the stream ID currently"
                                + " associated with framework ID");
            } else {
                int status = callStatus.apply(recorded);
                reply(
                        exchange,
                        status,
                        status >= 400
                                ? "Failed to validate scheduler::Call: scripted failure"
                                : "");
            }
        } catch (Exception e) {
            if (!(e instanceof IOException) && !(e instanceof InterruptedException)) {
                e.printStackTrace();
            }
        } finally {
            exchange.close();
        }
    }

    private static Call decode(Encoding encoding, byte[] body) throws IOException {
        if (encoding == Encoding.PROTOBUF) {
            return Call.parseFrom(body);
        }
        Call.Builder call = Call.newBuilder();
        JsonFormat.parser().merge(new String(body, UTF_8), call);
        return call.build();
    }

    static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        pool.shutdownNow();
    }

    /** The response side of one SUBSCRIBE. */
    final class Stream {
        private final HttpExchange exchange;
        private final Encoding encoding;
        private OutputStream out;

        Stream(HttpExchange exchange, Encoding encoding) {
            this.exchange = exchange;
            this.encoding = encoding;
        }

        void reject(int status, String body, Map<String, String> headers) throws IOException {
            headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            reply(exchange, status, body);
        }

        void open() throws IOException {
            streamId = UUID.randomUUID().toString();
            exchange.getResponseHeaders().add("Content-Type", encoding.mediaType());
            exchange.getResponseHeaders().add("Mesos-Stream-Id", streamId);
            exchange.sendResponseHeaders(200, 0); // chunked
            out = exchange.getResponseBody();
        }

        void send(Event event) throws IOException {
            byte[] data =
                    encoding == Encoding.PROTOBUF
                            ? event.toByteArray()
                            : JsonFormat.printer()
                                    .preservingProtoFieldNames()
                                    .print(event)
                                    .getBytes(UTF_8);
            sendRecord(data);
        }

        void sendRecord(byte[] data) throws IOException {
            sendRaw((data.length + "\n").getBytes(UTF_8));
            sendRaw(data);
        }

        void sendRaw(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        void heartbeatsUntilGone() {
            Event heartbeat = Event.newBuilder().setType(Event.Type.HEARTBEAT).build();
            try {
                while (!closed.await((long) (heartbeatSeconds * 1000), TimeUnit.MILLISECONDS)) {
                    send(heartbeat);
                }
            } catch (IOException | InterruptedException gone) {
                // the client went away (or the test ended)
            }
        }

        /** Keeps the stream open without a byte: a network partition as the client sees it. */
        void stayQuiet(Duration atMost) throws InterruptedException {
            closed.await(atMost.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
