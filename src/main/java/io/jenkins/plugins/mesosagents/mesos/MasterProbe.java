package io.jenkins.plugins.mesosagents.mesos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jenkins.plugins.mesosagents.dcos.AdminRouter;
import io.jenkins.plugins.mesosagents.dcos.TlsFailures;
import io.jenkins.plugins.mesosagents.mesos.internal.Bodies;

import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a master setting the way the connection will use it, for the cloud form's "Test
 * connection": find the leading master (ZooKeeper, or a non-leader's 307), read its {@code
 * /master/state} with the configured credentials and TLS trust, and say who leads and how many
 * agents it has (and each agent's resources). When the state endpoint is refused it falls back to
 * {@code /version} and says so; when nothing answers it says, per master, which URL it tried and
 * what the master answered.
 */
public final class MasterProbe {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MasterProbe() {}

    /**
     * What the leading master said about itself: its agents when {@code /master/state} answered
     * ({@code agents} is -1 when only the lighter {@code /version} check did), and how it was
     * checked ({@code note}: which URL refused what, and what answered instead; "" when the state
     * endpoint answered).
     */
    public record Result(
            HttpUrl leader,
            String version,
            int agents,
            String note,
            List<AgentResources> agentResources) {
        public Result {
            agentResources = List.copyOf(agentResources);
        }

        public Result(HttpUrl leader, String version, int agents, String note) {
            this(leader, version, agents, note, List.of());
        }

        public Result(HttpUrl leader, String version, int agents) {
            this(leader, version, agents, "");
        }

        @Override
        public String toString() {
            String who =
                    (agents >= 0 ? "leading master " : "master ")
                            + leader.host()
                            + ":"
                            + leader.port()
                            + " (Mesos "
                            + version
                            + (agents >= 0 ? ", " + agents + " agents)" : ")");
            return note.isEmpty() ? who : who + "; " + note;
        }
    }

    /**
     * @throws IOException naming every master tried and what it answered; never containing a secret
     */
    public static Result probe(SchedulerConfig config, Duration waitForLeader)
            throws IOException, InterruptedException {
        Transport transport = new Transport(config);
        try {
            List<HttpUrl> candidates = config.masters.candidates();
            long deadline = System.nanoTime() + waitForLeader.toNanos();
            while (candidates.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100); // a ZooKeeper detector answers after its first read
                candidates = config.masters.candidates();
            }
            if (candidates.isEmpty()) {
                throw new IOException(
                        "No leading Mesos master found within "
                                + waitForLeader.toSeconds()
                                + " s: ZooKeeper has no leader entry (check the zk:// path, e.g."
                                + " /mesos)");
            }
            List<String> problems = new ArrayList<>();
            String uid =
                    config.credentials.orElse(null)
                                    instanceof MesosCredentials.DcosServiceAccount account
                            ? account.uid()
                            : null;
            for (HttpUrl master : candidates) {
                try {
                    return state(transport, master, uid, 0);
                } catch (IOException e) {
                    problems.add(
                            master.host()
                                    + ":"
                                    + master.port()
                                    + ": "
                                    + e.getMessage()
                                    + TlsFailures.hint(
                                            e, "the master", TlsFailures.MASTER_CA_SETTING));
                }
            }
            throw new IOException(String.join("; ", problems));
        } finally {
            transport.close();
            config.masters.close();
        }
    }

    private static Result state(Transport transport, HttpUrl master, String uid, int redirects)
            throws IOException {
        HttpUrl url = master.newBuilder().addPathSegments("master/state").build();
        try (Response response =
                transport.calls.newCall(new Request.Builder().url(url).get().build()).execute()) {
            if (response.code() == 307 && redirects < 3) {
                String location = response.header("Location", "");
                HttpUrl leader =
                        HttpUrl.parse(
                                location.startsWith("//")
                                        ? master.scheme() + ":" + location
                                        : location);
                if (leader == null) {
                    throw new IOException(
                            "GET "
                                    + shown(url)
                                    + " redirected to '"
                                    + location
                                    + "', which is not a master URL");
                }
                return state(
                        transport,
                        leader.newBuilder().encodedPath("/").build(),
                        uid,
                        redirects + 1);
            }
            if (response.code() == 401) {
                throw new IOException(
                        "GET "
                                + shown(url)
                                + " answered 401: the master rejected the credentials (check the"
                                + " principal and secret, or the service account)");
            }
            if (response.code() == 200) {
                JsonNode state = JSON.readTree(response.body().byteStream());
                return new Result(
                        master,
                        state.path("version").asText("unknown"),
                        state.path("slaves").size(),
                        "",
                        AgentResources.fromState(state));
            }
            String body = bodyOf(response);
            if (response.code() == 403
                    && (HttpUrls.isGateway(master) || AdminRouter.isAccessDeniedPage(body))) {
                // Admin Router guards all of /mesos/ alike: /version would be refused too
                throw new IOException(
                        "GET " + shown(url) + ": " + AdminRouter.missingMesosPermission(uid));
            }
            String refused =
                    "GET "
                            + shown(url)
                            + " answered HTTP "
                            + response.code()
                            + " "
                            + Bodies.excerpt(body);
            return version(transport, master, refused);
        }
    }

    /**
     * The lighter check when the state endpoint is refused (ACLs, a proxy that exposes only the
     * scheduler API): {@code GET /version}, which every Mesos master serves without authorization
     * (Mesos 1.11.0 src/version/version.cpp).
     */
    private static Result version(Transport transport, HttpUrl master, String refused)
            throws IOException {
        HttpUrl url = master.newBuilder().addPathSegments("version").build();
        try (Response response =
                transport.calls.newCall(new Request.Builder().url(url).get().build()).execute()) {
            if (response.code() != 200) {
                throw new IOException(
                        refused
                                + "; the lighter check GET "
                                + shown(url)
                                + " answered HTTP "
                                + response.code()
                                + " "
                                + Bodies.excerpt(bodyOf(response)));
            }
            JsonNode version = JSON.readTree(response.body().byteStream());
            return new Result(
                    master,
                    version.path("version").asText("unknown"),
                    -1,
                    refused
                            + "; checked GET "
                            + shown(url)
                            + " instead, which answers (the agents could not be counted)");
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(refused)) {
                throw e;
            }
            throw new IOException(
                    refused
                            + "; the lighter check GET "
                            + shown(url)
                            + " failed: "
                            + e.getMessage(),
                    e);
        }
    }

    /** The URL as tried, without user info or query (never a secret). */
    private static String shown(HttpUrl url) {
        return url.newBuilder().username("").password("").query(null).build().toString();
    }

    private static String bodyOf(Response response) {
        try {
            return response.body() == null ? "" : response.body().string();
        } catch (IOException e) {
            return "(body unreadable: " + e.getMessage() + ")";
        }
    }
}
