package io.jenkins.plugins.mesosagents.marathon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

/**
 * RolloutStatus on AppInfo shapes as Marathon returns them (RAML types/app.raml AppInfo,
 * types/task.raml Task).
 */
class RolloutStatusTest {
    private final ObjectMapper mapper = new ObjectMapper();

    private ObjectNode json(String text) throws Exception {
        return (ObjectNode) mapper.readTree(text.replace('\'', '"'));
    }

    @Test
    void countsNewAndOldTasksByConfigVersion() throws Exception {
        ObjectNode app =
                json(
                        "{'id': '/a', 'instances': 3, 'healthChecks': [{'path': '/'}], 'version':"
                            + " '2026-01-02T00:00:00.000Z', 'versionInfo': {'lastConfigChangeAt':"
                            + " '2026-01-02T00:00:00.000Z', 'lastScalingAt':"
                            + " '2026-01-02T00:00:00.000Z'}, 'tasks': [  {'id': 'a.instance-1',"
                            + " 'state': 'TASK_RUNNING', 'version': '2026-01-02T00:00:00.000Z',"
                            + " 'healthCheckResults': [{'alive': true}]},  {'id': 'a.instance-2',"
                            + " 'state': 'TASK_RUNNING', 'version': '2026-01-02T00:00:00.000Z',  "
                            + " 'healthCheckResults': [{'alive': false, 'consecutiveFailures': 4,"
                            + " 'lastFailureCause': 'HTTP 500'}]},  {'id': 'a.instance-3', 'state':"
                            + " 'TASK_STAGING', 'version': '2026-01-02T00:00:00.000Z'},  {'id':"
                            + " 'a.instance-4', 'state': 'TASK_RUNNING', 'version':"
                            + " '2026-01-01T00:00:00.000Z', 'healthCheckResults': [{'alive':"
                            + " true}]},  {'id': 'a.instance-5', 'state': 'TASK_KILLED', 'version':"
                            + " '2026-01-02T00:00:00.000Z'}], 'lastTaskFailure': {'appId': '/a',"
                            + " 'host': 'h1', 'message': 'boom', 'state': 'TASK_FAILED', 'taskId':"
                            + " 'a.instance-9',  'timestamp': '2026-01-02T00:00:05.000Z',"
                            + " 'version': '2026-01-02T00:00:00.000Z'}}");
        RolloutStatus status = RolloutStatus.of(app);

        assertThat(status.line()).isEqualTo("1/3 healthy, 1 unhealthy, 1 staged, 1 old");
        assertThat(status.complete()).isFalse();
        assertThat(status.healthProblems())
                .containsExactly(
                        "task a.instance-2: unhealthy, 4 consecutive health check failures, last"
                            + " cause \"HTTP 500\"");
        assertThat(status.lastTaskFailure())
                .isEqualTo(
                        "task a.instance-9 on h1: TASK_FAILED \"boom\" at 2026-01-02T00:00:05.000Z"
                                + " (version 2026-01-02T00:00:00.000Z)");
        assertThat(status.lastTaskFailureVersion()).isEqualTo("2026-01-02T00:00:00.000Z");
    }

    @Test
    void aScaleOnlyChangeKeepsEarlierTasksCurrent() throws Exception {
        ObjectNode app =
                json(
                        "{'id': '/a', 'instances': 2, 'version': '2026-01-03T00:00:00.000Z',"
                            + " 'versionInfo': {'lastConfigChangeAt': '2026-01-01T00:00:00.000Z',"
                            + " 'lastScalingAt': '2026-01-03T00:00:00.000Z'}, 'tasks': [{'id':"
                            + " 't1', 'state': 'TASK_RUNNING', 'version':"
                            + " '2026-01-01T00:00:00.000Z'},           {'id': 't2', 'state':"
                            + " 'TASK_RUNNING', 'version': '2026-01-03T00:00:00.000Z'}]}");
        RolloutStatus status = RolloutStatus.of(app);
        assertThat(status.line()).isEqualTo("2/2 running");
        assertThat(status.complete()).isTrue();
    }

    @Test
    void fallsBackToTheCountsWhenTasksAreNotEmbedded() throws Exception {
        ObjectNode app =
                json(
                        "{'id': '/a', 'instances': 2, 'healthChecks': [{}], 'tasksStaged': 0,"
                                + " 'tasksRunning': 2, 'tasksHealthy': 2, 'tasksUnhealthy': 0}");
        assertThat(RolloutStatus.of(app).complete()).isTrue();
        assertThat(RolloutStatus.of(app).line()).isEqualTo("2/2 healthy");
    }
}
