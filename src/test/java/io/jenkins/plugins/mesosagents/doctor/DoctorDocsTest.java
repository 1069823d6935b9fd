package io.jenkins.plugins.mesosagents.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mesosagents.engine.WaitReason;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every why-waiting reason has a remedy and a section in docs/troubleshooting.md, and every exit
 * code is documented there; connection failures map to the documented codes.
 */
class DoctorDocsTest {
    private static final Path DOCS =
            Path.of(System.getProperty("project.basedir", ".")).resolve("docs/troubleshooting.md");

    @Test
    void everyReasonHasARemedyAndADocumentedSection() throws Exception {
        String docs = Files.readString(DOCS);
        for (WaitReason reason : WaitReason.values()) {
            assertThat(Remedies.of(reason)).isNotBlank();
            Matcher heading =
                    Pattern.compile("^### .*\\b" + reason.name() + "\\b", Pattern.MULTILINE)
                            .matcher(docs);
            assertThat(heading.find()).as("section for " + reason).isTrue();
        }
    }

    @Test
    void everyExitCodeIsDocumented() throws Exception {
        String docs = Files.readString(DOCS);
        for (DoctorReport.Outcome outcome : DoctorReport.Outcome.values()) {
            assertThat(docs).contains("| " + outcome.exitCode() + " | ");
        }
    }

    @Test
    void connectionFailuresMapToTheirExitCodes() {
        assertThat(
                        ClusterDoctor.classify(
                                "SUBSCRIBE to https://m:5050/api/v1/scheduler failed:"
                                        + " SSLHandshakeException: PKIX path building failed"))
                .isEqualTo(DoctorReport.Outcome.TLS);
        assertThat(
                        ClusterDoctor.classify(
                                "SUBSCRIBE call to http://m:5050/api/v1/scheduler failed: HTTP 401"
                                        + " \"\" (authentication failed: check the principal)"))
                .isEqualTo(DoctorReport.Outcome.AUTHENTICATION);
        assertThat(
                        ClusterDoctor.classify(
                                "SUBSCRIBE to http://m:5050/ failed: IOException: DC/OS login of"
                                        + " service account 'x' at https://m/acs failed: HTTP 401"))
                .isEqualTo(DoctorReport.Outcome.AUTHENTICATION);
        assertThat(
                        ClusterDoctor.classify(
                                "SUBSCRIBE to http://127.0.0.1:1/ failed: ConnectException:"
                                        + " Connection refused"))
                .isEqualTo(DoctorReport.Outcome.UNREACHABLE);
        assertThat(ClusterDoctor.classify("no leading Mesos master known (zk://z/mesos)"))
                .isEqualTo(DoctorReport.Outcome.UNREACHABLE);
    }
}
