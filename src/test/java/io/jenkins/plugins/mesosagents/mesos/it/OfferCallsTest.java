package io.jenkins.plugins.mesosagents.mesos.it;

import static io.jenkins.plugins.mesosagents.mesos.it.SimCluster.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jenkins.plugins.mesosagents.mesos.ConnectionState;
import io.jenkins.plugins.mesosagents.mesos.Encoding;
import io.jenkins.plugins.mesosagents.mesos.SchedulerConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The offer calls of our client as the simulated master understands them, in both encodings: DECLINE with a
 * refuse filter, REVIVE, SUPPRESS, and a LAUNCH on a rescinded offer (TASK_DROPPED without uuid, never acknowledged).
 */
class OfferCallsTest {
    /** Ten allocation intervals: long enough that an offer would have come back if the call had no effect. */
    private static final Duration QUIET = Duration.ofSeconds(1);

    @TempDir
    Path work;

    @ParameterizedTest
    @EnumSource(Encoding.class)
    void declineSuppressReviveAndRescind(Encoding encoding) throws Exception {
        try (SimCluster cluster = SimCluster.start(SimCluster.config(work).build())) {
            Recorder recorder = new Recorder();
            SchedulerConnection mesos = cluster.connect(SimCluster.client(cluster.leader(),
                    SimCluster.identity("offers-" + encoding).build()).encoding(encoding).build(), recorder);
            await().atMost(WAIT).until(() -> mesos.state() == ConnectionState.SUBSCRIBED);

            Offer first = await().atMost(WAIT).until(recorder::latestOffer, o -> o != null);
            mesos.decline(List.of(first.getId()), SchedulerConnection.refuseFor(Duration.ofMinutes(1))).get();
            assertNoOfferFor(recorder, QUIET);
            mesos.revive(List.of()).get(); // clears the refuse filter
            Offer second = awaitNewOffer(recorder, first);

            mesos.suppress(List.of()).get();
            mesos.decline(List.of(second.getId()), SchedulerConnection.refuseFor(Duration.ZERO)).get();
            assertNoOfferFor(recorder, QUIET);
            mesos.revive(List.of()).get();
            Offer third = awaitNewOffer(recorder, second);

            cluster.sim.rescindOffer(third.getId().getValue());
            await().atMost(WAIT).until(() -> recorder.events.stream()
                    .anyMatch(e -> e.getType() == Event.Type.RESCIND
                            && e.getRescind().getOfferId().equals(third.getId())));
            mesos.launch(List.of(third.getId()), List.of(SimCluster.shellTask("too-late", third, "exec sleep 60")),
                    SchedulerConnection.refuseFor(Duration.ZERO)).get();
            TaskStatus dropped = await().atMost(WAIT).until(() -> recorder.updates("too-late").stream()
                    .findFirst().orElse(null), s -> s != null);
            assertThat(dropped.getState()).as("stale offer, PARTITION_AWARE").isEqualTo(TaskState.TASK_DROPPED);
            assertThat(dropped.getReason()).isEqualTo(TaskStatus.Reason.REASON_INVALID_OFFERS);
            assertThat(dropped.hasUuid()).isFalse();
            assertThat(mesos.acknowledge(dropped)).failsWithin(Duration.ofSeconds(1))
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .withCauseInstanceOf(IllegalArgumentException.class)
                    .withMessageContaining("no uuid");
            assertThat(recorder.ackFailures).isEmpty();
            assertThat(cluster.sim.tasks()).noneMatch(t -> t.taskId().equals("too-late") && t.pid() > 0);
        }
    }

    private static void assertNoOfferFor(Recorder recorder, Duration quiet) throws InterruptedException {
        int before = recorder.offers().size();
        Thread.sleep(quiet.toMillis());
        assertThat(recorder.offers()).hasSize(before);
    }

    private static Offer awaitNewOffer(Recorder recorder, Offer previous) {
        return await().atMost(WAIT).until(recorder::latestOffer, o -> o != null && !o.getId().equals(previous.getId()));
    }
}
