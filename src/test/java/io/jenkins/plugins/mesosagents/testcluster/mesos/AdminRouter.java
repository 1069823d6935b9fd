package io.jenkins.plugins.mesosagents.testcluster.mesos;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * DC/OS Admin Router in front of the simulated masters, on a port of its own (the cluster URL):
 * {@code POST /acs/api/v1/auth/login} (the IAM service login, served only here, as on DC/OS) and
 * {@code /mesos/...} proxied to the leading master with the prefix stripped. Mimics dcos/dcos
 * {@code packages/adminrouter/extra/src/includes/server/master.conf:361-401} ({@code location
 * /mesos/}: {@code auth.access_mesos_endpoint()}, then {@code rewrite ^/mesos/(.*) /$1} and {@code
 * proxy_pass $upstream_mesos}, which is {@code http://leader.mesos:5050}, docker/
 * adminrouter-upstreams-ee.conf:7) and the {@code /acs/api/v1/auth/} location
 * (open/master.conf:133). With service accounts configured, a request without a valid token gets
 * 401 with {@code WWW-Authenticate: acsjwt}, and one whose account lacks {@code
 * dcos:adminrouter:ops:mesos} (full) gets Admin Router's 403 "Access Denied" page
 * (lib/auth/common.lua:33-46 {@code exit_401}/{@code exit_403}, errorpages/403.html; the
 * permission: https://docs.mesosphere.com/1.9/security/perms-reference/ "dcos:adminrouter:ops:mesos
 * — Controls access to the Mesos master UI and API", full). The Authorization header is passed on,
 * so the master checks the token again, as DC/OS' Mesos authenticator does.
 */
final class AdminRouter implements HttpHandler {
    private static final Logger LOG = Logger.getLogger(AdminRouter.class.getName());
    static final String LOGIN_PATH = "/acs/api/v1/auth/login";
    static final String MESOS_PREFIX = "/mesos";

    /**
     * The shape of errorpages/403.html: a page titled "Access Denied", nothing machine-readable.
     */
    static final String ACCESS_DENIED_PAGE =
            "<!DOCTYPE html>\n<html>\n<head>\n  <title>Access Denied</title>\n</head>\n"
                    + "<body>\n  <h1>Access Denied</h1>\n</body>\n</html>\n";

    static final String UNAUTHORIZED_PAGE =
            "<!DOCTYPE html>\n<html>\n<head>\n  <title>Unauthorized</title>\n</head>\n"
                    + "<body>\n  <h1>Unauthorized</h1>\n</body>\n</html>\n";

    private final MesosSimulator sim;
    private final HttpServer server;
    private final String scheme;

    /**
     * The master {@code leader.mesos} still resolves to, when pinned: Admin Router caches the name
     * ({@code resolver 127.0.0.1:61053 valid=5s}, includes/http/master.conf:21) and the DNS server
     * refreshes its records periodically, so after a failover it may proxy to the old leader for a
     * while, which answers 307 to its own {@code //host:port}. Null: the current one.
     */
    private volatile MasterEndpoint staleUpstream;

    AdminRouter(MesosSimulator sim, TlsMaterial tls) throws IOException {
        this.sim = sim;
        this.scheme = tls == null ? "http" : "https";
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls == null) {
            server = HttpServer.create(address, 128);
        } else {
            HttpsServer https = HttpsServer.create(address, 128);
            https.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
            server = https;
        }
        server.createContext("/", this);
        server.setExecutor(sim.httpThreads);
    }

    /** Pins (or, with null, releases) the upstream to a master that may no longer lead. */
    void staleUpstream(MasterEndpoint master) {
        staleUpstream = master;
    }

    void start() {
        server.start();
    }

    void stop() {
        server.stop(0);
    }

    /** The cluster URL, e.g. {@code http://127.0.0.1:41234}. */
    URI uri() {
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getRawPath();
            if (path.equals(LOGIN_PATH)) {
                try (ex) {
                    MasterEndpoint.reply(
                            ex,
                            !ex.getRequestMethod().equals("POST")
                                    ? HttpReply.text(405, "").withHeader("Allow", "POST")
                                    : sim.dcosAuth.login(ex.getRequestBody().readAllBytes()));
                }
            } else if (path.startsWith(MESOS_PREFIX + "/")) {
                mesos(ex, path.substring(MESOS_PREFIX.length()));
            } else {
                try (ex) {
                    MasterEndpoint.reply(ex, HttpReply.text(404, ""));
                }
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "connection ended", e);
        }
    }

    private void mesos(HttpExchange ex, String upstreamPath) throws IOException {
        if (sim.dcosAuth.enabled()) {
            String uid =
                    sim.dcosAuth.authenticate(ex.getRequestHeaders().getFirst("Authorization"));
            HttpReply refusal =
                    uid == null
                            ? page(401, UNAUTHORIZED_PAGE).withHeader("WWW-Authenticate", "acsjwt")
                            : !sim.dcosAuth.mayUseMesos(uid) ? page(403, ACCESS_DENIED_PAGE) : null;
            if (refusal != null) {
                try (ex) {
                    MasterEndpoint.reply(ex, refusal);
                }
                return;
            }
        }
        MasterEndpoint pinned = staleUpstream;
        MasterEndpoint leader = pinned != null ? pinned : sim.leaderEndpoint();
        if (leader == null) {
            // leader.mesos does not resolve while no master leads: nginx has no upstream
            try (ex) {
                MasterEndpoint.reply(ex, page(502, "<html><body>502 Bad Gateway</body></html>"));
            }
            return;
        }
        URI original = ex.getRequestURI();
        URI upstream =
                URI.create(
                        upstreamPath
                                + (original.getRawQuery() == null
                                        ? ""
                                        : "?" + original.getRawQuery()));
        leader.handle(new ProxiedExchange(ex, upstream));
    }

    private static HttpReply page(int status, String html) {
        return new HttpReply(
                status,
                "text/html; charset=UTF-8",
                html.getBytes(StandardCharsets.UTF_8),
                java.util.Map.of());
    }
}
