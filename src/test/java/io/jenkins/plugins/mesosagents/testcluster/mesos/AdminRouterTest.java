package io.jenkins.plugins.mesosagents.testcluster.mesos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;

import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;

/**
 * The simulated DC/OS Admin Router: the login only on the cluster URL, {@code /mesos/...} proxied
 * to whichever master leads (prefix stripped), 401 without a token and Admin Router's 403 page for
 * an account without {@code dcos:adminrouter:ops:mesos}.
 */
class AdminRouterTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SUBSCRIBE =
            "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":"
                    + "{\"user\":\"nobody\",\"name\":\"through-admin-router\"}}}";

    @TempDir Path work;

    @Test
    void proxiesMesosToTheLeaderAfterTheLoginThatOnlyItServes() throws Exception {
        KeyPair account = rsaKeys();
        try (MesosSimulator sim =
                MesosSimulator.start(
                        MesosSimConfig.builder(work)
                                .masters(2)
                                .agent(AgentConfig.of("a", 1, 512))
                                .serviceAccount("jenkins", account.getPublic())
                                .build())) {
            URI cluster = sim.adminRouterUrl().orElseThrow();
            assertThat(sim.gatewayUrl()).contains(URI.create(cluster + "/mesos"));
            assertThat(cluster.getPort())
                    .isNotIn(sim.masterUrls().stream().map(URI::getPort).toList());

            SimClient.Reply anonymous = post(cluster + "/mesos/api/v1/scheduler", SUBSCRIBE, null);
            assertThat(anonymous.code()).isEqualTo(401);
            assertThat(anonymous.headers().get("WWW-Authenticate")).isEqualTo("acsjwt");

            String token = login(cluster, account);
            String leaderBefore = stateLeader(cluster, token);
            assertThat(leaderBefore).isEqualTo("master@127.0.0.1:" + sim.leaderUrl().getPort());
            assertThat(subscribe(cluster, token)).contains("SUBSCRIBED");

            sim.failoverLeader();
            // Admin Router proxies to leader.mesos: the new leader answers, no 307 reaches the
            // client
            String leaderAfter = stateLeader(cluster, token);
            assertThat(leaderAfter)
                    .isEqualTo("master@127.0.0.1:" + sim.leaderUrl().getPort())
                    .isNotEqualTo(leaderBefore);
            assertThat(subscribe(cluster, token)).contains("SUBSCRIBED");
        }
    }

    @Test
    void anAccountWithoutTheMesosPermissionGetsAdminRoutersAccessDeniedPage() throws Exception {
        KeyPair account = rsaKeys();
        try (MesosSimulator sim =
                MesosSimulator.start(
                        MesosSimConfig.builder(work)
                                .agent(AgentConfig.of("a", 1, 512))
                                .serviceAccount("jenkins", account.getPublic())
                                .build())) {
            URI cluster = sim.adminRouterUrl().orElseThrow();
            String token = login(cluster, account);
            sim.grantMesosThroughAdminRouter("jenkins", false);

            SimClient.Reply denied =
                    post(cluster + "/mesos/api/v1/scheduler", SUBSCRIBE, "token=" + token);
            assertThat(denied.code()).isEqualTo(403);
            assertThat(denied.headers().get("Content-Type")).startsWith("text/html");
            assertThat(denied.body()).contains("<title>Access Denied</title>");
            // the permission gates Admin Router only: the master's own port still takes the token
            try (SimClient direct =
                    SimClient.subscribe(
                            sim.leaderUrl(),
                            SimCalls.framework("direct").toBuilder().clearPrincipal().build(),
                            false,
                            "token=" + token)) {
                assertThat(direct.streamId).isNotBlank();
            }

            sim.grantMesosThroughAdminRouter("jenkins", true);
            assertThat(subscribe(cluster, token)).contains("SUBSCRIBED");
        }
    }

    @Test
    void withoutServiceAccountsItProxiesWithoutAuthentication() throws Exception {
        try (MesosSimulator sim =
                MesosSimulator.start(
                        MesosSimConfig.builder(work)
                                .adminRouter(true)
                                .agent(AgentConfig.of("a", 1, 512))
                                .build())) {
            URI cluster = sim.adminRouterUrl().orElseThrow();
            assertThat(subscribe(cluster, null)).contains("SUBSCRIBED");
            assertThat(SchedulerApiTest.exchange(get(cluster + "/master/state", null)).code())
                    .as("only /mesos/ and the login are routed")
                    .isEqualTo(404);
        }
        try (MesosSimulator plain =
                MesosSimulator.start(
                        MesosSimConfig.builder(work.resolve("plain"))
                                .agent(AgentConfig.of("a", 1, 512))
                                .build())) {
            assertThat(plain.adminRouterUrl()).isEmpty();
        }
    }

    /** The first bytes of a SUBSCRIBE stream through the gateway (the SUBSCRIBED event). */
    private static String subscribe(URI cluster, String token) throws Exception {
        Request.Builder request =
                new Request.Builder()
                        .url(cluster + "/mesos/api/v1/scheduler")
                        .post(RequestBody.create(SUBSCRIBE.getBytes(StandardCharsets.UTF_8), null))
                        .header("Content-Type", "application/json")
                        .header("Accept", "application/json");
        if (token != null) {
            request.header("Authorization", "token=" + token);
        }
        try (Response response = SimClient.NO_REDIRECTS.newCall(request.build()).execute()) {
            assertThat(response.code()).as(response.toString()).isEqualTo(200);
            assertThat(response.header("Mesos-Stream-Id")).isNotBlank();
            InputStream in = response.body().byteStream();
            StringBuilder seen = new StringBuilder();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!seen.toString().contains("SUBSCRIBED") && System.nanoTime() < deadline) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                seen.append((char) b);
            }
            return seen.toString();
        }
    }

    private static String stateLeader(URI cluster, String token) throws Exception {
        SimClient.Reply state =
                SchedulerApiTest.exchange(get(cluster + "/mesos/master/state", token));
        assertThat(state.code()).as(state.body()).isEqualTo(200);
        return MAPPER.readTree(state.body()).path("leader").asText();
    }

    private static Request get(String url, String token) {
        Request.Builder b = new Request.Builder().url(url);
        if (token != null) {
            b.header("Authorization", "token=" + token);
        }
        return b.build();
    }

    private static SimClient.Reply post(String url, String body, String authorization)
            throws Exception {
        Request request = SchedulerApiTest.post(url, body, "application/json");
        if (authorization != null) {
            request = request.newBuilder().header("Authorization", authorization).build();
        }
        return SchedulerApiTest.exchange(request);
    }

    private static String login(URI cluster, KeyPair account) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signingInput =
                b64.encodeToString(
                                "{\"alg\":\"RS256\",\"typ\":\"JWT\"}"
                                        .getBytes(StandardCharsets.UTF_8))
                        + "."
                        + b64.encodeToString(
                                MAPPER.createObjectNode()
                                        .put("uid", "jenkins")
                                        .put("exp", System.currentTimeMillis() / 1000 + 300)
                                        .toString()
                                        .getBytes(StandardCharsets.UTF_8));
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initSign(account.getPrivate());
        rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        String jwt = signingInput + "." + b64.encodeToString(rs256.sign());
        SimClient.Reply reply =
                post(
                        cluster + "/acs/api/v1/auth/login",
                        MAPPER.createObjectNode()
                                .put("uid", "jenkins")
                                .put("token", jwt)
                                .toString(),
                        null);
        assertThat(reply.code()).as(reply.body()).isEqualTo(200);
        return MAPPER.readTree(reply.body()).path("token").asText();
    }

    private static KeyPair rsaKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }
}
