package io.jenkins.plugins.mesosagents.mesos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
 * agents it has — or, per master, what went wrong.
 */
public final class MasterProbe {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MasterProbe() {}

    /** What the leading master said about itself. */
    public record Result(HttpUrl leader, String version, int agents) {
        @Override
        public String toString() {
            return "leading master "
                    + leader.host()
                    + ":"
                    + leader.port()
                    + " (Mesos "
                    + version
                    + ", "
                    + agents
                    + " agents)";
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
            for (HttpUrl master : candidates) {
                try {
                    return state(transport, master, 0);
                } catch (IOException e) {
                    problems.add(master.host() + ":" + master.port() + ": " + e.getMessage());
                }
            }
            throw new IOException(String.join("; ", problems));
        } finally {
            transport.close();
            config.masters.close();
        }
    }

    private static Result state(Transport transport, HttpUrl master, int redirects)
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
                            "redirected to '" + location + "', which is not a master URL");
                }
                return state(
                        transport, leader.newBuilder().encodedPath("/").build(), redirects + 1);
            }
            if (response.code() == 401) {
                throw new IOException(
                        "401: the master rejected the credentials (check the principal and secret,"
                                + " or the service account)");
            }
            if (response.code() == 403) {
                throw new IOException(
                        "403: the principal may not read the master's state (it may still be"
                                + " allowed to subscribe)");
            }
            if (response.code() != 200) {
                throw new IOException("HTTP " + response.code() + " from " + url.redact());
            }
            JsonNode state = JSON.readTree(response.body().byteStream());
            return new Result(
                    master, state.path("version").asText("unknown"), state.path("slaves").size());
        }
    }
}
