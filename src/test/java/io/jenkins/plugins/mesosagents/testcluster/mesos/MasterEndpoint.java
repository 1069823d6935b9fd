package io.jenkins.plugins.mesosagents.testcluster.mesos;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import org.apache.mesos.v1.Protos.Address;
import org.apache.mesos.v1.Protos.DomainInfo;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.mesos.v1.scheduler.Protos.Call;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One master process's HTTP face: {@code /api/v1/scheduler} with the master's checks in the
 * master's order (401, 307/503, 405, 400/415 Content-Type, 400 parse/validate, 406 Accept, stream
 * id), {@code /redirect}, {@code /master/state}, and the {@code /sim/...} fault-injection control
 * endpoint. Binds 127.0.0.1 only. It serves no DC/OS login: a master's own port has none (DC/OS
 * serves {@code /acs} through {@link AdminRouter}); with service accounts it checks their tokens,
 * as DC/OS' Mesos authenticator does.
 */
final class MasterEndpoint implements HttpHandler {
    private static final Logger LOG = Logger.getLogger(MasterEndpoint.class.getName());
    private static final Set<String> STATE_PATHS =
            Set.of("/master/state", "/state", "/master/state.json", "/state.json");

    private final MesosSimulator sim;
    private final HttpServer server;
    private final String scheme;
    final MasterInfo info;

    MasterEndpoint(MesosSimulator sim, int port, TlsMaterial tls) throws IOException {
        this.sim = sim;
        this.scheme = tls == null ? "http" : "https";
        try {
            InetSocketAddress address =
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            if (tls == null) {
                this.server = HttpServer.create(address, 128);
            } else {
                HttpsServer https = HttpsServer.create(address, 128);
                https.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
                this.server = https;
            }
        } catch (java.net.BindException e) {
            throw new IOException(
                    "port "
                            + port
                            + " on 127.0.0.1 is already in use: stop what listens there, or use"
                            + " --port 0 (any free port)",
                    e);
        }
        server.createContext("/", this);
        server.setExecutor(sim.httpThreads);
        int actual = server.getAddress().getPort();
        MasterInfo.Builder b =
                MasterInfo.newBuilder()
                        .setId(java.util.UUID.randomUUID().toString())
                        .setIp(0x0100007F)
                        .setPort(actual)
                        .setPid("master@127.0.0.1:" + actual)
                        .setHostname("127.0.0.1")
                        .setVersion("1.11.0")
                        .setAddress(
                                Address.newBuilder()
                                        .setHostname("127.0.0.1")
                                        .setIp("127.0.0.1")
                                        .setPort(actual))
                        .addCapabilities(
                                MasterInfo.Capability.newBuilder()
                                        .setType(MasterInfo.Capability.Type.AGENT_UPDATE));
        if (sim.config.region() != null) {
            b.setDomain(
                    DomainInfo.newBuilder()
                            .setFaultDomain(
                                    DomainInfo.FaultDomain.newBuilder()
                                            .setRegion(
                                                    DomainInfo.FaultDomain.RegionInfo.newBuilder()
                                                            .setName(sim.config.region()))
                                            .setZone(
                                                    DomainInfo.FaultDomain.ZoneInfo.newBuilder()
                                                            .setName(sim.config.region()))));
        }
        info = b.build();
    }

    void start() {
        server.start();
    }

    void stop() {
        server.stop(0);
    }

    URI uri() {
        return URI.create(scheme + "://127.0.0.1:" + info.getPort());
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (path.startsWith("/sim/")) {
                reply(ex, sim.control(ex.getRequestMethod(), path, ex.getRequestURI().getQuery()));
            } else if (path.equals("/api/v1/scheduler")) {
                scheduler(ex);
            } else if (path.equals("/redirect") || path.equals("/master/redirect")) {
                MasterInfo leader = sim.leaderInfo();
                reply(
                        ex,
                        leader == null
                                ? HttpReply.text(503, "No leader elected")
                                : HttpReply.text(307, "")
                                        .withHeader("Location", "//" + hostPort(leader)));
            } else if (STATE_PATHS.contains(path)) {
                CallFaults.Fault fault = sim.callFaults.take(CallFaults.STATE, false);
                if (fault != null && injected(ex, fault)) {
                    return;
                }
                HttpReply redirect = leaderOnly(ex);
                reply(ex, redirect != null ? redirect : HttpReply.json(200, sim.stateJson(info)));
            } else if (path.equals("/version")) {
                // what the real /version endpoint answers (Mesos 1.11.0 src/version/version.cpp)
                reply(
                        ex,
                        HttpReply.json(
                                200,
                                "{\"version\":\""
                                        + info.getVersion()
                                        + "\",\"build_user\":\"sim\"}"));
            } else if (path.equals("/health") || path.equals("/master/health")) {
                reply(ex, HttpReply.text(200, ""));
            } else {
                reply(ex, HttpReply.text(404, ""));
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "connection ended", e);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "simulator failed to answer " + ex.getRequestURI(), e);
            try {
                reply(ex, HttpReply.text(500, "simulator error: " + e));
            } catch (IOException | RuntimeException ignored) {
                // headers may already be sent
            }
        }
    }

    private HttpReply leaderOnly(HttpExchange ex) {
        MasterInfo leader = sim.leaderInfo();
        if (leader == null) {
            return HttpReply.text(503, "No leader elected");
        }
        if (!leader.getId().equals(info.getId())) {
            URI u = ex.getRequestURI();
            return HttpReply.text(307, "")
                    .withHeader(
                            "Location",
                            "//"
                                    + hostPort(leader)
                                    + u.getRawPath()
                                    + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()));
        }
        if (sim.unavailable()) {
            return HttpReply.text(503, "Master has not finished recovery");
        }
        return null;
    }

    private static String hostPort(MasterInfo m) {
        return m.getAddress().getHostname() + ":" + m.getAddress().getPort();
    }

    private void scheduler(HttpExchange ex) throws IOException {
        String principal = null;
        boolean basic = !sim.config.credentials().isEmpty();
        if (basic || sim.dcosAuth.enabled()) {
            String header = ex.getRequestHeaders().getFirst("Authorization");
            principal = basic ? authenticate(header) : null;
            if (principal == null && sim.dcosAuth.enabled()) {
                principal = sim.dcosAuth.authenticate(header);
            }
            if (principal == null) {
                reply(
                        ex,
                        sim.dcosAuth.enabled() && !basic
                                ? DcosAuth.challenge()
                                : HttpReply.text(401, "")
                                        .withHeader(
                                                "WWW-Authenticate",
                                                "Basic realm=\"mesos-master-scheduler\""));
                return;
            }
        }
        HttpReply early = leaderOnly(ex);
        if (early != null) {
            reply(ex, early);
            return;
        }
        if (!ex.getRequestMethod().equals("POST")) {
            reply(
                    ex,
                    HttpReply.text(
                                    405,
                                    "Expecting one of { 'POST' }, but received '"
                                            + ex.getRequestMethod()
                                            + "'")
                            .withHeader("Allow", "POST"));
            return;
        }
        String contentType = ex.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null) {
            reply(ex, HttpReply.text(400, "Expecting 'Content-Type' to be present"));
            return;
        }
        boolean json = contentType.equals(WireCodec.JSON);
        if (!json && sim.config.jsonOnly()) {
            reply(ex, HttpReply.text(415, "Expecting 'Content-Type' of application/json"));
            return;
        }
        if (!json && !contentType.equals(WireCodec.PROTOBUF)) {
            reply(
                    ex,
                    HttpReply.text(
                            415,
                            "Expecting 'Content-Type' of application/json or"
                                    + " application/x-protobuf"));
            return;
        }
        byte[] body = ex.getRequestBody().readAllBytes();
        Call call;
        try {
            call = WireCodec.parseCall(body, json);
        } catch (WireCodec.BadRequest e) {
            reply(ex, HttpReply.text(400, e.getMessage()));
            return;
        }
        String invalid = CallValidation.validate(call);
        if (invalid != null) {
            reply(ex, HttpReply.text(400, "Failed to validate scheduler::Call: " + invalid));
            return;
        }
        CallFaults.Fault fault = sim.callFaults.take(call.getType().name(), !json);
        if (fault != null && injected(ex, fault)) {
            return;
        }
        if (fault instanceof CallFaults.Hang) {
            // a master that lost leadership while it held the call exits (Mesos 1.11.0
            // src/master/master.cpp:2141-2150), it never acts on it as the leader
            MasterInfo leader = sim.leaderInfo();
            if (leader == null || !leader.getId().equals(info.getId())) {
                ex.close(); // the connection ends without an answer
                return;
            }
        }
        boolean swallow = fault instanceof CallFaults.Swallow;
        boolean acceptJson = json;
        if (call.getType() == Call.Type.SUBSCRIBE
                || call.getType() == Call.Type.RECONCILE_OPERATIONS) {
            String accept = ex.getRequestHeaders().getFirst("Accept");
            if (accepts(accept, WireCodec.JSON)) {
                acceptJson = true;
            } else if (accepts(accept, WireCodec.PROTOBUF)) {
                acceptJson = false;
            } else {
                reply(
                        ex,
                        HttpReply.text(
                                406,
                                "Expecting 'Accept' to allow application/json or"
                                        + " application/x-protobuf"));
                return;
            }
        }
        String streamId = ex.getRequestHeaders().getFirst("Mesos-Stream-Id");
        if (call.getType() != Call.Type.SUBSCRIBE) {
            if (swallow) {
                reply(ex, HttpReply.text(202, ""));
                return;
            }
            String p = principal;
            boolean j = acceptJson;
            reply(ex, sim.onLoop(() -> sim.master.handle(call, streamId, p, j)));
            return;
        }
        if (streamId != null) {
            reply(
                    ex,
                    HttpReply.text(
                            400,
                            "Subscribe calls should not include the 'Mesos-Stream-Id' header"));
            return;
        }
        var fi = call.getSubscribe().getFrameworkInfo();
        if (principal != null && fi.hasPrincipal() && !fi.getPrincipal().equals(principal)) {
            reply(
                    ex,
                    HttpReply.text(
                            400,
                            "Authenticated principal '"
                                    + principal
                                    + "' does not match principal '"
                                    + fi.getPrincipal()
                                    + "' set in `FrameworkInfo`"));
            return;
        }
        String p = principal;
        boolean j = acceptJson;
        Subscription sub = sim.onLoop(() -> sim.master.subscribe(call, j, p));
        ex.getResponseHeaders().set("Content-Type", j ? WireCodec.JSON : WireCodec.PROTOBUF);
        ex.getResponseHeaders().set("Mesos-Stream-Id", sub.streamId);
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        try {
            sub.pump(out);
            out.close();
        } catch (IOException e) {
            sim.runOnLoop(() -> sim.master.disconnected(sub));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Applies an injected fault; true when the exchange is answered (or dropped) and the master
     * must not see the call.
     */
    private static boolean injected(HttpExchange ex, CallFaults.Fault fault) throws IOException {
        if (fault instanceof CallFaults.Answer a) {
            reply(ex, HttpReply.text(a.status(), a.body()));
            return true;
        }
        if (fault instanceof CallFaults.RefuseProtobuf) {
            reply(ex, HttpReply.text(415, CallFaults.unsupportedMediaTypeBody()));
            return true;
        }
        if (fault instanceof CallFaults.Drop) {
            // closing an exchange whose headers were not sent closes the connection: no answer
            ex.close();
            return true;
        }
        if (fault instanceof CallFaults.Hang h) {
            try {
                Thread.sleep(h.duration().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return false; // Hang: the master handles it now; Swallow: answered 202 by the caller
    }

    private static boolean accepts(String acceptHeader, String type) {
        if (acceptHeader == null || acceptHeader.isBlank()) {
            return true;
        }
        for (String part : acceptHeader.split(",")) {
            String[] params = part.trim().split(";");
            String media = params[0].trim().toLowerCase(java.util.Locale.ROOT);
            boolean zeroQ = false;
            for (int i = 1; i < params.length; i++) {
                String p = params[i].trim().replace(" ", "");
                if (p.equals("q=0")
                        || p.equals("q=0.0")
                        || p.equals("q=0.00")
                        || p.equals("q=0.000")) {
                    zeroQ = true;
                }
            }
            if (!zeroQ
                    && (media.equals(type)
                            || media.equals("*/*")
                            || media.equals("application/*"))) {
                return true;
            }
        }
        return false;
    }

    private String authenticate(String header) {
        if (header == null || !header.startsWith("Basic ")) {
            return null;
        }
        String decoded;
        try {
            decoded =
                    new String(
                            Base64.getDecoder().decode(header.substring(6).trim()),
                            StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        String[] parts = decoded.split(":", -1);
        if (parts.length != 2) {
            return null;
        }
        String secret = sim.config.credentials().get(parts[0]);
        return secret != null && secret.equals(parts[1]) ? parts[0] : null;
    }

    static void reply(HttpExchange ex, HttpReply r) throws IOException {
        for (Map.Entry<String, String> h : r.headers().entrySet()) {
            ex.getResponseHeaders().set(h.getKey(), h.getValue());
        }
        if (r.body().length > 0) {
            ex.getResponseHeaders().set("Content-Type", r.contentType());
        }
        ex.sendResponseHeaders(r.status(), r.body().length == 0 ? -1 : r.body().length);
        if (r.body().length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(r.body());
            }
        }
    }
}
