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
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A template that cannot launch becomes overdue only after the grace period on the engine's clock,
 * and a launch that works again starts the grace over.
 */
class NeverLaunchGraceTest {
    private int seq;

    private void failOnce(EngineHarness h) {
        PlannedAgent p = h.provision("linux", 1).get(0);
        h.engine.onEvent(offers(offer("o" + seq++, "h1", 4, 4096).build()));
        h.engine.onEvent(
                update(
                        MesosFixtures.status(p.name(), "h1", TaskState.TASK_FAILED)
                                .setReason(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED)
                                .setMessage("Failed to launch container: pull refused")));
    }

    @Test
    void overdueOnlyAfterTheGraceAndForgivenOnSuccess() {
        EngineHarness h = new EngineHarness(EngineHarness.config().build()); // threshold 3
        h.engine.setTemplates(List.of(AgentTemplate.builder("linux").cpus(1).memMb(1024).build()));
        h.engine.onEvent(subscribed());
        NeverLaunchGrace grace = new NeverLaunchGrace();
        Duration g = Duration.ofMinutes(5);
        for (int i = 0; i < 3; i++) {
            failOnce(h);
        }
        assertThat(grace.overdue(h.engine.snapshot(), g, h.clock.instant())).isEmpty();
        h.clock.advance(Duration.ofMinutes(4).plusSeconds(59));
        assertThat(grace.overdue(h.engine.snapshot(), g, h.clock.instant())).isEmpty();
        h.clock.advance(Duration.ofSeconds(1));
        assertThat(grace.overdue(h.engine.snapshot(), g, h.clock.instant()))
                .containsOnlyKeys("linux")
                .hasValueSatisfying(
                        new org.assertj.core.api.Condition<>(
                                v -> v.contains("pull refused"), "names the Mesos failure"));

        // the back-off ends, a launch works: the template is launchable again
        h.advance(Duration.ofMinutes(10));
        PlannedAgent ok = h.provision("linux", 1).get(0);
        h.engine.onEvent(offers(offer("ok", "h1", 4, 4096).build()));
        h.engine.onEvent(update(ok.name(), "h1", TaskState.TASK_RUNNING));
        assertThat(h.engine.snapshot().templates().get("linux").cannotLaunch()).isEmpty();
        assertThat(grace.overdue(h.engine.snapshot(), g, h.clock.instant())).isEmpty();
    }

    @Test
    void reasonsTheEngineDoesNotKnowCountTheSameWayAndEndWhenTheyAreGone() {
        NeverLaunchGrace grace = new NeverLaunchGrace();
        Duration g = Duration.ofMinutes(10);
        Instant t0 = Instant.parse("2026-12-05T00:00:00Z");
        Map<String, String> invalid = Map.of("gpu", "template gpu is invalid (cpus: 'abc')");

        assertThat(grace.overdue(invalid, g, t0)).isEmpty();
        assertThat(grace.overdue(invalid, g, t0.plus(g))).isEqualTo(invalid);
        // corrected, then broken again: the grace starts over
        assertThat(grace.overdue(Map.of(), g, t0.plus(g).plusSeconds(30))).isEmpty();
        assertThat(grace.overdue(invalid, g, t0.plus(g).plusSeconds(60))).isEmpty();
        assertThat(grace.overdue(invalid, g, t0.plus(g.multipliedBy(2)).plusSeconds(60)))
                .isEqualTo(invalid);
    }
}
