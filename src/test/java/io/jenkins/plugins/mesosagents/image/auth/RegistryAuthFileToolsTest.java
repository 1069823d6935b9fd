package io.jenkins.plugins.mesosagents.image.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jenkins.plugins.mesosagents.image.registry.Manifest;
import io.jenkins.plugins.mesosagents.image.registry.RegistryClient;
import io.jenkins.plugins.mesosagents.image.registry.RegistryCredentials;
import io.jenkins.plugins.mesosagents.image.registry.TestImages;
import io.jenkins.plugins.mesosagents.testcluster.registry.LocalRegistry;
import io.jenkins.plugins.mesosagents.testcluster.registry.Skopeo;
import io.jenkins.plugins.mesosagents.testcluster.registry.TokenIssuer;

import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What buildah, podman and skopeo (containers/image) actually read from the auth file the steps
 * write, checked with the real skopeo against a real token-auth docker-registry: an access token
 * with its username works, a bare bearer token ({@code registrytoken}, which only the docker CLI
 * reads) leaves skopeo anonymous, so the file for those tools refuses it with a clear error.
 */
class RegistryAuthFileToolsTest {
    private static final String TOKEN = "ghp_personal-access-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    static Path work;
    static TokenIssuer issuer;
    static LocalRegistry registry;
    static Manifest pushed;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("auth-file-tools-");
        // a token service that takes the personal access token as the user's password, as
        // GHCR, Docker Hub and GitLab do
        issuer = new TokenIssuer(work).user("octocat", TOKEN, "pull", "push");
        registry = LocalRegistry.builder().tokenAuth(issuer).start();
        pushed =
                TestImages.push(
                        RegistryClient.builder(registry.hostPort())
                                .httpClient(registry.httpClient().build())
                                .credentials(RegistryCredentials.basic("octocat", TOKEN))
                                .build(),
                        "team/app",
                        "1",
                        21,
                        300);
    }

    @AfterAll
    static void stop() throws Exception {
        registry.close();
        issuer.close();
        try (Stream<Path> paths = Files.walk(work)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Test
    void anAccessTokenWithItsUsernameReachesSkopeo() throws Exception {
        try (RegistryAuthFile file =
                RegistryAuthFile.write(
                        work,
                        Map.of(registry.hostPort(), RegistryCredentials.basic("octocat", TOKEN)),
                        null,
                        RegistryAuthFile.Readers.CONTAINERS_IMAGE)) {
            String raw = Skopeo.inspectRawWithAuthFile(registry, file.file(), "team/app:1");

            assertThat(raw.getBytes(StandardCharsets.UTF_8)).isEqualTo(pushed.bytes());
        }
    }

    @Test
    void aBareBearerTokenInTheAuthFileLeavesSkopeoAnonymous() throws Exception {
        String token = tokenFor("repository:team/app:pull");
        // the token itself is good: our client reads the manifest with it
        RegistryClient withToken =
                RegistryClient.builder(registry.hostPort())
                        .httpClient(registry.httpClient().build())
                        .credentials(RegistryCredentials.bearer(token))
                        .build();
        assertThat(withToken.manifest("team/app", "1").digest()).isEqualTo(pushed.digest());

        try (RegistryAuthFile file =
                RegistryAuthFile.write(
                        work,
                        Map.of(registry.hostPort(), RegistryCredentials.bearer(token)),
                        null,
                        RegistryAuthFile.Readers.DOCKER_CLI)) {
            JsonNode entry =
                    JSON.readTree(file.file().toFile()).path("auths").path(registry.hostPort());
            assertThat(entry.path("registrytoken").asText()).isEqualTo(token);

            // containers/image reads only "auth" and "identitytoken": skopeo goes anonymous
            int anonymousBefore = issuer.anonymousRequests();
            assertThatThrownBy(
                            () ->
                                    Skopeo.inspectRawWithAuthFile(
                                            registry, file.file(), "team/app:1"))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("unable to retrieve auth token");
            assertThat(issuer.anonymousRequests()).isGreaterThan(anonymousBefore);
        }
    }

    @Test
    void buildahPodmanAndSkopeoAreNotGivenABearerTokenTheyWouldIgnore() {
        assertThatThrownBy(
                        () ->
                                RegistryAuthFile.write(
                                        work,
                                        Map.of(
                                                "ghcr.io",
                                                RegistryCredentials.bearer("ghp_secret-value")),
                                        null,
                                        RegistryAuthFile.Readers.CONTAINERS_IMAGE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ghcr.io")
                .hasMessageContaining("'username'")
                .hasMessageContaining("buildah")
                .hasMessageNotContaining("ghp_secret-value");
    }

    @Test
    void anIdentityTokenEntryHasTheAuthContainersImageNeedsToReadIt() throws Exception {
        try (RegistryAuthFile file =
                RegistryAuthFile.write(
                        work,
                        Map.of("myregistry.azurecr.io", RegistryCredentials.identityToken("rt-1")),
                        null,
                        RegistryAuthFile.Readers.CONTAINERS_IMAGE)) {
            JsonNode entry =
                    JSON.readTree(file.file().toFile()).path("auths").path("myregistry.azurecr.io");
            // containers/image drops an entry whose auth is not user:password, identitytoken too
            assertThat(
                            new String(
                                    Base64.getDecoder().decode(entry.path("auth").asText()),
                                    StandardCharsets.UTF_8))
                    .isEqualTo("<token>:");
            assertThat(entry.path("identitytoken").asText()).isEqualTo("rt-1");
            assertThat(DockerConfig.load(file.file()).credentialsFor("myregistry.azurecr.io"))
                    .hasValue(RegistryCredentials.identityToken("rt-1"));
        }
    }

    private static String tokenFor(String scope) throws IOException {
        OkHttpClient http = new OkHttpClient();
        HttpUrl url =
                HttpUrl.get(issuer.realm())
                        .newBuilder()
                        .addQueryParameter("service", TokenIssuer.SERVICE)
                        .addQueryParameter("scope", scope)
                        .build();
        try (Response response =
                http.newCall(
                                new Request.Builder()
                                        .url(url)
                                        .header(
                                                "Authorization",
                                                Credentials.basic("octocat", TOKEN))
                                        .build())
                        .execute()) {
            assertThat(response.code()).isEqualTo(200);
            return JSON.readTree(response.body().string()).path("token").asText();
        }
    }
}
