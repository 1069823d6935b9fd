package io.jenkins.plugins.mesosagents.testcluster.mesos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Drives the simulator with Mesos clients this project did not write (npm {@code mesos-framework}
 * as the scheduler, {@code @dcos/recordio} as the stream decoder), so its wire format is not only
 * checked by our code. Needs node (Debian package {@code nodejs}) and {@code npm ci --prefix
 * src/test/js}.
 */
class IndependentClientsTest {
    @TempDir Path work;

    @Test
    void mesosFrameworkSchedulerAndDcosRecordioDriveTheSimulator() throws Exception {
        Path js = Path.of(System.getProperty("project.basedir", ".")).resolve("src/test/js");
        Path node = findNode();
        if (!Files.isDirectory(js.resolve("node_modules/mesos-framework"))
                || !Files.isDirectory(js.resolve("node_modules/@dcos/recordio"))) {
            throw new AssertionError(
                    "npm modules for the independent Mesos clients are missing: run"
                            + " `npm ci --prefix src/test/js` (needs Debian package npm)");
        }
        try (MesosSimulator sim =
                MesosSimulator.start(
                        MesosSimConfig.builder(work)
                                .heartbeatInterval(Duration.ofMillis(500))
                                .allocationInterval(Duration.ofMillis(100))
                                .statusUpdateRetryInterval(Duration.ofMillis(500))
                                .agent(AgentConfig.of("node-agent.local", 2, 1024))
                                .build())) {
            Process p =
                    new ProcessBuilder(
                                    node.toString(),
                                    "drive-simulator.js",
                                    sim.leaderUrl().toString())
                            .directory(js.toFile())
                            .redirectError(
                                    ProcessBuilder.Redirect.appendTo(
                                            work.resolve("node.err").toFile()))
                            .start();
            String out;
            try {
                out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            } finally {
                p.destroyForcibly();
            }
            String err = Files.readString(work.resolve("node.err"));
            assertThat(p.exitValue()).as("node exit; stdout=%s stderr=%s", out, err).isZero();
            JsonNode summary =
                    new ObjectMapper().readTree(out.lines().reduce((a, b) -> b).orElseThrow());

            JsonNode recordio = summary.get("recordio");
            assertThat(recordio.get("contentType").asText()).isEqualTo("application/json");
            assertThat(recordio.get("streamId").asText()).isNotBlank();
            assertThat(recordio.get("types"))
                    .extracting(JsonNode::asText)
                    .startsWith("SUBSCRIBED", "HEARTBEAT");
            assertThat(recordio.get("frameworkId").asText()).isNotBlank();

            JsonNode updates = summary.at("/framework/updates");
            assertThat(updates)
                    .extracting(u -> u.get("state").asText())
                    .containsSubsequence("TASK_STARTING", "TASK_RUNNING", "TASK_FINISHED");
            assertThat(updates).allMatch(u -> u.get("uuid").asBoolean());
            String taskId = updates.get(0).get("task").asText();
            TaskView task = sim.task(taskId).orElseThrow();
            assertThat(task.sandbox().resolve("node.txt")).hasContent("from-mesos-framework");
            assertThat(task.unacknowledgedUpdates())
                    .as("mesos-framework acknowledged every update")
                    .isZero();
        }
    }

    private static Path findNode() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            for (String name : new String[] {"node", "nodejs"}) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        throw new AssertionError(
                "node is not installed: install the Debian package nodejs (Node 18+) and run"
                        + " `npm ci --prefix src/test/js`");
    }
}
