package io.jenkins.plugins.mesosagents.image.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;

import io.jenkins.plugins.mesosagents.image.ImageReference;
import io.jenkins.plugins.mesosagents.image.auth.RegistryAuthFile;
import io.jenkins.plugins.mesosagents.image.registry.Blob;
import io.jenkins.plugins.mesosagents.image.registry.Manifest;
import io.jenkins.plugins.mesosagents.image.registry.RegistryClient;
import io.jenkins.plugins.mesosagents.image.registry.RegistryCredentials;
import io.jenkins.plugins.mesosagents.testcluster.registry.LocalRegistry;
import io.jenkins.plugins.mesosagents.testcluster.registry.Skopeo;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Real buildah builds (vfs, chroot) pushed to a real TLS + htpasswd docker-registry, checked with
 * skopeo.
 */
class BuildahBuilderTest {
    static LocalRegistry registry;
    @TempDir Path dir;

    @BeforeAll
    static void startRegistry() throws Exception {
        registry = LocalRegistry.builder().user("builder", "build-pw").start();
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    private RegistryAuthFile authFile(String password) throws IOException {
        return RegistryAuthFile.write(
                dir, Map.of(registry.hostPort(), RegistryCredentials.basic("builder", password)));
    }

    @Test
    void buildsFromScratchWithCopyAndPushesSeveralTags() throws Exception {
        BuildahBuilder builder = Buildah.builder(dir.resolve("store"), registry);
        Path context = Files.createDirectories(dir.resolve("ctx"));
        Files.writeString(context.resolve("hello.txt"), "hello from the test\n");
        Files.writeString(
                context.resolve("Dockerfile"), "FROM scratch\nCOPY hello.txt /hello.txt\n");
        String repo = registry.hostPort() + "/team/scratch-app";
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        BuildResult built =
                builder.build(
                        BuildRequest.builder(context)
                                .tag(repo + ":1.0")
                                .tag(repo + ":latest")
                                .label("org.example.commit", "abc123")
                                .noCache(true)
                                .build(),
                        log::add);

        assertThat(built.imageId()).matches("sha256:[a-f0-9]{64}");
        assertThat(built.builder()).isEqualTo("buildah");
        assertThat(log)
                .anyMatch(
                        line ->
                                line.startsWith("Building with buildah: ")
                                        && line.contains("--isolation=chroot"));

        List<ImageReference> pushed;
        try (RegistryAuthFile auth = authFile("build-pw")) {
            pushed = builder.pushAll(repo + ":1.0", built.tags(), auth.file(), log::add);
        }
        assertThat(pushed).hasSize(2);
        assertThat(pushed.get(0).digest()).isEqualTo(pushed.get(1).digest());

        JsonNode inspected =
                Skopeo.inspect(registry, "builder", "build-pw", "team/scratch-app:1.0", false);
        assertThat(inspected.path("Digest").asText()).isEqualTo(pushed.get(0).digest().toString());
        assertThat(inspected.path("Labels").path("org.example.commit").asText())
                .isEqualTo("abc123");
        List<String> tags = new ArrayList<>();
        inspected.path("RepoTags").forEach(tag -> tags.add(tag.asText()));
        assertThat(tags).containsExactlyInAnyOrder("1.0", "latest");
        // the image id is the config digest, as skopeo sees it in the pushed manifest
        JsonNode raw =
                Skopeo.inspect(registry, "builder", "build-pw", "team/scratch-app:1.0", true);
        assertThat(raw.path("config").path("digest").asText()).isEqualTo(built.imageId());
    }

    @Test
    void runsRunOnABusyboxBaseWithBuildArgsAndTargetStage() throws Exception {
        BuildahBuilder builder = Buildah.builder(dir.resolve("store"), registry);
        Buildah.busyboxBase(builder, dir);
        Path context = Files.createDirectories(dir.resolve("app"));
        Files.writeString(
                context.resolve("ci.Dockerfile"),
                String.join(
                        "\n",
                        "FROM localhost/test-base:1 AS build",
                        "ARG FLAVOUR=plain",
                        "RUN echo \"made-$FLAVOUR\" > /made.txt",
                        "FROM build AS final",
                        "RUN echo never > /final.txt",
                        ""));
        String repo = registry.hostPort() + "/team/run-app";
        BuildResult built =
                builder.build(
                        BuildRequest.builder(context)
                                .dockerfile("ci.Dockerfile")
                                .tag(repo + ":v1")
                                .buildArg("FLAVOUR", "spicy")
                                .target("build")
                                .build(),
                        line -> {});
        ImageReference pushed;
        try (RegistryAuthFile auth = authFile("build-pw")) {
            pushed = builder.pushAll(repo + ":v1", built.tags(), auth.file(), line -> {}).get(0);
        }

        RegistryClient client =
                RegistryClient.builder(registry.hostPort())
                        .httpClient(registry.httpClient().build())
                        .credentials(RegistryCredentials.basic("builder", "build-pw"))
                        .build();
        Manifest manifest = client.manifest("team/run-app", pushed.digest().toString());
        Map<String, String> files = new java.util.HashMap<>();
        for (var layer : manifest.layers()) {
            try (Blob blob = client.openBlob("team/run-app", layer.digest())) {
                files.putAll(tarTextFiles(blob.stream()));
            }
        }
        assertThat(files).containsEntry("made.txt", "made-spicy\n").doesNotContainKey("final.txt");
        assertThat(files).containsKey("bin/sh");
    }

    @Test
    void missingDockerfileIsNamed() throws Exception {
        BuildahBuilder builder = Buildah.builder(dir.resolve("store"), registry);
        Path context = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(
                        () ->
                                builder.build(
                                        BuildRequest.builder(context)
                                                .dockerfile("docker/Dockerfile")
                                                .tag("localhost/x")
                                                .build(),
                                        line -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "Dockerfile not found: " + context.resolve("docker/Dockerfile"))
                .hasMessageContaining("relative to the build context");
    }

    @Test
    void failingRunStepReportsBuildahOutput() throws Exception {
        BuildahBuilder builder = Buildah.builder(dir.resolve("store"), registry);
        Buildah.busyboxBase(builder, dir);
        Path context = Files.createDirectories(dir.resolve("failing"));
        Files.writeString(
                context.resolve("Dockerfile"),
                "FROM localhost/test-base:1\nRUN echo broken-step >&2; exit 3\n");
        assertThatThrownBy(
                        () ->
                                builder.build(
                                        BuildRequest.builder(context)
                                                .tag("localhost/failing")
                                                .build(),
                                        l -> {}))
                .isInstanceOf(ImageBuildException.class)
                .hasMessageContaining(
                        "buildah bud of "
                                + context.resolve("Dockerfile")
                                + " failed with exit code")
                .hasMessageContaining("broken-step");
    }

    @Test
    void pushWithAWrongPasswordFailsWithTheRegistryReason() throws Exception {
        BuildahBuilder builder = Buildah.builder(dir.resolve("store"), registry);
        Path context = Files.createDirectories(dir.resolve("ctx2"));
        Files.writeString(
                context.resolve("Dockerfile"), "FROM scratch\nCOPY Dockerfile /Dockerfile\n");
        String ref = registry.hostPort() + "/team/denied:1";
        builder.build(BuildRequest.builder(context).tag(ref).build(), line -> {});
        try (RegistryAuthFile auth = authFile("not-the-password")) {
            assertThatThrownBy(
                            () ->
                                    builder.push(
                                            ref,
                                            ImageReference.parse(ref),
                                            auth.file(),
                                            line -> {}))
                    .isInstanceOf(ImageBuildException.class)
                    .hasMessageContaining("buildah push of " + ref + " failed")
                    .hasMessageContaining("unauthorized");
        }
    }

    @Test
    void temporaryAuthFileServesToolsThroughRegistryAuthFile() throws Exception {
        BuildahBuilder builder = Buildah.builder(dir.resolve("store"), registry);
        Path context = Files.createDirectories(dir.resolve("ctx3"));
        Files.writeString(
                context.resolve("Dockerfile"), "FROM scratch\nCOPY Dockerfile /Dockerfile\n");
        String ref = registry.hostPort() + "/team/env-auth:1";
        builder.build(BuildRequest.builder(context).tag(ref).build(), line -> {});
        Path written;
        try (RegistryAuthFile auth = authFile("build-pw")) {
            written = auth.file();
            // what a credentials block hands to `sh` steps: no --authfile/--creds, only the
            // environment
            ProcessBuilder push =
                    new ProcessBuilder(
                                    "buildah",
                                    "--root",
                                    dir.resolve("store/root").toString(),
                                    "--runroot",
                                    dir.resolve("store/runroot").toString(),
                                    "--storage-driver",
                                    "vfs",
                                    "push",
                                    "--cert-dir=" + registry.certDir(),
                                    ref,
                                    "docker://" + ref)
                            .redirectErrorStream(true);
            push.environment().putAll(auth.environment());
            Process process = push.start();
            String output =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor()).as(output).isZero();
            ProcessBuilder inspect =
                    new ProcessBuilder(
                                    "skopeo",
                                    "inspect",
                                    "--cert-dir",
                                    registry.certDir().toString(),
                                    "docker://" + ref)
                            .redirectErrorStream(true);
            inspect.environment().putAll(auth.environment());
            Process skopeo = inspect.start();
            String json =
                    new String(skopeo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(skopeo.waitFor()).as(json).isZero();
            assertThat(json).contains("\"Name\": \"" + registry.hostPort() + "/team/env-auth\"");
        }
        assertThat(written).doesNotExist();
    }

    /** Regular files of a gzipped tar, by path, as text. */
    static Map<String, String> tarTextFiles(InputStream gzipped) throws IOException {
        Map<String, String> files = new java.util.HashMap<>();
        InputStream tar = new GZIPInputStream(gzipped);
        byte[] header = new byte[512];
        while (tar.readNBytes(header, 0, 512) == 512) {
            String name = new String(header, 0, 100, StandardCharsets.UTF_8).replace("\0", "");
            if (name.isEmpty()) {
                break;
            }
            long size =
                    Long.parseLong(
                            new String(header, 124, 12, StandardCharsets.US_ASCII)
                                    .replace("\0", "")
                                    .trim(),
                            8);
            byte type = header[156];
            byte[] content = tar.readNBytes((int) size);
            tar.skipNBytes((512 - size % 512) % 512);
            if (type == '0' || type == 0) {
                files.put(
                        name.startsWith("./") ? name.substring(2) : name,
                        size < 1 << 16
                                ? new String(content, StandardCharsets.UTF_8)
                                : "<" + size + " bytes>");
            }
        }
        tar.transferTo(new ByteArrayOutputStream());
        return files;
    }
}
