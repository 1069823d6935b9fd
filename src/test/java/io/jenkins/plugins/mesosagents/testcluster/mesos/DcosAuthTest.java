package io.jenkins.plugins.mesosagents.testcluster.mesos;

import static io.jenkins.plugins.mesosagents.testcluster.mesos.SimCalls.framework;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;

import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;

class DcosAuthTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir Path work;

    @Test
    void serviceAccountLoginIssuesTokensThatExpireAndCanBeRevoked() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair account = g.generateKeyPair();
        KeyPair stranger = g.generateKeyPair();
        String pem =
                "-----BEGIN PUBLIC KEY-----\n"
                        + Base64.getMimeEncoder().encodeToString(account.getPublic().getEncoded())
                        + "\n-----END PUBLIC KEY-----\n";
        try (MesosSimulator sim =
                MesosSimulator.start(
                        MesosSimConfig.builder(work)
                                .heartbeatInterval(Duration.ofMillis(200))
                                .agent(AgentConfig.of("a", 1, 512))
                                .serviceAccount("jenkins", DcosAuth.parsePublicKey(pem))
                                .authTokenLifetime(Duration.ofSeconds(2))
                                .build())) {
            SimClient.Reply missing =
                    SchedulerApiTest.exchange(
                            SchedulerApiTest.post(
                                    sim.leaderUrl() + "/api/v1/scheduler",
                                    "{}",
                                    "application/json"));
            assertThat(missing.code()).isEqualTo(401);
            assertThat(missing.headers().get("WWW-Authenticate")).isEqualTo("acsjwt");

            // DC/OS has the login behind Admin Router only; a master's own port serves none
            assertThat(
                            SchedulerApiTest.exchange(
                                            SchedulerApiTest.post(
                                                    sim.leaderUrl() + "/acs/api/v1/auth/login",
                                                    "{}",
                                                    "application/json"))
                                    .code())
                    .isEqualTo(404);

            long now = System.currentTimeMillis() / 1000;
            assertThat(
                            login(sim, "jenkins", jwt(stranger.getPrivate(), "jenkins", now + 300))
                                    .code())
                    .isEqualTo(401);
            assertThat(login(sim, "jenkins", jwt(account.getPrivate(), "jenkins", now - 10)).code())
                    .isEqualTo(401);
            assertThat(login(sim, "nobody", jwt(account.getPrivate(), "nobody", now + 300)).code())
                    .isEqualTo(401);
            SimClient.Reply ok =
                    login(sim, "jenkins", jwt(account.getPrivate(), "jenkins", now + 300));
            assertThat(ok.code()).isEqualTo(200);
            String token = MAPPER.readTree(ok.body()).get("token").asText();
            assertThat(token.split("\\.")).hasSize(3);

            try (SimClient c =
                    SimClient.subscribe(
                            sim.leaderUrl(),
                            framework("dcos").toBuilder().clearPrincipal().build(),
                            false,
                            "token=" + token)) {
                c.await(Event.Type.SUBSCRIBED, Duration.ofSeconds(5));
                assertThat(sim.stateJson()).contains("\"principal\":\"jenkins\"");
            }
            sim.revokeAuthTokens();
            assertThatThrownBy(
                            () ->
                                    SimClient.subscribe(
                                            sim.leaderUrl(),
                                            framework("dcos"),
                                            false,
                                            "token=" + token))
                    .hasMessageContaining("401");
            String fresh =
                    MAPPER.readTree(
                                    login(
                                                    sim,
                                                    "jenkins",
                                                    jwt(account.getPrivate(), "jenkins", now + 300))
                                            .body())
                            .get("token")
                            .asText();
            await().atMost(Duration.ofSeconds(6))
                    .pollInterval(Duration.ofMillis(250))
                    .until(
                            () ->
                                    SchedulerApiTest.exchange(
                                                            SchedulerApiTest.post(
                                                                            sim.leaderUrl()
                                                                                    + "/api/v1/scheduler",
                                                                            "{}",
                                                                            "application/json")
                                                                    .newBuilder()
                                                                    .header(
                                                                            "Authorization",
                                                                            "token=" + fresh)
                                                                    .build())
                                                    .code()
                                            == 401);
        }
    }

    private static SimClient.Reply login(MesosSimulator sim, String uid, String jwt)
            throws Exception {
        String body = MAPPER.createObjectNode().put("uid", uid).put("token", jwt).toString();
        try (Response r =
                SimClient.HTTP
                        .newCall(
                                new Request.Builder()
                                        .url(
                                                sim.adminRouterUrl().orElseThrow()
                                                        + "/acs/api/v1/auth/login")
                                        .post(
                                                RequestBody.create(
                                                        body.getBytes(StandardCharsets.UTF_8),
                                                        null))
                                        .header("Content-Type", "application/json")
                                        .build())
                        .execute()) {
            return new SimClient.Reply(r.code(), r.body().string(), r.headers());
        }
    }

    private static String jwt(PrivateKey key, String uid, long exp) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String head =
                b64.encodeToString(
                        "{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload =
                b64.encodeToString(
                        MAPPER.createObjectNode()
                                .put("uid", uid)
                                .put("exp", exp)
                                .toString()
                                .getBytes(StandardCharsets.UTF_8));
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(key);
        s.update((head + "." + payload).getBytes(StandardCharsets.US_ASCII));
        return head + "." + payload + "." + b64.encodeToString(s.sign());
    }
}
