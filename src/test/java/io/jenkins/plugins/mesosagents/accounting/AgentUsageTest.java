package io.jenkins.plugins.mesosagents.accounting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mesosagents.engine.TaskResources;

import org.junit.jupiter.api.Test;

import java.time.Instant;

class AgentUsageTest {
    private static final Instant T = Instant.parse("2026-12-04T10:00:00Z");
    private static final TaskResources R = new TaskResources(2, 4096, 1000, 1);

    private static AgentUsage usage(int start, int end, Integer running, Integer ended) {
        return new AgentUsage(
                "a-1",
                "linux",
                "h1",
                "a-1",
                R,
                T.plusSeconds(start),
                T.plusSeconds(end),
                running == null ? null : T.plusSeconds(running),
                ended == null ? null : T.plusSeconds(ended));
    }

    @Test
    void chargesTheBuildsTimeWithinTheTasksRunningTime() {
        AgentUsage inside = usage(10, 70, 5, null);
        assertThat(inside.seconds()).isEqualTo(60);
        assertThat(inside.cpuSeconds()).isEqualTo(120);
        assertThat(inside.gbSeconds()).isEqualTo(240);

        AgentUsage taskDiedFirst = usage(10, 70, 5, 40);
        assertThat(taskDiedFirst.chargedEnd()).isEqualTo(T.plusSeconds(40));
        assertThat(taskDiedFirst.seconds()).isEqualTo(30);

        AgentUsage startedBeforeRunning = usage(0, 20, 5, null);
        assertThat(startedBeforeRunning.chargedStart()).isEqualTo(T.plusSeconds(5));
        assertThat(startedBeforeRunning.seconds()).isEqualTo(15);

        assertThat(usage(50, 60, 5, 40).seconds()).as("no overlap").isZero();
    }

    @Test
    void unknownResourcesChargeNothingAndTimesAreRequired() {
        AgentUsage unknown =
                new AgentUsage("a", "t", "", "a", null, T, T.plusSeconds(9), null, null);
        assertThat(unknown.resources()).isEqualTo(TaskResources.UNKNOWN);
        assertThat(unknown.seconds()).isEqualTo(9);
        assertThat(unknown.cpuSeconds()).isZero();
        assertThatThrownBy(() -> new AgentUsage("a", "t", "", "a", R, T, null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
