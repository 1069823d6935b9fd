package io.jenkins.plugins.mesosagents.image.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jenkins.plugins.mesosagents.SecretCanary;
import io.jenkins.plugins.mesosagents.image.ImageReference;
import io.jenkins.plugins.mesosagents.image.promote.ImagePromoter;
import io.jenkins.plugins.mesosagents.testcluster.registry.LocalRegistry;
import io.jenkins.plugins.mesosagents.testcluster.registry.QuirkyRegistry;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Registry passwords, bearer tokens and the tokens a registry issues never reach a log record (all
 * loggers, all levels), an exception's message or trace, or the progress lines a build prints:
 * against the real docker-registry (HTTP Basic) refusing a wrong password, and {@link
 * QuirkyRegistry} issuing tokens, then refusing stale ones and a wrong login, and a promotion whose
 * target login is wrong.
 */
class RegistrySecretCanaryTest {
    private static final String RIGHT = "canary-registry-right-4b2c";
    private static final String WRONG = "canary-registry-wrong-77ad";
    private static final String BEARER = "canary-registry-bearer-1f0e";

    private final SecretCanary canary =
            SecretCanary.watch(
                    RIGHT,
                    WRONG,
                    BEARER,
                    RegistryCredentials.basic("alice", RIGHT).dockerConfigAuth(),
                    RegistryCredentials.basic("alice", WRONG).dockerConfigAuth(),
                    RegistryCredentials.basic("robot", RIGHT).dockerConfigAuth(),
                    RegistryCredentials.basic("robot", WRONG).dockerConfigAuth());
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
        canary.close();
    }

    private void refused(String where, ThrowingCall call) {
        Throwable e = catchThrowable(call::run);
        assertThat(e).as(where).isNotNull();
        canary.thrown(where, e);
    }

    interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void theRealRegistryRefusingAWrongPasswordOrBearerTokenShowsNeither() throws Exception {
        LocalRegistry registry = LocalRegistry.builder().user("alice", RIGHT).tls(false).start();
        cleanup.add(registry);
        RegistryClient right =
                RegistryClient.builder(registry.hostPort())
                        .plainHttp(true)
                        .credentials(RegistryCredentials.basic("alice", RIGHT))
                        .build();
        TestImages.push(right, "canary/app", "1", 1, 300);
        for (RegistryCredentials login :
                List.of(
                        RegistryCredentials.basic("alice", WRONG),
                        RegistryCredentials.bearer(BEARER))) {
            RegistryClient client =
                    RegistryClient.builder(registry.hostPort())
                            .plainHttp(true)
                            .credentials(login)
                            .retries(1, Duration.ofMillis(1))
                            .build();
            refused("manifest with " + login, () -> client.manifest("canary/app", "1"));
            refused(
                    "push with " + login,
                    () -> TestImages.push(client, "canary/other", "1", 2, 100));
            canary.shown("the client", client);
        }
        assertThat(canary.logRecords()).isGreaterThan(0);
        canary.assertNoLeak();
    }

    @Test
    void issuedTokensAndLoginsStayOutOfMessagesWhenTokensGoStaleAndPromotionsFail()
            throws Exception {
        QuirkyRegistry source = QuirkyRegistry.start().tokenAuth("robot", RIGHT);
        cleanup.add(source);
        QuirkyRegistry target = QuirkyRegistry.start().tokenAuth("robot", RIGHT);
        cleanup.add(target);
        RegistryClient from = client(source, RIGHT);
        TestImages.push(from, "dev/app", "1", 3, 2000, 3000);
        source.calls().stream()
                .map(QuirkyRegistry.Call::authorization)
                .filter(a -> a != null && a.startsWith("Bearer "))
                .forEach(a -> canary.secret(a.substring("Bearer ".length())));
        assertThat(source.tokenRequests()).isPositive();

        source.revokeTokens();
        refused(
                "manifest with a stale token",
                () -> client(source, WRONG).manifest("dev/app", "1"));

        List<String> progress = new ArrayList<>();
        refused(
                "promotion to a target with a wrong login",
                () ->
                        new ImagePromoter(progress::add, 2, true)
                                .promote(
                                        client(source, RIGHT),
                                        ImageReference.parse(source.hostPort() + "/dev/app:1"),
                                        client(target, WRONG),
                                        ImageReference.parse(target.hostPort() + "/prod/app:1")));
        canary.shown("promotion progress", progress);
        canary.assertNoLeak();
    }

    private static RegistryClient client(QuirkyRegistry registry, String password) {
        return RegistryClient.builder(registry.hostPort())
                .plainHttp(true)
                .credentials(RegistryCredentials.basic("robot", password))
                .retries(1, Duration.ofMillis(1))
                .build();
    }
}
