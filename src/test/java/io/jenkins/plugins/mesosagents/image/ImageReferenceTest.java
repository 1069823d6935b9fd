package io.jenkins.plugins.mesosagents.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageReferenceTest {
    private static final String SHA = "sha256:" + "a".repeat(64);

    @ParameterizedTest
    @CsvSource({
        "busybox, docker.io, library/busybox, latest, ",
        "busybox:1.36, docker.io, library/busybox, 1.36, ",
        "jenkins/agent:jdk17, docker.io, jenkins/agent, jdk17, ",
        "index.docker.io/jenkins/agent, docker.io, jenkins/agent, latest, ",
        "docker.io/ubuntu, docker.io, library/ubuntu, latest, ",
        "localhost/app, localhost, app, latest, ",
        "localhost:5000/team/sub/app:v2, localhost:5000, team/sub/app, v2, ",
        "127.0.0.1:45123/a/b/c/d:1.0-rc_1, 127.0.0.1:45123, a/b/c/d, 1.0-rc_1, ",
        "registry.example.com/a.b/c__d/e--f, registry.example.com, a.b/c__d/e--f, latest, ",
        "[::1]:5000/app:x, [::1]:5000, app, x, ",
        "Registry.Example.com/app, Registry.Example.com, app, latest, ",
    })
    void parsesAndNormalises(
            String text, String registry, String repository, String tag, String unused) {
        ImageReference ref = ImageReference.parse(text);
        assertThat(ref.registry()).isEqualTo(registry);
        assertThat(ref.repository()).isEqualTo(repository);
        assertThat(ref.tag()).isEqualTo(tag);
        assertThat(ref.digest()).isNull();
    }

    @Test
    void digestOnlyHasNoTagAndIsTheManifestReference() {
        ImageReference ref = ImageReference.parse("quay.io/org/app@" + SHA);
        assertThat(ref.tag()).isNull();
        assertThat(ref.manifestReference()).isEqualTo(SHA);
        assertThat(ref).hasToString("quay.io/org/app@" + SHA);
    }

    @Test
    void tagAndDigestBothKept() {
        ImageReference ref = ImageReference.parse("host:5000/app:1.0@" + SHA);
        assertThat(ref.tag()).isEqualTo("1.0");
        assertThat(ref.digest()).hasToString(SHA);
        assertThat(ref.manifestReference()).isEqualTo(SHA);
        assertThat(ref.withTag("2.0").toString()).isEqualTo("host:5000/app:2.0");
    }

    @Test
    void dockerHubTalksToRegistryOne() {
        assertThat(ImageReference.parse("ubuntu").apiHost()).isEqualTo("registry-1.docker.io");
        assertThat(ImageReference.parse("my.reg:443/ubuntu").apiHost()).isEqualTo("my.reg:443");
        assertThat(ImageReference.parse("ubuntu")).hasToString("docker.io/library/ubuntu:latest");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "''| the reference is empty",
                "Team/App| component \"App\" has upper-case letters",
                "app:| the tag \"\" is invalid",
                "app:-x| the tag \"-x\" is invalid",
                "app:has space| the tag \"has space\" is invalid",
                "reg.io:99999/app| the registry port \"99999\"",
                "reg.io:abc/app| the registry port \"abc\"",
                "-bad-.io/app| the registry host \"-bad-.io\" is invalid",
                "reg.io/| the repository path after the registry is empty",
                "reg.io/a//b| component \"\" is empty",
                "reg.io/a/b_-c| component \"b_-c\" may only contain",
                "app@sha256:abc| the digest \"sha256:abc\" is malformed",
                "app@nodigest| the digest \"nodigest\" is malformed",
                "' app'| leading or trailing whitespace",
                ":tag| the repository name is missing",
            })
    void rejectsMalformedReferencesNamingTheBadPart(String text, String expected) {
        assertThatThrownBy(() -> ImageReference.parse(text))
                .isInstanceOf(InvalidImageReferenceException.class)
                .hasMessageContaining(expected)
                .hasMessageContaining("Expected [registry[:port]/]path");
    }

    @Test
    void rejectsOverlongNames() {
        assertThatThrownBy(() -> ImageReference.parse("reg.io/" + "a/".repeat(130) + "b"))
                .hasMessageContaining("longer than 255");
    }

    @Test
    void digestOfBytesIsSha256Hex() {
        assertThat(Digest.sha256(""))
                .hasToString(
                        "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    /**
     * Found by probing long inputs by hand while writing ImageReferenceFuzzTest (whose inputs are at
     * most 4 KiB): the path-component regex recurses per separator, so a 100,000-character name
     * threw StackOverflowError on a 256 KiB thread stack before the length limit was checked.
     */
    @Test
    void anOverlongNameIsRefusedBeforeTheRegexRecursesOverIt() throws Exception {
        String text = "a-".repeat(50_000) + "a";
        Throwable[] thrown = new Throwable[1];
        Thread small =
                new Thread(
                        null,
                        () -> {
                            try {
                                ImageReference.parse(text);
                            } catch (Throwable t) {
                                thrown[0] = t;
                            }
                        },
                        "small-stack",
                        256 * 1024);
        small.start();
        small.join();

        assertThat(thrown[0])
                .isInstanceOf(InvalidImageReferenceException.class)
                .hasMessageContaining("longer than 255 characters");
    }

    @Test
    void aRegistryAddressIsCheckedLikeAReferencesFirstComponent() {
        assertThat(ImageReference.registryProblem("registry.example.com")).isNull();
        assertThat(ImageReference.registryProblem("localhost:5000")).isNull();
        assertThat(ImageReference.registryProblem("[::1]:5000")).isNull();
        assertThat(ImageReference.registryProblem("registry.example.com:0"))
                .isEqualTo(
                        "Invalid registry \"registry.example.com:0\": the registry port \"0\" is"
                                + " not a number 1-65535. Expected host[:port], e.g."
                                + " registry.example.com or localhost:5000");
        assertThat(ImageReference.registryProblem("reg_istry.example.com"))
                .contains("the registry host \"reg_istry.example.com\" is invalid");
        assertThat(ImageReference.registryProblem("registry.example.com/team"))
                .contains("without a scheme or path");
        assertThat(ImageReference.registryProblem(" ")).contains("it is empty");
    }
}
