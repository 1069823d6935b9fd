package io.jenkins.plugins.mesosagents.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

/** A template bigger than every agent, judged on what each agent could ever give its role. */
class AgentSizesTest {
    private static final Map<String, Double> SMALL =
            Map.of("cpus", 4.0, "mem", 8192.0, "disk", 20000.0, "gpus", 0.0);
    private static final Map<String, Double> BIG =
            Map.of("cpus", 16.0, "mem", 65536.0, "disk", 100000.0, "gpus", 1.0);

    @Test
    void aTemplateOneAgentCouldHoldIsNotTooBig() {
        AgentTemplate t = AgentTemplate.builder("big").cpus(12).memMb(32768).gpus(1).build();
        assertThat(AgentSizes.tooBig(t, List.of(SMALL, BIG))).isEmpty();
        assertThat(AgentSizes.tooBig(t, List.of())).as("no agent known: no judgement").isEmpty();
    }

    @Test
    void aTemplateNoAgentCouldHoldSaysWhatItNeedsAndTheMostThereIs() {
        // each resource exists somewhere, but not together on one agent
        AgentTemplate t = AgentTemplate.builder("huge").cpus(12).memMb(10000).gpus(1).build();
        Map<String, Double> cpuHeavy = Map.of("cpus", 32.0, "mem", 4096.0, "disk", 1000.0);
        Map<String, Double> gpuHost =
                Map.of("cpus", 4.0, "mem", 65536.0, "disk", 1000.0, "gpus", 2.0);

        assertThat(AgentSizes.tooBig(t, List.of(cpuHeavy, gpuHost)))
                .contains(
                        "template huge is bigger than any of the 2 agents the master reports for"
                                + " role *: it needs 12 cpus, 10000 MB memory, 0 MB disk, 1 gpus;"
                                + " the most any agent has is 32 cpus, 65536 MB memory, 1000 MB"
                                + " disk, 2 gpus");
    }
}
