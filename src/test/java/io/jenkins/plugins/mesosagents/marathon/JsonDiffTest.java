package io.jenkins.plugins.mesosagents.marathon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

class JsonDiffTest {
    private final ObjectMapper mapper = new ObjectMapper();

    private ObjectNode json(String text) throws Exception {
        return (ObjectNode) mapper.readTree(text);
    }

    private static final String RUNNING =
            "{\"id\": \"/a\", \"instances\": 2, \"cpus\": 1.0, \"mem\": 128.0, \"disk\": 0.0,"
                + " \"cmd\": \"serve\", \"env\": {\"OLD\": \"x\", \"KEEP\": \"1\"}, \"labels\": {},"
                + " \"args\": [\"a\", \"b\"], \"constraints\": [[\"hostname\", \"UNIQUE\"]],"
                + " \"upgradeStrategy\": {\"minimumHealthCapacity\": 1.0, \"maximumOverCapacity\":"
                + " 1.0}, \"version\": \"2026-01-01T00:00:00.000Z\", \"tasksRunning\": 2,"
                + " \"tasks\": [{\"id\": \"t\"}], \"deployments\": []}";

    @Test
    void fullReplacementShowsChangesAdditionsAndRemovalsButNotDefaultsOrStatus() throws Exception {
        ObjectNode next =
                json(
                        "{\"id\": \"/a\", \"instances\": 3, \"cmd\": \"serve\", \"env\": {\"KEEP\":"
                            + " \"1\", \"NEW\": \"y\"}, \"args\": [\"a\", \"c\"], \"constraints\":"
                            + " [[\"hostname\", \"UNIQUE\"], [\"rack\", \"GROUP_BY\"]]}");
        assertThat(JsonDiff.diff(json(RUNNING), next, false))
                .containsExactly(
                        "~ /args/1: \"b\" -> \"c\"",
                        "~ /constraints: [[\"hostname\",\"UNIQUE\"]] ->"
                                + " [[\"hostname\",\"UNIQUE\"],[\"rack\",\"GROUP_BY\"]]",
                        "+ /env/NEW: \"y\"",
                        "- /env/OLD: \"x\"",
                        "~ /instances: 2 -> 3");
    }

    @Test
    void partialUpdateDoesNotReportOmittedFieldsAndNumbersCompareByValue() throws Exception {
        ObjectNode next = json("{\"id\": \"/a\", \"cpus\": 1, \"mem\": 256}");
        assertThat(JsonDiff.diff(json(RUNNING), next, true))
                .containsExactly("~ /mem: 128.0 -> 256");
        assertThat(JsonDiff.format(JsonDiff.diff(json(RUNNING), json("{\"id\": \"/a\"}"), true)))
                .isEqualTo("no changes");
    }

    @Test
    void omittingANonDefaultValueIsAReset() throws Exception {
        ObjectNode running =
                json(
                        "{\"id\": \"/a\", \"cmd\": \"x\", \"mem\": 512, \"upgradeStrategy\":"
                                + " {\"minimumHealthCapacity\": 0.5, \"maximumOverCapacity\": 1}}");
        assertThat(JsonDiff.diff(running, json("{\"id\": \"/a\", \"cmd\": \"x\"}"), false))
                .containsExactly(
                        "- /mem: 512",
                        "- /upgradeStrategy:"
                                + " {\"minimumHealthCapacity\":0.5,\"maximumOverCapacity\":1}");
    }
}
