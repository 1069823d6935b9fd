package io.jenkins.plugins.mesosagents.mesos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * An agent's resources as a Mesos 1.11.0 master writes them in {@code /master/state}
 * (src/master/readonly_handler.cpp:289-306: {@code resources} is the total, {@code
 * reserved_resources} per role, {@code unreserved_resources}; ports are a range string).
 */
class AgentResourcesTest {
    @Test
    void whatARoleCouldEverBeOfferedIsTheUnreservedPlusItsReservation() throws Exception {
        String state =
                """
                {"slaves": [{"hostname": "a1.local",
                  "resources": {"cpus": 8.0, "mem": 16384.0, "disk": 1000.0, "gpus": 0.0,
                                "ports": "[31000-32000]"},
                  "reserved_resources": {"ci": {"cpus": 4.0, "mem": 8192.0}},
                  "unreserved_resources": {"cpus": 4.0, "mem": 8192.0, "disk": 1000.0,
                                           "gpus": 0.0, "ports": "[31000-32000]"}},
                  {"hostname": "old.local"}]}
                """;

        List<AgentResources> agents = AgentResources.fromState(new ObjectMapper().readTree(state));

        assertThat(agents).hasSize(2);
        assertThat(agents.get(0).forRole("ci"))
                .containsEntry("cpus", 8.0)
                .containsEntry("mem", 16384.0)
                .containsEntry("disk", 1000.0)
                .doesNotContainKey("ports");
        assertThat(agents.get(0).forRole("*")).containsEntry("cpus", 4.0);
        assertThat(agents.get(0).forRole("other")).containsEntry("mem", 8192.0);
        assertThat(agents.get(1).forRole("*")).isEmpty();
    }
}
