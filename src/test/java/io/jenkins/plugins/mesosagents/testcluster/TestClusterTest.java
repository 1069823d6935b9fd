package io.jenkins.plugins.mesosagents.testcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

class TestClusterTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final OkHttpClient HTTP =
            new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(10)).build();

    @TempDir Path work;

    static Path repo() {
        return Path.of(System.getProperty("project.basedir", "."));
    }

    @Test
    void shippedConfigStartsInProcessAndPluggedComponentsSeeEarlierEndpoints() throws Exception {
        AtomicReference<TestCluster.Context> seen = new AtomicReference<>();
        AtomicBoolean closed = new AtomicBoolean();
        ObjectNode doc =
                (ObjectNode) MAPPER.readTree(repo().resolve("test-cluster/cluster.json").toFile());
        doc.putObject("marathon").put("apps", 3);
        try (TestCluster cluster =
                TestCluster.builder(work)
                        .configJson(doc)
                        .mesosPort(0)
                        .component(
                                "marathon",
                                ctx -> {
                                    seen.set(ctx);
                                    return new TestCluster.Component() {
                                        @Override
                                        public Map<String, String> endpoints() {
                                            return Map.of("MARATHON", "http://127.0.0.1:1");
                                        }

                                        @Override
                                        public void close() {
                                            closed.set(true);
                                        }
                                    };
                                })
                        .start()) {
            assertThat(cluster.endpoints().keySet()).containsExactly("MESOS_MASTER", "MARATHON");
            assertThat(cluster.endpoints().get("MESOS_MASTER"))
                    .isEqualTo(cluster.mesosMaster().toString())
                    .matches("http://127\\.0\\.0\\.1:\\d+");
            assertThat(seen.get().endpoints()).containsKey("MESOS_MASTER");
            assertThat(seen.get().section().path("apps").asInt()).isEqualTo(3);
            assertThat(seen.get().workDir()).startsWith(work);
            assertThat(cluster.mesos().agentIds()).hasSize(4);
            String state =
                    body(
                            new Request.Builder()
                                    .url(cluster.mesosMaster() + "/master/state")
                                    .build());
            assertThat(state)
                    .contains("agent1.local", "agent2.local", "gpu1.local", "remote1.local");
            assertThat(cluster.component("marathon", TestCluster.Component.class)).isNotNull();
        }
        assertThat(closed).isTrue();
    }

    @Test
    void embeddedZooKeeperAddsItsEndpointLines() throws Exception {
        JsonNode doc =
                MAPPER.readTree(
                        "{\"mesos\":{\"masters\":2,\"zookeeper\":\"embedded\","
                                + "\"agents\":[{\"hostname\":\"a\"}]}}");
        try (TestCluster cluster = TestCluster.builder(work).configJson(doc).mesosPort(0).start()) {
            assertThat(cluster.endpoints().keySet())
                    .containsExactly(
                            "ZOOKEEPER", "MESOS_MASTER", "MESOS_MASTERS", "MESOS_MASTER_ZK");
            assertThat(cluster.endpoints().get("MESOS_MASTER_ZK"))
                    .isEqualTo("zk://" + cluster.zookeeper().orElseThrow() + "/mesos");
            assertThat(cluster.endpoints().get("MESOS_MASTERS").split(",")).hasSize(2);
        }
    }

    @Test
    void configMistakesAreReportedWithTheirLocation() throws Exception {
        JsonNode typo =
                MAPPER.readTree("{\"mesos\":{\"agents\":[{\"hostname\":\"a\",\"cpu\":2}]}}");
        assertThatThrownBy(() -> TestCluster.builder(work).configJson(typo).start())
                .hasMessageContaining("mesos.agents[0]")
                .hasMessageContaining("cpu");
        JsonNode ports =
                MAPPER.readTree(
                        "{\"mesos\":{\"agents\":[{\"hostname\":\"a\",\"ports\":\"9-3\"}]}}");
        assertThatThrownBy(() -> TestCluster.builder(work).configJson(ports).start())
                .hasMessageContaining("mesos.agents[0]")
                .hasMessageContaining("9-3");
    }

    @Test
    void standaloneProcessPrintsEndpointsServesControlAndStopsTasksOnSigterm() throws Exception {
        Path config = work.resolve("cluster.json");
        Files.writeString(
                config,
                "{\"mesos\":{\"heartbeatIntervalMillis\":200,\"allocationIntervalMillis\":100,"
                        + "\"agents\":[{\"hostname\":\"solo.local\",\"cpus\":2,\"mem\":1024}]}}");
        Process p =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                TestCluster.class.getName(),
                                "--config",
                                config.toString(),
                                "--port",
                                "0",
                                "--work-dir",
                                work.resolve("run").toString())
                        .redirectError(
                                ProcessBuilder.Redirect.appendTo(
                                        work.resolve("stderr.log").toFile()))
                        .start();
        try {
            List<String> stdout = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread reader =
                    new Thread(
                            () -> {
                                try (BufferedReader out =
                                        new BufferedReader(
                                                new InputStreamReader(
                                                        p.getInputStream(),
                                                        StandardCharsets.UTF_8))) {
                                    for (String l = out.readLine(); l != null; l = out.readLine()) {
                                        stdout.add(l);
                                    }
                                } catch (java.io.IOException e) {
                                    // process gone
                                }
                            });
            reader.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> !stdout.isEmpty() || !p.isAlive());
            String line = stdout.isEmpty() ? null : stdout.get(0);
            assertThat(line)
                    .as("first stdout line (stderr: %s)", work.resolve("stderr.log"))
                    .isNotNull()
                    .matches("MESOS_MASTER=http://127\\.0\\.0\\.1:\\d+");
            URI master = URI.create(line.substring("MESOS_MASTER=".length()));

            String subscribe =
                    "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":{\"user\":\"u\",\"name\":\"n\","
                        + "\"failover_timeout\":60}}}";
            Request req =
                    new Request.Builder()
                            .url(master + "/api/v1/scheduler")
                            .post(
                                    RequestBody.create(
                                            subscribe.getBytes(StandardCharsets.UTF_8), null))
                            .header("Content-Type", "application/json")
                            .build();
            OkHttpClient streaming = HTTP.newBuilder().readTimeout(Duration.ZERO).build();
            try (Response stream = streaming.newCall(req).execute()) {
                String streamId = stream.header("Mesos-Stream-Id");
                BufferedReader events =
                        new BufferedReader(
                                new InputStreamReader(
                                        stream.body().byteStream(), StandardCharsets.UTF_8));
                List<JsonNode> offers = new ArrayList<>();
                String frameworkId = null;
                while (offers.isEmpty()) {
                    int n = Integer.parseInt(events.readLine());
                    char[] buf = new char[n];
                    int read = 0;
                    while (read < n) {
                        read += events.read(buf, read, n - read);
                    }
                    JsonNode e = MAPPER.readTree(new String(buf));
                    if (e.path("type").asText().equals("SUBSCRIBED")) {
                        frameworkId = e.at("/subscribed/framework_id/value").asText();
                    } else if (e.path("type").asText().equals("OFFERS")) {
                        offers.add(e.at("/offers/offers/0"));
                    }
                }
                JsonNode offer = offers.get(0);
                String accept =
                        "{\"type\":\"ACCEPT\",\"framework_id\":{\"value\":\""
                                + frameworkId
                                + "\"},"
                                + "\"accept\":{\"offer_ids\":["
                                + offer.get("id")
                                + "],\"operations\":[{\"type\":\"LAUNCH\","
                                + "\"launch\":{\"task_infos\":[{\"name\":\"s\",\"task_id\":{\"value\":\"sleeper\"},"
                                + "\"agent_id\":"
                                + offer.get("agent_id")
                                + ",\"resources\":[{\"name\":\"cpus\",\"type\":\"SCALAR\",\"scalar\":{\"value\":0.1}}],\"command\":{\"value\":\"sleep"
                                + " 120\"}}]}}]}}";
                try (Response r =
                        HTTP.newCall(
                                        new Request.Builder()
                                                .url(master + "/api/v1/scheduler")
                                                .post(
                                                        RequestBody.create(
                                                                accept.getBytes(
                                                                        StandardCharsets.UTF_8),
                                                                null))
                                                .header("Content-Type", "application/json")
                                                .header("Mesos-Stream-Id", streamId)
                                                .build())
                                .execute()) {
                    assertThat(r.code()).as(r.body().string()).isEqualTo(202);
                }
                AtomicReference<Long> pid = new AtomicReference<>(-1L);
                await().atMost(Duration.ofSeconds(10))
                        .until(
                                () -> {
                                    JsonNode tasks =
                                            MAPPER.readTree(
                                                    body(
                                                            new Request.Builder()
                                                                    .url(master + "/sim/tasks")
                                                                    .build()));
                                    pid.set(tasks.path(0).path("pid").asLong(-1));
                                    return pid.get() > 0;
                                });
                assertThat(ProcessHandle.of(pid.get()).map(ProcessHandle::isAlive)).contains(true);
                try (Response r =
                        HTTP.newCall(
                                        new Request.Builder()
                                                .url(master + "/sim/drop-streams")
                                                .post(RequestBody.create(new byte[0], null))
                                                .build())
                                .execute()) {
                    assertThat(r.code()).isEqualTo(200);
                }
                await().atMost(Duration.ofSeconds(10))
                        .until(
                                () -> {
                                    try {
                                        while (events.read() >= 0) {
                                            // drain buffered heartbeats until the master's close
                                        }
                                        return true;
                                    } catch (java.io.IOException e) {
                                        return true;
                                    }
                                });
            }
            long taskPid = pidOf(master);
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(20, TimeUnit.SECONDS))
                    .as("test-cluster exits on SIGTERM")
                    .isTrue();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> ProcessHandle.of(taskPid).map(h -> !h.isAlive()).orElse(true));
            reader.join(5000);
            assertThat(stdout)
                    .as("nothing but endpoint lines on stdout, the Mesos master first")
                    .first()
                    .isEqualTo(line);
            assertThat(stdout).allMatch(l -> l.matches("[A-Z_]+=\\S+"), "NAME=value");
            assertThat(stdout)
                    .anyMatch(l -> l.startsWith("MARATHON=http://127.0.0.1:"))
                    .anyMatch(l -> l.matches("REGISTRY=127\\.0\\.0\\.1:\\d+"))
                    .contains("REGISTRY_USER=demo", "REGISTRY_PASSWORD=demo-password");
        } finally {
            p.destroyForcibly();
        }
    }

    private static long pidOf(URI master) throws Exception {
        JsonNode tasks =
                MAPPER.readTree(body(new Request.Builder().url(master + "/sim/tasks").build()));
        return tasks.path(0).path("pid").asLong();
    }

    private static String body(Request r) throws Exception {
        try (Response resp = HTTP.newCall(r).execute()) {
            return resp.body().string();
        }
    }
}
