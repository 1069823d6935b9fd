package io.jenkins.plugins.mesosagents.testcluster.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The warm-pool benchmark's trace: seeded, sorted, every label present, bursts of four. */
class WarmPoolReplayTraceTest {
    @Test
    void everySeedGivesEveryLabelAndTheSameSeedTheSameTrace() {
        for (long seed = 1; seed <= 20; seed++) {
            List<WarmPoolReplay.TraceBuild> trace =
                    WarmPoolReplay.trace(seed, Duration.ofSeconds(300));
            Map<String, Long> perLabel =
                    trace.stream()
                            .collect(
                                    Collectors.groupingBy(
                                            WarmPoolReplay.TraceBuild::label,
                                            Collectors.counting()));
            assertThat(perLabel.get("bursty")).as("seed " + seed).isEqualTo(20);
            assertThat(perLabel.get("steady")).as("seed " + seed).isGreaterThan(15);
            assertThat(trace)
                    .isSortedAccordingTo(Comparator.comparing(WarmPoolReplay.TraceBuild::at));
            assertThat(trace).allMatch(b -> b.at().compareTo(Duration.ofSeconds(301)) < 0);
        }
        assertThat(WarmPoolReplay.trace(7, Duration.ofSeconds(300)))
                .isEqualTo(WarmPoolReplay.trace(7, Duration.ofSeconds(300)));
    }
}
