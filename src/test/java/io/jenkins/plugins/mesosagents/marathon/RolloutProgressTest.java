package io.jenkins.plugins.mesosagents.marathon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Task failures are counted once per task, however Marathon reports them. */
class RolloutProgressTest {
    private final ObjectMapper mapper = new ObjectMapper();

    private ObjectNode json(String text) throws Exception {
        return (ObjectNode) mapper.readTree(text.replace('\'', '"'));
    }

    @Test
    void aHealthKillAndItsLastTaskFailureAreOneFailure() throws Exception {
        String v = "2026-01-02T00:00:00.000Z";
        List<String> lines = new ArrayList<>();
        RolloutProgress progress =
                new RolloutProgress(
                        Clock.systemUTC(), lines::add, "/a", v, null, Clock.systemUTC().instant());
        // at maxConsecutiveFailures: Marathon kills it on the next failed check
        progress.observe(
                json(
                        "{'id': '/a', 'instances': 1, 'healthChecks': [{'maxConsecutiveFailures':"
                                + " 2}], 'version': '"
                                + v
                                + "', 'tasks': [{'id': 'a.1', 'state': 'TASK_RUNNING',"
                                + " 'version': '"
                                + v
                                + "', 'healthCheckResults': [{'alive': false,"
                                + " 'consecutiveFailures': 2}]}]}"),
                null);
        assertThat(progress.failures()).containsOnlyKeys("a.1");

        // a Marathon-level check's kill then becomes the lastTaskFailure of the same task
        progress.observe(
                json(
                        "{'id': '/a', 'instances': 1, 'healthChecks': [{'maxConsecutiveFailures':"
                                + " 2}], 'version': '"
                                + v
                                + "', 'tasks': [], 'lastTaskFailure': {'taskId': 'a.1', 'state':"
                                + " 'TASK_KILLED', 'message': 'Task was killed since health check"
                                + " failed. Reason: 503', 'timestamp': '2026-01-02T00:01:00.000Z',"
                                + " 'version': '"
                                + v
                                + "'}}"),
                null);

        assertThat(progress.failures()).containsOnlyKeys("a.1");
        assertThat(progress.failures().get("a.1")).contains("Task was killed since health check");
        assertThat(lines).containsExactly("/a: 0/1 healthy, 1 unhealthy", "/a: 0/1 healthy");
    }
}
