package io.jenkins.plugins.mesosagents.image.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mesosagents.image.Digest;
import io.jenkins.plugins.mesosagents.image.registry.RegistryException.Reason;
import io.jenkins.plugins.mesosagents.testcluster.registry.LocalRegistry;
import io.jenkins.plugins.mesosagents.testcluster.registry.TokenIssuer;

import okhttp3.OkHttpClient;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * The client against real docker-registry instances: htpasswd + TLS, and token auth with our own
 * issuer.
 */
class RegistryClientTest {
    static LocalRegistry basicRegistry;
    static TokenIssuer issuer;
    static LocalRegistry tokenRegistry;
    static Path issuerDir;

    @BeforeAll
    static void startRegistries() throws Exception {
        basicRegistry = LocalRegistry.builder().user("alice", "s3cret").start();
        issuerDir = Files.createTempDirectory("token-issuer-");
        issuer =
                new TokenIssuer(issuerDir)
                        .user("pusher", "pw1", "pull", "push")
                        .user("reader", "pw2", "pull");
        tokenRegistry = LocalRegistry.builder().tokenAuth(issuer).start();
    }

    @AfterAll
    static void stopRegistries() throws Exception {
        if (tokenRegistry != null) {
            tokenRegistry.close();
        }
        if (issuer != null) {
            issuer.close();
        }
        if (basicRegistry != null) {
            basicRegistry.close();
        }
        if (issuerDir != null) {
            try (var files = Files.walk(issuerDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static RegistryClient client(LocalRegistry registry, String user, String password) {
        return RegistryClient.builder(registry.hostPort())
                .plainHttp(!registry.tls())
                .httpClient(registry.httpClient().build())
                .credentials(RegistryCredentials.basic(user, password))
                .retries(2, java.time.Duration.ofMillis(10))
                .build();
    }

    @Test
    void basicAuthOverTlsPushesAndReadsBackAnImage() throws Exception {
        RegistryClient client = client(basicRegistry, "alice", "s3cret");
        assertThat(client.challenge().isBasic()).isTrue();
        Manifest pushed = TestImages.push(client, "team/app", "v1", 1, 1000, 2000);

        Manifest byTag = client.manifest("team/app", "v1");
        Manifest byDigest = client.manifest("team/app", pushed.digest().toString());
        assertThat(byTag.digest()).isEqualTo(pushed.digest());
        assertThat(byDigest.bytes()).isEqualTo(pushed.bytes());
        assertThat(byTag.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(byTag.layers()).hasSize(2);
        assertThat(client.blobSize("team/app", byTag.layers().get(1).digest())).hasValue(2000);
        assertThat(client.blobSize("team/app", Digest.sha256("absent"))).isEmpty();
        assertThat(client.tags("team/app")).containsExactly("v1");

        try (Blob blob = client.openBlob("team/app", byTag.layers().get(0).digest())) {
            assertThat(blob.stream().readAllBytes()).hasSize(1000);
        }
    }

    @Test
    void chunkedUploadFollowsTheOpaqueLocation() throws Exception {
        RegistryClient client = client(basicRegistry, "alice", "s3cret");
        byte[] content = new byte[250_000];
        new Random(7).nextBytes(content);
        Digest digest =
                client.uploadBlobChunked(
                        "chunked/repo",
                        Digest.sha256(content),
                        new ByteArrayInputStream(content),
                        64 * 1024);
        assertThat(digest).isEqualTo(Digest.sha256(content));
        assertThat(client.blobSize("chunked/repo", digest)).hasValue(250_000);
    }

    @Test
    void mountsABlobFromAnotherRepository() throws Exception {
        RegistryClient client = client(basicRegistry, "alice", "s3cret");
        Manifest pushed = TestImages.push(client, "mount/source", "v1", 2, 500);
        Digest layer = pushed.layers().get(0).digest();
        assertThat(client.blobSize("mount/target", layer)).isEmpty();
        assertThat(client.mountBlob("mount/target", layer, "mount/source")).isTrue();
        assertThat(client.blobSize("mount/target", layer)).hasValue(500);
        assertThat(client.mountBlob("mount/target2", Digest.sha256("nowhere"), "mount/source"))
                .isFalse();
    }

    @Test
    void wrongPasswordIsReportedAsBadCredentialsWithoutTheSecret() {
        RegistryClient client = client(basicRegistry, "alice", "wrong-password");
        assertThatThrownBy(() -> client.manifest("team/app", "v1"))
                .isInstanceOfSatisfying(
                        RegistryException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.BAD_CREDENTIALS))
                .hasMessageContaining("rejected the credentials of user 'alice'")
                .hasMessageContaining("Check the username and password")
                .hasMessageNotContaining("wrong-password");
    }

    @Test
    void missingCredentialsAreNamedAsSuch() {
        RegistryClient client =
                RegistryClient.builder(basicRegistry.hostPort())
                        .httpClient(basicRegistry.httpClient().build())
                        .build();
        assertThatThrownBy(() -> client.tags("team/app"))
                .hasMessageContaining("requires authentication to list the tags of team/app")
                .hasMessageContaining("Configure registry credentials");
    }

    @Test
    void unknownRepositoryAndTagAreNotFound() throws Exception {
        RegistryClient client = client(basicRegistry, "alice", "s3cret");
        TestImages.push(client, "known/repo", "v1", 3, 10);
        assertThatThrownBy(() -> client.manifest("known/repo", "nope"))
                .isInstanceOfSatisfying(
                        RegistryException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND))
                .hasMessageContaining("read the manifest known/repo:nope")
                .hasMessageContaining("no such tag or digest in 'known/repo'");
        assertThatThrownBy(() -> client.tags("never/pushed"))
                .hasMessageContaining("the repository 'never/pushed' does not exist");
    }

    @Test
    void uploadWithTheWrongDigestIsRefused() throws Exception {
        RegistryClient client = client(basicRegistry, "alice", "s3cret");
        byte[] content = "real content".getBytes(StandardCharsets.UTF_8);
        Digest claimed = Digest.sha256("other content");
        assertThatThrownBy(() -> client.uploadBlob("digest/repo", claimed, content))
                .hasMessageContaining(
                        "has digest "
                                + Digest.sha256(content)
                                + " but was announced as "
                                + claimed);
        // the streaming path cannot check before sending: the real registry refuses it
        assertThatThrownBy(
                        () ->
                                client.uploadBlob(
                                        "digest/repo",
                                        claimed,
                                        content.length,
                                        new ByteArrayInputStream(content)))
                .isInstanceOfSatisfying(
                        RegistryException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.DIGEST_MISMATCH))
                .hasMessageContaining("does not match its digest");
    }

    @Test
    void untrustedTlsCertificateSaysWhatToDo() {
        RegistryClient client =
                RegistryClient.builder(basicRegistry.hostPort())
                        .httpClient(new OkHttpClient())
                        .build();
        assertThatThrownBy(client::ping)
                .hasMessageContaining("TLS with registry " + basicRegistry.hostPort() + " failed")
                .hasMessageContaining("private CA");
    }

    @Test
    void bearerTokensAreFetchedPerScopeAndCached() throws Exception {
        RegistryClient client = client(tokenRegistry, "pusher", "pw1");
        assertThat(client.challenge().isBearer()).isTrue();
        assertThat(client.challenge().parameter("service")).isEqualTo(TokenIssuer.SERVICE);
        int before = issuer.tokenRequests();
        Manifest pushed = TestImages.push(client, "tok/app", "v1", 4, 100, 200, 300);
        for (int i = 0; i < 5; i++) {
            client.manifest("tok/app", "v1");
        }
        // the pull,push token for tok/app also serves the pulls, however many calls
        assertThat(issuer.tokenRequests() - before).isEqualTo(1);
        assertThat(issuer.scopesRequested()).contains("repository:tok/app:pull,push");
        assertThat(client.mountBlob("tok/other", pushed.layers().get(0).digest(), "tok/app"))
                .isTrue();
        assertThat(issuer.scopesRequested())
                .contains("repository:tok/other:pull,push", "repository:tok/app:pull");
        assertThat(issuer.tokenRequests() - before).isEqualTo(2);
    }

    @Test
    void expiredTokensAreFetchedAgain() throws Exception {
        java.util.concurrent.atomic.AtomicReference<java.time.Instant> now =
                new java.util.concurrent.atomic.AtomicReference<>(java.time.Instant.now());
        java.time.Clock clock =
                new java.time.Clock() {
                    @Override
                    public java.time.ZoneId getZone() {
                        return java.time.ZoneOffset.UTC;
                    }

                    @Override
                    public java.time.Clock withZone(java.time.ZoneId zone) {
                        return this;
                    }

                    @Override
                    public java.time.Instant instant() {
                        return now.get();
                    }
                };
        RegistryClient client =
                RegistryClient.builder(tokenRegistry.hostPort())
                        .httpClient(tokenRegistry.httpClient().build())
                        .credentials(RegistryCredentials.basic("pusher", "pw1"))
                        .clock(clock)
                        .build();
        TestImages.push(client, "exp/app", "v1", 8, 10);
        int before = issuer.tokenRequests();
        client.manifest("exp/app", "v1");
        assertThat(issuer.tokenRequests()).isEqualTo(before);
        now.set(now.get().plusSeconds(301)); // the issuer's tokens live 300 s
        client.manifest("exp/app", "v1");
        assertThat(issuer.tokenRequests()).isEqualTo(before + 1);
    }

    @Test
    void broaderTokensCoverNarrowerScopes() {
        assertThat(
                        RegistryAuthenticator.covers(
                                "repository:a:pull,push repository:b:pull",
                                List.of("repository:a:pull")))
                .isTrue();
        assertThat(
                        RegistryAuthenticator.covers(
                                "repository:a:pull,push", List.of("repository:a:push")))
                .isTrue();
        assertThat(
                        RegistryAuthenticator.covers(
                                "repository:a:pull", List.of("repository:a:pull,push")))
                .isFalse();
        assertThat(
                        RegistryAuthenticator.covers(
                                "repository:a:pull,push", List.of("repository:ab:pull")))
                .isFalse();
    }

    @Test
    void pullOnlyUserGetsAPermissionErrorOnPush() throws Exception {
        TestImages.push(client(tokenRegistry, "pusher", "pw1"), "perm/app", "v1", 5, 10);
        RegistryClient reader = client(tokenRegistry, "reader", "pw2");
        assertThat(reader.manifest("perm/app", "v1").layers()).hasSize(1);
        assertThatThrownBy(() -> TestImages.push(reader, "perm/app", "v2", 6, 10))
                .isInstanceOfSatisfying(
                        RegistryException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.PERMISSION_DENIED))
                .hasMessageContaining(
                        "does not allow user 'reader' to start a blob upload to perm/app")
                .hasMessageContaining("push permission on 'perm/app'");
    }

    @Test
    void tokenServiceRejectsBadPassword() {
        RegistryClient client = client(tokenRegistry, "pusher", "bad");
        assertThatThrownBy(() -> client.manifest("perm/app", "v1"))
                .isInstanceOfSatisfying(
                        RegistryException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.BAD_CREDENTIALS))
                .hasMessageContaining("token service of registry " + tokenRegistry.hostPort())
                .hasMessageContaining("rejected user 'pusher'")
                .hasMessageNotContaining("bad");
    }
}
