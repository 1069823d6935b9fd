package io.jenkins.plugins.mesosagents.image.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mesosagents.image.Digest;
import io.jenkins.plugins.mesosagents.image.registry.RegistryClient;
import io.jenkins.plugins.mesosagents.image.registry.RegistryCredentials;
import io.jenkins.plugins.mesosagents.testcluster.registry.QuirkyRegistry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

/**
 * config.json read the way the docker CLI reads it (docker/cli cli/config/configfile/file.go
 * GetCredentialsStore L321-327 and getConfiguredCredentialStore L396-403: a per-registry
 * credHelpers entry, else credsStore, else the auths entry; credentials/native_store.go L119-140: a
 * helper's "credentials not found" is anonymous access, and Username {@code <token>} marks an
 * identity token), with identity tokens exchanged by the OAuth2 refresh-token grant.
 */
class DockerConfigSemanticsTest {
    @TempDir Path dir;

    private static String auth(String userPass) {
        return Base64.getEncoder().encodeToString(userPass.getBytes());
    }

    /** A docker-credential-fake that answers from a fixed map and counts its calls. */
    private Path helper(String script) throws Exception {
        Path helper = dir.resolve("docker-credential-fake");
        Files.writeString(
                helper,
                "#!/bin/sh\nread url\necho x >> \"" + dir.resolve("calls") + "\"\n" + script);
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwx------"));
        return helper;
    }

    private int helperCalls() throws Exception {
        Path calls = dir.resolve("calls");
        return Files.exists(calls) ? Files.readAllLines(calls).size() : 0;
    }

    @Test
    void aCredentialHelperWinsOverAnAuthsEntryForTheSameRegistry() throws Exception {
        helper("echo '{\"Username\":\"from-helper\",\"Secret\":\"helper-secret\"}'\n");
        DockerConfig config =
                DockerConfig.parse(
                        "{\"auths\":{\"r.example.com\":{\"auth\":\""
                                + auth("stale:file-secret")
                                + "\"}},\"credHelpers\":{\"r.example.com\":\"fake\"}}",
                        "test",
                        dir.toString());

        assertThat(config.credentialsFor("r.example.com"))
                .hasValue(RegistryCredentials.basic("from-helper", "helper-secret"));
    }

    @Test
    void aCredsStoreThatHasNothingForTheRegistryMeansAnonymous() throws Exception {
        helper("echo 'credentials not found in native keychain'\nexit 1\n");
        DockerConfig config =
                DockerConfig.parse("{\"credsStore\":\"fake\"}", "test", dir.toString());

        assertThat(config.credentialsFor("r.example.com")).isEmpty();
    }

    @Test
    void helperAnswersAreCachedNotAskedForEveryRequest() throws Exception {
        helper("echo '{\"Username\":\"u\",\"Secret\":\"s\"}'\n");
        DockerConfig config =
                DockerConfig.parse(
                        "{\"credHelpers\":{\"r.example.com\":\"fake\"}}", "test", dir.toString());
        var source = config.sourceFor("r.example.com");

        for (int i = 0; i < 5; i++) {
            assertThat(source.credentials()).isEqualTo(RegistryCredentials.basic("u", "s"));
        }
        assertThat(helperCalls()).isEqualTo(1);
    }

    @Test
    void anIdentityTokenIsExchangedWithTheOAuth2RefreshTokenGrant() throws Exception {
        try (QuirkyRegistry registry = QuirkyRegistry.start().tokenAuth("someone", "unused")) {
            registry.refreshToken("refresh-from-docker-login");
            Digest digest = registry.putBlob("team/app", new byte[] {1, 2, 3});
            DockerConfig config =
                    DockerConfig.parse(
                            "{\"auths\":{\""
                                    + registry.hostPort()
                                    + "\":{\"auth\":\"\",\"identitytoken\":\"refresh-from-docker-login\"}}}",
                            "test",
                            null);
            RegistryClient client =
                    RegistryClient.builder(registry.hostPort())
                            .plainHttp(true)
                            .credentials(config.sourceFor(registry.hostPort()))
                            .build();

            assertThat(client.blobSize("team/app", digest)).hasValue(3);
            registry.revokeTokens();
            // the refresh token was rotated by the first exchange; the new one must be used
            assertThat(client.blobSize("team/app", digest)).hasValue(3);

            assertThat(registry.tokenRequestForms())
                    .hasSize(2)
                    .allSatisfy(
                            form ->
                                    assertThat(form)
                                            .contains("grant_type=refresh_token")
                                            .contains("service=quirky")
                                            .contains("scope=repository%3Ateam%2Fapp%3Apull"));
            assertThat(registry.tokenRequestForms().get(0))
                    .contains("refresh_token=refresh-from-docker-login");
            assertThat(registry.tokenRequestForms().get(1))
                    .doesNotContain("refresh-from-docker-login");
        }
    }

    @Test
    void anIdentityTokenFromAHelperIsUsedLikeOneFromTheFile() throws Exception {
        helper("echo '{\"Username\":\"<token>\",\"Secret\":\"helper-refresh\"}'\n");
        DockerConfig config =
                DockerConfig.parse(
                        "{\"credHelpers\":{\"r.example.com\":\"fake\"}}", "test", dir.toString());

        assertThat(config.credentialsFor("r.example.com"))
                .hasValueSatisfying(
                        credentials ->
                                assertThat(credentials.secret()).isEqualTo("helper-refresh"));
    }

    @Test
    void ecrDualStackHostsAreEcr() {
        assertThat(EcrRegistry.isEcr("123456789012.dkr-ecr.us-east-1.on.aws")).isTrue();
        assertThat(EcrRegistry.parse("123456789012.dkr-ecr-fips.us-gov-west-1.on.aws").region())
                .isEqualTo("us-gov-west-1");
        assertThat(EcrRegistry.parse("123456789012.dkr-ecr-fips.us-gov-west-1.on.aws").fips())
                .isTrue();
        assertThat(EcrRegistry.isEcr("123456789012.dkr-ecr.us-east-1.on.aws.evil.com")).isFalse();
    }
}
