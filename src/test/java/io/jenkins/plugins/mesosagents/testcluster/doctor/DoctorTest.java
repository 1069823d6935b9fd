package io.jenkins.plugins.mesosagents.testcluster.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jenkins.plugins.mesosagents.testcluster.mesos.AgentConfig;
import io.jenkins.plugins.mesosagents.testcluster.mesos.MesosSimConfig;
import io.jenkins.plugins.mesosagents.testcluster.mesos.MesosSimulator;

import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * {@code test-cluster/doctor} against the simulated master: one test per exit code, both encodings,
 * a JSON-only master, and that it launches nothing and leaves no framework behind.
 */
class DoctorTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;
    private MesosSimulator sim;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private MesosSimConfig.Builder cluster() {
        return MesosSimConfig.builder(dir.resolve("sim"))
                .heartbeatInterval(Duration.ofMillis(200))
                .allocationInterval(Duration.ofMillis(100))
                .agent(AgentConfig.of("agent1.local", 2, 2048))
                .agent(AgentConfig.of("agent2.local", 4, 4096));
    }

    private Path templates(String templatesYaml) throws Exception {
        Path file = dir.resolve("casc.yaml");
        Files.writeString(
                file,
                "jenkins:\n  clouds:\n    - mesosAgents:\n        name: test\n"
                        + "        templates:\n"
                        + templatesYaml);
        return file;
    }

    private int doctor(String... args) throws Exception {
        return Doctor.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    private static final String FITTING =
            "          - name: small\n            cpus: 1\n            memMb: 512\n"
                    + "          - name: big\n            cpus: 3\n            memMb: 3000\n";

    @Test
    void exit0WhenEveryTemplateFitsWithProtobuf() throws Exception {
        sim = MesosSimulator.start(cluster().build());

        int code =
                doctor(
                        "--master",
                        sim.leaderUrl().toString(),
                        "--templates",
                        "" + templates(FITTING),
                        "--seconds",
                        "10");

        assertThat(code).as(output()).isZero();
        assertThat(output())
                .contains("template small: fits on 2 of 2 hosts (agent1.local, agent2.local)")
                .contains("template big: fits on 1 of 2 hosts (agent2.local)")
                .contains("Result 0 (ALL_FIT)");
        assertNothingLaunchedAndFrameworkGone("jenkins-doctor");
    }

    @Test
    void exit0WithJsonToo() throws Exception {
        sim = MesosSimulator.start(cluster().build());

        int code =
                doctor(
                        "--master",
                        sim.leaderUrl().toString(),
                        "--encoding",
                        "json",
                        "--templates",
                        "" + templates(FITTING),
                        "--seconds",
                        "10");

        assertThat(code).as(output()).isZero();
        assertThat(output()).contains("template big: fits on 1 of 2 hosts");
        assertNothingLaunchedAndFrameworkGone("jenkins-doctor");
    }

    @Test
    void exit1WithTheEnginesReasonWhenATemplateFitsNowhere() throws Exception {
        sim = MesosSimulator.start(cluster().build());
        Path file =
                templates(
                        FITTING
                                + "          - name: huge\n            cpus: 1\n"
                                + "            memMb: 65536\n"
                                + "          - name: rack\n            constraints: rack:EQ:r9\n");

        int code =
                doctor(
                        "--master",
                        sim.leaderUrl().toString(),
                        "--templates",
                        "" + file,
                        "--seconds",
                        "3");

        assertThat(code).as(output()).isEqualTo(1);
        assertThat(output())
                .contains("template small: fits on 2 of 2 hosts")
                .contains(
                        "template huge: does NOT fit: INSUFFICIENT_MEM - needs 65536 mem per"
                                + " agent; the best of 2 offers had 4096 (agent2.local)")
                .contains("template rack: does NOT fit: CONSTRAINT_UNMET - constraint rack:EQ:r9")
                .contains("what to do:")
                .contains("Result 1 (SOME_NEVER_FIT)");
        assertNothingLaunchedAndFrameworkGone("jenkins-doctor");
    }

    @Test
    void exit2WhenNoMasterAnswers() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }

        int code = doctor("--master", "http://127.0.0.1:" + port, "--seconds", "2");

        assertThat(code).as(output()).isEqualTo(2);
        assertThat(output()).contains("127.0.0.1:" + port).contains("Result 2 (UNREACHABLE)");
    }

    @Test
    void findsTheLeaderThroughZooKeeperAndSays2WhenThereIsNone() throws Exception {
        try (TestingServer zookeeper = new TestingServer(true)) {
            int none =
                    doctor(
                            "--master",
                            "zk://" + zookeeper.getConnectString() + "/mesos",
                            "--seconds",
                            "2");
            assertThat(none).as(output()).isEqualTo(2);
            assertThat(output()).contains("no leading Mesos master known");

            out.reset();
            sim =
                    MesosSimulator.start(
                            cluster().masters(2).zookeeper(zookeeper.getConnectString()).build());
            int code =
                    doctor(
                            "--master",
                            sim.zkUrl().orElseThrow(),
                            "--templates",
                            "" + templates(FITTING),
                            "--seconds",
                            "10");
            assertThat(code).as(output()).isZero();
            assertThat(output()).contains("at the leading master " + sim.leaderUrl());
            assertNothingLaunchedAndFrameworkGone("jenkins-doctor");
        }
    }

    @Test
    void exit3WhenTheMasterRefusesTheCredentials() throws Exception {
        sim = MesosSimulator.start(cluster().credential("jenkins", "right").build());
        Path secret = Files.writeString(dir.resolve("secret"), "wrong\n");

        int code =
                doctor(
                        "--master",
                        sim.leaderUrl().toString(),
                        "--principal",
                        "jenkins",
                        "--secret-file",
                        "" + secret,
                        "--seconds",
                        "10");

        assertThat(code).as(output()).isEqualTo(3);
        assertThat(output()).contains("401").doesNotContain("wrong").contains("AUTHENTICATION");

        out.reset();
        Files.writeString(secret, "right\n");
        assertThat(
                        doctor(
                                "--master",
                                sim.leaderUrl().toString(),
                                "--principal",
                                "jenkins",
                                "--secret-file",
                                "" + secret,
                                "--templates",
                                "" + templates(FITTING),
                                "--seconds",
                                "10"))
                .as(output())
                .isZero();
    }

    @Test
    void aDcosServiceAccountLogsInAndAWrongKeyIsExit3() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair registered = generator.generateKeyPair();
        sim =
                MesosSimulator.start(
                        cluster().serviceAccount("jenkins-sa", registered.getPublic()).build());

        int code =
                doctor(
                        "--master",
                        sim.gatewayUrl().orElseThrow().toString(),
                        "--dcos-service-account-file",
                        "" + serviceAccount("right.json", registered),
                        "--templates",
                        "" + templates(FITTING),
                        "--seconds",
                        "10");
        assertThat(code).as(output()).isZero();

        out.reset();
        int wrong =
                doctor(
                        "--master",
                        sim.gatewayUrl().orElseThrow().toString(),
                        "--dcos-service-account-file",
                        "" + serviceAccount("wrong.json", generator.generateKeyPair()),
                        "--seconds",
                        "10");
        assertThat(wrong).as(output()).isEqualTo(3);
        assertThat(output()).contains("DC/OS login").doesNotContain("PRIVATE KEY");
    }

    private Path serviceAccount(String file, KeyPair keys) throws Exception {
        String pem =
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(keys.getPrivate().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n";
        return Files.writeString(
                dir.resolve(file),
                JSON.writeValueAsString(java.util.Map.of("uid", "jenkins-sa", "private_key", pem)));
    }

    @Test
    void exit4WhenTheMastersCertificateIsNotTrustedAnd0WithItsCa() throws Exception {
        sim = MesosSimulator.start(cluster().tls(true).build());

        int code = doctor("--master", sim.leaderUrl().toString(), "--seconds", "10");

        assertThat(code).as(output()).isEqualTo(4);
        assertThat(output()).contains("Result 4 (TLS)");

        out.reset();
        int trusted =
                doctor(
                        "--master",
                        sim.leaderUrl().toString(),
                        "--ca-file",
                        "" + sim.caCertificate().orElseThrow(),
                        "--templates",
                        "" + templates(FITTING),
                        "--seconds",
                        "10");
        assertThat(trusted).as(output()).isZero();
        assertThat(output()).contains("fits on 2 of 2 hosts (agent1.local, agent2.local)");
    }

    @Test
    void exit5WhenSubscribedButNothingIsOffered() throws Exception {
        sim =
                MesosSimulator.start(
                        MesosSimConfig.builder(dir.resolve("sim"))
                                .heartbeatInterval(Duration.ofMillis(200))
                                .allocationInterval(Duration.ofMillis(100))
                                .build());

        int code =
                doctor(
                        "--master",
                        sim.leaderUrl().toString(),
                        "--templates",
                        "" + templates(FITTING),
                        "--seconds",
                        "2");

        assertThat(code).as(output()).isEqualTo(5);
        assertThat(output()).contains("0 offers from 0 hosts").contains("Result 5 (NO_OFFERS)");
        assertNothingLaunchedAndFrameworkGone("jenkins-doctor");
    }

    @Test
    void aJsonOnlyMasterWorksWithJsonAndWithProtobufByFallingBackAsTheCloudDoes() throws Exception {
        sim = MesosSimulator.start(cluster().jsonOnly(true).build());

        int json =
                doctor(
                        "--master",
                        sim.leaderUrl().toString(),
                        "--encoding",
                        "json",
                        "--templates",
                        "" + templates(FITTING),
                        "--seconds",
                        "10");
        assertThat(json).as(output()).isZero();

        out.reset();
        // the connection answers a 415 to protobuf by switching to JSON (docs/mesos-client.md),
        // so the doctor, connecting exactly as the cloud does, gets through too
        int protobuf =
                doctor(
                        "--master",
                        sim.leaderUrl().toString(),
                        "--templates",
                        "" + templates(FITTING),
                        "--seconds",
                        "10");
        assertThat(protobuf).as(output()).isZero();
        assertNothingLaunchedAndFrameworkGone("jenkins-doctor");
    }

    @Test
    void badCommandLinesAndFilesAreUsageErrors() throws Exception {
        assertThat(doctor("--seconds", "x", "--master", "http://127.0.0.1:1")).isEqualTo(64);
        assertThat(output()).contains("--seconds needs a whole number");
        assertThat(
                        doctor(
                                "--templates",
                                "" + templates("          - name: t\n            cpu: 1\n")))
                .isEqualTo(64);
        assertThat(output()).contains("unknown key 'cpu'");
        assertThat(doctor("--principal", "p", "--master", "http://127.0.0.1:1")).isEqualTo(64);
        assertThat(output()).contains("--principal and --secret-file go together");
        assertThat(doctor("--master", "mesos-master:5050")).isEqualTo(64);
        assertThat(output()).contains("'mesos-master:5050': use http://, https:// or zk://");
        assertThat(doctor("--seconds", "1")).isEqualTo(64);
        assertThat(output()).contains("--master is required");
    }

    private void assertNothingLaunchedAndFrameworkGone(String name) throws Exception {
        assertThat(sim.tasks()).as("the doctor never launches").isEmpty();
        JsonNode state = JSON.readTree(sim.stateJson());
        List<String> frameworks = new ArrayList<>();
        state.path("frameworks").forEach(f -> frameworks.add(f.path("name").asText()));
        assertThat(frameworks).as("torn down").doesNotContain(name);
        assertThat(state.path("completed_frameworks").size()).isPositive();
    }
}
