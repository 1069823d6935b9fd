package io.jenkins.plugins.mesosagents.image.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mesosagents.image.registry.RegistryCredentials;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;

class DockerConfigTest {
    @TempDir Path dir;

    private static String auth(String userPass) {
        return Base64.getEncoder().encodeToString(userPass.getBytes());
    }

    @Test
    void findsAuthsByHostWhateverTheKeyShape() throws Exception {
        DockerConfig config =
                DockerConfig.parse(
                        "{\"auths\":{"
                                + "\"https://index.docker.io/v1/\":{\"auth\":\""
                                + auth("hubuser:hubpw")
                                + "\"},"
                                + "\"https://registry.example.com:5000/v2/\":{\"auth\":\""
                                + auth("bob:pw:with:colons")
                                + "\"},\"plain.example.com\":{\"username\":\"carol\",\"password\":\"cpw\"}}}",
                        "test",
                        null);
        assertThat(config.credentialsFor("docker.io"))
                .hasValue(RegistryCredentials.basic("hubuser", "hubpw"));
        assertThat(config.credentialsFor("registry.example.com:5000"))
                .hasValue(RegistryCredentials.basic("bob", "pw:with:colons"));
        assertThat(config.credentialsFor("plain.example.com"))
                .hasValue(RegistryCredentials.basic("carol", "cpw"));
        assertThat(config.credentialsFor("registry.example.com")).isEmpty();
        assertThat(config.sourceFor("plain.example.com").credentials())
                .isEqualTo(RegistryCredentials.basic("carol", "cpw"));
        assertThat(config.sourceFor("registry.example.com").credentials()).isNull();
    }

    @Test
    void asksTheCredentialHelperNamedForTheRegistry() throws Exception {
        Path helper = dir.resolve("docker-credential-fake");
        Files.writeString(
                helper,
                "#!/bin/sh\n"
                    + "read url\n"
                    + "[ \"$1\" = get ] || exit 3\n"
                    + "echo \"{\\\"ServerURL\\\":\\\"$url\\\",\\\"Username\\\":\\\"helper-user\\\",\\\"Secret\\\":\\\"for-$url\\\"}\"\n");
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwx------"));
        DockerConfig config =
                DockerConfig.parse(
                        "{\"credHelpers\":{\"ecr.example.com\":\"fake\"}}", "test", dir.toString());
        assertThat(config.credentialsFor("ecr.example.com"))
                .hasValue(RegistryCredentials.basic("helper-user", "for-ecr.example.com"));
        assertThat(config.credentialsFor("other.example.com")).isEmpty();

        DockerConfig store =
                DockerConfig.parse("{\"credsStore\":\"fake\"}", "test", dir.toString());
        assertThat(store.credentialsFor("docker.io"))
                .hasValue(
                        RegistryCredentials.basic(
                                "helper-user", "for-https://index.docker.io/v1/"));
    }

    @Test
    void missingHelperAndBadJsonAreExplainedWithoutLeakingContent() throws Exception {
        DockerConfig config =
                DockerConfig.parse(
                        "{\"credHelpers\":{\"r.example.com\":\"nosuch\"}}", "cfg.json", "/nowhere");
        assertThatThrownBy(() -> config.credentialsFor("r.example.com"))
                .hasMessageContaining("docker-credential-nosuch is not on PATH");
        assertThatThrownBy(
                        () ->
                                DockerConfig.parse(
                                        "{\"auths\":{\"x\":{\"auth\": s3cr3t}}}", "cfg.json", null))
                .hasMessageContaining("cfg.json is not valid JSON (line 1")
                .hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(
                        () ->
                                DockerConfig.parse(
                                                "{\"auths\":{\"x\":{\"auth\":\""
                                                        + auth("nocolon")
                                                        + "\"}}}",
                                                "cfg.json",
                                                null)
                                        .credentialsFor("x"))
                .hasMessageContaining("must be base64 of username:password");
    }

    @Test
    void authFileIsPrivateReadableByToolsAndRemoved() throws Exception {
        Path written;
        try (RegistryAuthFile file =
                RegistryAuthFile.write(
                        dir,
                        Map.of(
                                "127.0.0.1:5000", RegistryCredentials.basic("alice", "pw"),
                                "docker.io", RegistryCredentials.basic("hub", "hubpw")))) {
            written = file.file();
            assertThat(Files.getPosixFilePermissions(written))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.getPosixFilePermissions(file.directory()))
                    .isEqualTo(PosixFilePermissions.fromString("rwx------"));
            assertThat(file.environment())
                    .containsEntry("DOCKER_CONFIG", file.directory().toString())
                    .containsEntry("REGISTRY_AUTH_FILE", written.toString());
            DockerConfig readBack = DockerConfig.load(written);
            assertThat(readBack.credentialsFor("127.0.0.1:5000"))
                    .hasValue(RegistryCredentials.basic("alice", "pw"));
            assertThat(Files.readString(written)).contains("https://index.docker.io/v1/");
        }
        assertThat(written).doesNotExist();
        assertThat(written.getParent()).doesNotExist();
    }

    @Test
    void aFailedWriteLeavesNoDirectoryBehind() throws Exception {
        Path parent = Files.createDirectory(dir.resolve("agent-tmp"));
        Path broken =
                Files.writeString(
                        dir.resolve("outer.json"), "{\"auths\": {\"x\": {\"auth\": \"c2VjcmV0\"");
        assertThatThrownBy(
                        () ->
                                RegistryAuthFile.write(
                                        parent,
                                        Map.of("r", RegistryCredentials.basic("a", "canary-pw")),
                                        broken))
                .hasMessage("Cannot merge the registry logins into " + broken + ": not valid JSON");
        try (var left = Files.list(parent)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void credentialsNeverPrintTheirSecret() {
        assertThat(RegistryCredentials.basic("alice", "topsecret").toString())
                .doesNotContain("topsecret");
        assertThat(new AwsCredentials("AKID", "topsecret", "tok").toString())
                .doesNotContain("topsecret");
    }
}
