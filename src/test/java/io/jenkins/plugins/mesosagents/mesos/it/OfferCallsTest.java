package io.jenkins.plugins.mesosagents.mesos.it;

import static io.jenkins.plugins.mesosagents.mesos.it.SimCluster.WAIT;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jenkins.plugins.mesosagents.mesos.ConnectionState;
import io.jenkins.plugins.mesosagents.mesos.Encoding;
import io.jenkins.plugins.mesosagents.mesos.FrameworkIdentity;
import io.jenkins.plugins.mesosagents.mesos.MesosCallException;
import io.jenkins.plugins.mesosagents.mesos.SchedulerConnection;

import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * The offer calls of our client as the simulated master understands them, in both encodings:
 * DECLINE with a refuse filter, REVIVE, SUPPRESS, and a LAUNCH on a rescinded offer (TASK_DROPPED
 * without uuid, never acknowledged).
 */
class OfferCallsTest {
    /**
     * Ten allocation intervals: long enough that an offer would have come back if the call had no
     * effect.
     */
    private static final Duration QUIET = Duration.ofSeconds(1);

    @TempDir Path work;

    @ParameterizedTest
    @EnumSource(Encoding.class)
    void declineSuppressReviveAndRescind(Encoding encoding) throws Exception {
        try (SimCluster cluster = SimCluster.start(SimCluster.config(work).build())) {
            Recorder recorder = new Recorder();
            SchedulerConnection mesos =
                    cluster.connect(
                            SimCluster.client(
                                            cluster.leader(),
                                            SimCluster.identity("offers-" + encoding).build())
                                    .encoding(encoding)
                                    .build(),
                            recorder);
            await().atMost(WAIT).until(() -> mesos.state() == ConnectionState.SUBSCRIBED);

            Offer first = await().atMost(WAIT).until(recorder::latestOffer, o -> o != null);
            mesos.decline(
                            List.of(first.getId()),
                            SchedulerConnection.refuseFor(Duration.ofMinutes(1)))
                    .get();
            assertNoOfferFor(recorder, QUIET);
            mesos.revive(List.of()).get(); // clears the refuse filter
            Offer second = awaitNewOffer(recorder, first);

            mesos.suppress(List.of()).get();
            mesos.decline(List.of(second.getId()), SchedulerConnection.refuseFor(Duration.ZERO))
                    .get();
            assertNoOfferFor(recorder, QUIET);
            mesos.revive(List.of()).get();
            Offer third = awaitNewOffer(recorder, second);

            cluster.sim.rescindOffer(third.getId().getValue());
            await().atMost(WAIT)
                    .until(
                            () ->
                                    recorder.events.stream()
                                            .anyMatch(
                                                    e ->
                                                            e.getType() == Event.Type.RESCIND
                                                                    && e.getRescind()
                                                                            .getOfferId()
                                                                            .equals(
                                                                                    third
                                                                                            .getId())));
            mesos.launch(
                            List.of(third.getId()),
                            List.of(SimCluster.shellTask("too-late", third, "exec sleep 60")),
                            SchedulerConnection.refuseFor(Duration.ZERO))
                    .get();
            TaskStatus dropped =
                    await().atMost(WAIT)
                            .until(
                                    () ->
                                            recorder.updates("too-late").stream()
                                                    .findFirst()
                                                    .orElse(null),
                                    s -> s != null);
            assertThat(dropped.getState())
                    .as("stale offer, PARTITION_AWARE")
                    .isEqualTo(TaskState.TASK_DROPPED);
            assertThat(dropped.getReason()).isEqualTo(TaskStatus.Reason.REASON_INVALID_OFFERS);
            assertThat(dropped.hasUuid()).isFalse();
            assertThat(mesos.acknowledge(dropped))
                    .failsWithin(Duration.ofSeconds(1))
                    .withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(IllegalArgumentException.class)
                    .withMessageContaining("no uuid");
            assertThat(recorder.ackFailures).isEmpty();
            assertThat(cluster.sim.tasks())
                    .noneMatch(t -> t.taskId().equals("too-late") && t.pid() > 0);
        }
    }

    @ParameterizedTest
    @EnumSource(Encoding.class)
    void updateFrameworkAddsARoleAndRefusesAChangedUser(Encoding encoding) throws Exception {
        try (SimCluster cluster = SimCluster.start(SimCluster.config(work).build())) {
            Recorder recorder = new Recorder();
            SchedulerConnection mesos =
                    cluster.connect(
                            SimCluster.client(
                                            cluster.leader(),
                                            SimCluster.identity("update-" + encoding)
                                                    .role("builds")
                                                    .build())
                                    .encoding(encoding)
                                    .build(),
                            recorder);
            await().atMost(WAIT).until(() -> mesos.state() == ConnectionState.SUBSCRIBED);
            Offer first = await().atMost(WAIT).until(recorder::latestOffer, o -> o != null);
            assertThat(first.getAllocationInfo().getRole()).isEqualTo("builds");

            mesos.updateFramework(
                            SimCluster.identity("update-" + encoding)
                                    .role("builds")
                                    .role("tests")
                                    .build(),
                            List.of("builds"))
                    .get();
            mesos.decline(List.of(first.getId()), SchedulerConnection.refuseFor(Duration.ZERO))
                    .get();
            Offer forNewRole =
                    await().atMost(WAIT)
                            .until(
                                    recorder::latestOffer,
                                    o ->
                                            o != null
                                                    && o.getAllocationInfo()
                                                            .getRole()
                                                            .equals("tests"));
            assertThat(forNewRole.getFrameworkId().getValue())
                    .isEqualTo(recorder.first().frameworkId());
            assertThat(cluster.sim.stateJson()).contains("\"tests\"");

            // the update must outlive the stream: a re-SUBSCRIBE carries the updated roles and
            // suppressed roles
            int offersBefore = recorder.offers().size();
            cluster.sim.dropStream(recorder.first().frameworkId());
            await().atMost(WAIT)
                    .until(
                            () ->
                                    recorder.subscriptions.size() >= 2
                                            && mesos.state() == ConnectionState.SUBSCRIBED);
            Offer afterResubscribe =
                    await().atMost(WAIT)
                            .until(
                                    () ->
                                            recorder.offers().size() > offersBefore
                                                    ? recorder.latestOffer()
                                                    : null,
                                    o -> o != null);
            assertThat(afterResubscribe.getAllocationInfo().getRole())
                    .as("'builds' stays suppressed")
                    .isEqualTo("tests");

            var refused =
                    mesos.updateFramework(
                            FrameworkIdentity.builder("update-" + encoding, "someone-else")
                                    .role("builds")
                                    .build(),
                            List.of());
            assertThat(refused)
                    .failsWithin(WAIT)
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause()
                    .isInstanceOfSatisfying(
                            MesosCallException.class,
                            e -> {
                                assertThat(e.callType()).isEqualTo(Call.Type.UPDATE_FRAMEWORK);
                                assertThat(e.status()).isEqualTo(400);
                                assertThat(e.body())
                                        .contains("Updating 'FrameworkInfo.user' is unsupported");
                            });
        }
    }

    private static void assertNoOfferFor(Recorder recorder, Duration quiet)
            throws InterruptedException {
        int before = recorder.offers().size();
        Thread.sleep(quiet.toMillis());
        assertThat(recorder.offers()).hasSize(before);
    }

    private static Offer awaitNewOffer(Recorder recorder, Offer previous) {
        return await().atMost(WAIT)
                .until(
                        recorder::latestOffer,
                        o -> o != null && !o.getId().equals(previous.getId()));
    }
}
