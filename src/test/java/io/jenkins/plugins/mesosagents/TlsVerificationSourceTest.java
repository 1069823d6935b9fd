package io.jenkins.plugins.mesosagents;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * No production code can turn TLS verification off except a registry marked insecure (the registry
 * steps' {@code insecure}, as buildah's {@code --tls-verify=false}): the only trust manager that
 * accepts everything and the only host name verifier are in RegistryConnection. The Mesos client,
 * DC/OS login and Marathon only add CA certificates to the JDK's checks. A new trust-all manager or
 * verifier anywhere else fails this test.
 */
class TlsVerificationSourceTest {
    private static final Pattern TURNS_VERIFICATION_OFF =
            Pattern.compile(
                    "hostnameVerifier\\s*\\(|implements\\s+X509(Extended)?TrustManager"
                            + "|checkServerTrusted|setDefaultHostnameVerifier|ALLOW_ALL");

    @Test
    void onlyInsecureRegistriesSkipCertificateChecks() throws IOException {
        List<String> offenders;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            offenders =
                    files.filter(f -> f.toString().endsWith(".java"))
                            .filter(f -> TURNS_VERIFICATION_OFF.matcher(read(f)).find())
                            .map(f -> f.getFileName().toString())
                            .toList();
        }
        assertThat(offenders).containsExactly("RegistryConnection.java");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
