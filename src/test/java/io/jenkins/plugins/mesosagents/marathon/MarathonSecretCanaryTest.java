package io.jenkins.plugins.mesosagents.marathon;

import static io.jenkins.plugins.mesosagents.marathon.DeployFixture.app;
import static io.jenkins.plugins.mesosagents.marathon.DeployFixture.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jenkins.plugins.mesosagents.SecretCanary;
import io.jenkins.plugins.mesosagents.testcluster.marathon.MarathonSimulator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

/**
 * Marathon passwords, fixed DC/OS tokens, a service account's private key and the login tokens it
 * is issued never reach a log record (all loggers, all levels), an exception's message or trace, or
 * the deploy's progress lines: refused logins, a wrong key, a successful deploy with a token that
 * expires, and a deploy that fails on Marathon errors, all against the simulated Marathon.
 */
class MarathonSecretCanaryTest {
    private static final String PASSWORD = "canary-marathon-password-6e21";
    private static final String WRONG = "canary-marathon-wrong-a8f3";
    private static final String TOKEN = "canary-marathon-token-2d90";

    private final SecretCanary canary = SecretCanary.watch(PASSWORD, WRONG, TOKEN);
    private DeployFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
        canary.close();
    }

    private static MarathonSimulator.Builder simulator() {
        return MarathonSimulator.builder().stepInterval(Duration.ofMillis(20));
    }

    private void refused(String where, ThrowingCall call) {
        Throwable e = catchThrowable(call::run);
        assertThat(e).as(where).isNotNull();
        canary.thrown(where, e);
    }

    interface ThrowingCall {
        void run() throws Exception;
    }

    private MarathonDeployer deployer(MarathonClient client) {
        return new MarathonDeployer(client, Clock.systemUTC(), Sleeper.SYSTEM, fixture.lines::add);
    }

    @Test
    void refusedPasswordsAndTokensAreNotShown() throws Exception {
        fixture =
                new DeployFixture(
                        simulator().basicAuth("jenkins", PASSWORD).build(),
                        MarathonAuth.basic("jenkins", WRONG));
        refused("info with a wrong password", fixture.client::info);
        refused(
                "deploy with a wrong password",
                () ->
                        deployer(fixture.client)
                                .deploy(request(app("/a", "shop:1", 1, true)).build()));
        MarathonClient right =
                new MarathonClient(
                        fixture.client.baseUrl(),
                        MarathonAuth.basic("jenkins", PASSWORD),
                        fixture.http);
        fixture.marathon.failNextRequests(50);
        refused(
                "deploy failing on Marathon errors",
                () -> deployer(right).deploy(request(app("/b", "shop:1", 1, true)).build()));
        MarathonClient token =
                new MarathonClient(
                        fixture.client.baseUrl(), MarathonAuth.token(TOKEN), fixture.http);
        refused("info with a token Marathon does not take", token::info);
        canary.shown("clients", fixture.client + " " + right + " " + token);
        canary.shown("deploy progress", fixture.lines);
        canary.assertNoLeak();
    }

    @Test
    void aServiceAccountsKeyAndIssuedTokensAreNotShown() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair key = generator.generateKeyPair();
        KeyPair otherKey = generator.generateKeyPair();
        fixture =
                new DeployFixture(
                        simulator().dcosServiceAccount("jenkins-sa", key.getPublic()).build(),
                        MarathonAuth.none());
        String keyBody = Base64.getEncoder().encodeToString(key.getPrivate().getEncoded());
        String otherBody = Base64.getEncoder().encodeToString(otherKey.getPrivate().getEncoded());
        // 40 characters within one PEM line of either key: any part of a key would be a leak
        canary.secret(keyBody.substring(130, 170));
        canary.secret(otherBody.substring(130, 170));

        DcosServiceAccountAuth account =
                DcosServiceAccountAuth.fromJson(
                        serviceAccountJson("jenkins-sa", key),
                        fixture.client.baseUrl(),
                        Clock.systemUTC());
        MarathonClient client = new MarathonClient(fixture.client.baseUrl(), account, fixture.http);
        deployer(client).deploy(request(app("/secure/web", "shop:1", 1, true)).build());
        String issued = account.authorization(fixture.http);
        canary.secret(issued.substring(issued.indexOf('=') + 1));

        fixture.marathon.expireTokens();
        assertThat(client.app("/secure/web")).isPresent();
        String reissued = account.authorization(fixture.http);
        canary.secret(reissued.substring(reissued.indexOf('=') + 1));
        fixture.marathon.failNextRequests(50);
        refused(
                "deploy failing on Marathon errors",
                () ->
                        deployer(client)
                                .deploy(request(app("/secure/web", "shop:2", 1, true)).build()));

        DcosServiceAccountAuth wrongKey =
                DcosServiceAccountAuth.fromJson(
                        serviceAccountJson("jenkins-sa", otherKey),
                        fixture.client.baseUrl(),
                        Clock.systemUTC());
        refused(
                "login with the wrong key",
                new MarathonClient(fixture.client.baseUrl(), wrongKey, fixture.http)::info);
        refused(
                "a service account JSON without a key",
                () ->
                        DcosServiceAccountAuth.fromJson(
                                "{\"uid\": \"sa\", \"private_key\": \"" + keyBody + "\"}",
                                fixture.client.baseUrl(),
                                Clock.systemUTC()));
        canary.shown("accounts", account + " " + wrongKey + " " + client);
        canary.shown("deploy progress", fixture.lines);
        assertThat(fixture.marathon.logins()).isGreaterThanOrEqualTo(2);
        canary.assertNoLeak();
    }

    private static String serviceAccountJson(String uid, KeyPair key) {
        String pem =
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes())
                                .encodeToString(key.getPrivate().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n";
        return "{\"uid\": \""
                + uid
                + "\", \"scheme\": \"RS256\", \"private_key\": \""
                + pem.replace("\n", "\\n")
                + "\"}";
    }
}
