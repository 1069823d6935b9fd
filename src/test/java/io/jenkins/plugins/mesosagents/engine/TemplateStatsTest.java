package io.jenkins.plugins.mesosagents.engine;

import static io.jenkins.plugins.mesosagents.engine.MesosFixtures.offer;
import static io.jenkins.plugins.mesosagents.engine.MesosFixtures.offers;
import static io.jenkins.plugins.mesosagents.engine.MesosFixtures.subscribed;
import static io.jenkins.plugins.mesosagents.engine.MesosFixtures.update;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Per-template figures: exact nearest-rank p50/p95 on known sequences, the memory bounds, and the
 * engine loop feeding launched / failed-by-reason / queued→online from its own events (clock moved
 * by hand).
 */
class TemplateStatsTest {

    @Test
    void percentilesAreNearestRankOverTheHeldSamples() {
        LatencyReservoir r = new LatencyReservoir(100);
        assertThat(r.percentile(50)).isEqualTo(-1);
        // 1..100 in a scrambled order: rank ⌈0.5·100⌉ = 50, ⌈0.95·100⌉ = 95
        for (int i = 0; i < 100; i++) {
            r.add(((i * 37) % 100 + 1) * 1000L);
        }
        assertThat(r.percentile(50)).isEqualTo(50_000);
        assertThat(r.percentile(95)).isEqualTo(95_000);
        // 20 more samples of 1 ms replace the 20 oldest (scrambled values of i = 0..19)
        for (int i = 0; i < 20; i++) {
            r.add(1);
        }
        assertThat(r.size()).isEqualTo(100);
        // held: 20×1 ms plus (i·37 mod 100 + 1) s for i = 20..99; rank 50 is the 30th of those
        long[] rest = new long[80];
        for (int i = 20; i < 100; i++) {
            rest[i - 20] = ((i * 37) % 100 + 1) * 1000L;
        }
        java.util.Arrays.sort(rest);
        assertThat(r.percentile(50)).isEqualTo(rest[29]);
        assertThat(r.percentile(95)).isEqualTo(rest[74]);
    }

    @Test
    void smallSequencesUseTheCeilingRank() {
        LatencyReservoir r = new LatencyReservoir(8);
        r.add(300);
        r.add(100);
        r.add(200);
        assertThat(r.percentile(50)).isEqualTo(200); // ⌈1.5⌉ = 2nd of 100,200,300
        assertThat(r.percentile(95)).isEqualTo(300); // ⌈2.85⌉ = 3rd
    }

    @Test
    void failureReasonsAreBounded() {
        TemplateStats s = new TemplateStats();
        for (int i = 0; i < 40; i++) {
            s.failed("a" + i, "linux", "REASON_" + i);
        }
        s.failed("b", "linux", "REASON_3");
        Map<String, Long> failed = s.figures("linux").failedByReason();
        assertThat(failed).hasSize(TemplateStats.MAX_REASONS);
        assertThat(failed.get("OTHER")).isEqualTo(40 - (TemplateStats.MAX_REASONS - 1));
        assertThat(failed.get("REASON_3")).isEqualTo(2);
        assertThat(s.figures("linux").failed()).isEqualTo(41);
    }

    @Test
    void templatesAndInFlightAgentsAreBounded() {
        TemplateStats s = new TemplateStats();
        for (int i = 0; i <= TemplateStats.MAX_TEMPLATES; i++) {
            s.running("t" + i);
        }
        assertThat(s.figures("t0")).isEqualTo(TemplateFigures.NONE); // least recently touched
        assertThat(s.figures("t1").launched()).isEqualTo(1);

        for (int i = 0; i <= TemplateStats.MAX_IN_FLIGHT; i++) {
            s.requested("agent-" + i, "linux", 0);
        }
        s.connected("agent-0", 5); // forgotten: the oldest past the bound
        s.connected("agent-1", 7);
        assertThat(s.figures("linux").samples()).isEqualTo(1);
        assertThat(s.figures("linux").p50Millis()).isEqualTo(7);
    }

    @Test
    void theEngineLoopFeedsTheFigures() {
        EngineHarness h = new EngineHarness(EngineHarness.config().build());
        h.engine.setTemplates(List.of(AgentTemplate.builder("linux").cpus(1).memMb(1024).build()));
        h.engine.onEvent(subscribed());

        PlannedAgent a = h.provision("linux", 1).get(0);
        h.advance(Duration.ofSeconds(4));
        h.engine.onEvent(offers(offer("o1", "h1", 4, 4096).build()));
        h.engine.onEvent(update(a.name(), "h1", TaskState.TASK_RUNNING));
        h.advance(Duration.ofSeconds(6));
        h.engine.agentConnected(a.name()); // 10 s after Jenkins asked for it

        PlannedAgent b = h.provision("linux", 1).get(0);
        h.engine.onEvent(offers(offer("o2", "h1", 4, 4096).build()));
        h.engine.onEvent(
                update(
                        MesosFixtures.status(b.name(), "h1", TaskState.TASK_FAILED)
                                .setReason(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED)
                                .setMessage("Failed to launch container: pull refused")));
        h.engine.agentConnected(b.name()); // too late: it failed, no sample

        TemplateFigures f = h.engine.snapshot().templates().get("linux").figures();
        assertThat(f.launched()).isEqualTo(1);
        assertThat(f.failedByReason())
                .isEqualTo(Map.of("TASK_FAILED (REASON_CONTAINER_LAUNCH_FAILED)", 1L));
        assertThat(f.samples()).isEqualTo(1);
        assertThat(f.p50Millis()).isEqualTo(10_000);
        assertThat(f.p95Millis()).isEqualTo(10_000);
    }

    @Test
    void aTemplatePastItsCrashLoopLimitCannotLaunch() {
        EngineHarness h = new EngineHarness(EngineHarness.config().build()); // threshold 3
        h.engine.setTemplates(List.of(AgentTemplate.builder("linux").cpus(1).memMb(1024).build()));
        h.engine.onEvent(subscribed());
        for (int i = 1; i <= 3; i++) {
            assertThat(h.engine.snapshot().templates().getOrDefault("linux", null))
                    .satisfiesAnyOf(
                            s -> assertThat(s).isNull(),
                            s -> assertThat(s.cannotLaunch()).isEmpty());
            PlannedAgent p = h.provision("linux", 1).get(0);
            h.engine.onEvent(offers(offer("o" + i, "h1", 4, 4096).build()));
            h.engine.onEvent(
                    update(
                            MesosFixtures.status(p.name(), "h1", TaskState.TASK_FAILED)
                                    .setReason(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED)
                                    .setMessage("Failed to launch container: pull refused")));
        }
        assertThat(h.engine.snapshot().templates().get("linux").cannotLaunch())
                .hasValueSatisfying(
                        why ->
                                assertThat(why)
                                        .contains("3 times in a row")
                                        .contains("pull refused"));
    }
}
