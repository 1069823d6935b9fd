package io.jenkins.plugins.mesosagents.engine;

import static io.jenkins.plugins.mesosagents.engine.MesosFixtures.offer;
import static io.jenkins.plugins.mesosagents.engine.MesosFixtures.offers;
import static io.jenkins.plugins.mesosagents.engine.MesosFixtures.subscribed;
import static io.jenkins.plugins.mesosagents.engine.MesosFixtures.update;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

/**
 * Crash-loop detection for agents that fail right after TASK_RUNNING (Mesos reports RUNNING when
 * the command starts, so a JVM that exits at once looks launched): such a failure within the
 * back-off base (30 s here) counts on top of the streak the RUNNING suspended; one that ran longer,
 * or ended by a kill or a lost host, does not.
 */
class CrashAfterStartTest {
    private EngineHarness h;
    private int offerSeq;

    @BeforeEach
    void setUp() {
        h = new EngineHarness(EngineHarness.config().build());
        h.engine.setTemplates(List.of(AgentTemplate.builder("linux").cpus(1).memMb(1024).build()));
        h.engine.onEvent(subscribed());
    }

    /**
     * Provisions one agent, launches it on a fresh offer and reports it RUNNING; returns its name.
     */
    private String startOne() {
        PlannedAgent p = h.provision("linux", 1).get(0);
        h.engine.onEvent(offers(offer("o" + offerSeq++, "h1", 4, 4096).build()));
        h.engine.onEvent(update(p.name(), "h1", TaskState.TASK_RUNNING));
        assertThat(p.running()).isCompleted();
        h.engine.agentConnected(p.name()); // the launcher saw its agent come online
        return p.name();
    }

    private void end(String name, TaskState state, String message) {
        h.engine.onEvent(update(MesosFixtures.status(name, "h1", state).setMessage(message)));
    }

    private TemplateStatus status() {
        return h.engine.snapshot().templates().get("linux");
    }

    @Test
    void agentsFailingRightAfterRunningBackTheTemplateOff() {
        for (int i = 1; i <= 3; i++) {
            String name = startOne();
            assertThat(status().consecutiveFailures()).isZero(); // RUNNING only suspends the streak
            h.advance(Duration.ofSeconds(2));
            end(name, TaskState.TASK_FAILED, "Command exited with status 1");
            assertThat(status().consecutiveFailures()).isEqualTo(i);
            assertThat(h.jenkins.lost).anyMatch(l -> l.contains(name));
        }
        assertThat(status().backingOffUntil()).isNotNull();
        assertThat(status().lastFailure()).contains("exited with status 1");

        h.drain();
        h.provision("linux", 1);
        h.engine.onEvent(offers(offer("o-late", "h1", 4, 4096).build()));
        assertThat(h.calls(Call.Type.ACCEPT)).isEmpty();
        assertThat(status().waiting().reason()).isEqualTo(WaitReason.BACKING_OFF);
    }

    @Test
    void aFailureAfterTheWindowIsNotACrash() {
        String name = startOne();
        h.advance(Duration.ofSeconds(31));
        end(name, TaskState.TASK_FAILED, "Command exited with status 1");
        assertThat(status().consecutiveFailures()).isZero();
        assertThat(h.jenkins.lost).anyMatch(l -> l.contains(name));
    }

    @Test
    void aStartThatSurvivesTheWindowClearsTheStreak() {
        for (int i = 0; i < 2; i++) {
            String name = startOne();
            h.advance(Duration.ofSeconds(1));
            end(name, TaskState.TASK_FAILED, "Command exited with status 1");
        }
        assertThat(status().consecutiveFailures()).isEqualTo(2);
        String healthy = startOne();
        h.advance(Duration.ofSeconds(31)); // the healthy agent proves the template
        String next = startOne();
        h.advance(Duration.ofSeconds(1));
        end(next, TaskState.TASK_FAILED, "Command exited with status 1");
        assertThat(status().consecutiveFailures()).isEqualTo(1);
        assertThat(status().backingOffUntil()).isNull();
        assertThat(h.jenkins.lost).noneMatch(l -> l.contains(healthy));
    }

    @Test
    void aTaskWhoseAgentNeverConnectedIsAFailedConnectionNotACrash() {
        for (int i = 0; i < 4; i++) {
            PlannedAgent p = h.provision("linux", 1).get(0);
            h.engine.onEvent(offers(offer("o" + offerSeq++, "h1", 4, 4096).build()));
            h.engine.onEvent(update(p.name(), "h1", TaskState.TASK_RUNNING));
            h.advance(Duration.ofSeconds(2));
            // e.g. remoting exits after a refused WebSocket handshake
            end(p.name(), TaskState.TASK_FAILED, "Command exited with status 1");
            assertThat(h.jenkins.lost)
                    .anyMatch(
                            l ->
                                    l.startsWith(p.name())
                                            && l.contains("never connected to Jenkins"));
        }
        assertThat(status().consecutiveFailures()).isZero();
        assertThat(status().backingOffUntil()).isNull();
    }

    @Test
    void aTaskRecoveredAfterARestartThatEndsIsNotCalledAFailedConnection() {
        String name = startOne();
        EngineHarness restarted = new EngineHarness(EngineHarness.config().build(), h.store);
        restarted.engine.setTemplates(
                List.of(AgentTemplate.builder("linux").cpus(1).memMb(1024).build()));
        restarted.engine.onEvent(subscribed());
        restarted.engine.onEvent(
                update(
                        MesosFixtures.status(name, "h1", TaskState.TASK_FAILED)
                                .setMessage("Command exited with status 137")));
        assertThat(restarted.jenkins.lost)
                .singleElement()
                .asString()
                .contains(name, "status 137")
                .doesNotContain("never connected");
    }

    @Test
    void killsAndLostHostsAreNotCrashes() {
        String released = startOne();
        h.engine.release(released);
        end(released, TaskState.TASK_KILLED, "killed");
        String lost = startOne();
        end(lost, TaskState.TASK_GONE_BY_OPERATOR, "Agent h1 has been marked gone");
        String finished = startOne();
        end(finished, TaskState.TASK_FINISHED, "Command exited with status 0");
        assertThat(status().consecutiveFailures()).isZero();
        assertThat(status().backingOffUntil()).isNull();
    }
}
