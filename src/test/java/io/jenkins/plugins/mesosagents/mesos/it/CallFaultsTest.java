package io.jenkins.plugins.mesosagents.mesos.it;

import static io.jenkins.plugins.mesosagents.mesos.it.SimCluster.WAIT;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jenkins.plugins.mesosagents.mesos.ConnectionState;
import io.jenkins.plugins.mesosagents.mesos.FrameworkIdentity;
import io.jenkins.plugins.mesosagents.mesos.MasterDetector;
import io.jenkins.plugins.mesosagents.mesos.MasterProbe;
import io.jenkins.plugins.mesosagents.mesos.MesosCallException;
import io.jenkins.plugins.mesosagents.mesos.SchedulerConfig;
import io.jenkins.plugins.mesosagents.mesos.SchedulerConnection;
import io.jenkins.plugins.mesosagents.testcluster.mesos.CallFaults;

import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The client against per-call faults of the simulated master: SUBSCRIBE refusals are classified and
 * reported, a JSON-only master is spoken to in JSON, TEARDOWN ends quietly, and "Test connection"
 * says what it tried and what the master answered.
 */
class CallFaultsTest {
    @TempDir Path work;

    @Test
    void aPermanentSubscribeRefusalReachesTheListenerWithTheMastersBody() throws Exception {
        try (SimCluster cluster = SimCluster.start(SimCluster.config(work).build())) {
            cluster.sim
                    .callFaults()
                    .inject(Call.Type.SUBSCRIBE, new CallFaults.Answer(405, "proxy says no"), -1);
            Recorder recorder = new Recorder();
            SchedulerConnection mesos =
                    cluster.connect(
                            SimCluster.client(
                                            cluster.leader(),
                                            SimCluster.identity("refused").build())
                                    .build(),
                            recorder);
            await().atMost(WAIT).until(() -> !recorder.errors.isEmpty());
            assertThat(recorder.errors.get(0)).contains("SUBSCRIBE", "HTTP 405", "proxy says no");
            // a transient refusal (503) is not reported as an error
            cluster.sim.callFaults().clear();
            await().atMost(WAIT).until(() -> mesos.state() == ConnectionState.SUBSCRIBED);
        }
    }

    @Test
    void aTransientSubscribeRefusalIsOnlyRetried() throws Exception {
        try (SimCluster cluster = SimCluster.start(SimCluster.config(work).build())) {
            cluster.sim
                    .callFaults()
                    .inject(
                            Call.Type.SUBSCRIBE,
                            new CallFaults.Answer(503, "Master has not finished recovery"),
                            3);
            Recorder recorder = new Recorder();
            SchedulerConnection mesos =
                    cluster.connect(
                            SimCluster.client(
                                            cluster.leader(), SimCluster.identity("later").build())
                                    .build(),
                            recorder);
            await().atMost(WAIT).until(() -> mesos.state() == ConnectionState.SUBSCRIBED);
            assertThat(recorder.errors).isEmpty();
            assertThat(recorder.disconnects).hasSize(3);
        }
    }

    @Test
    void aMasterThatRefusesProtobufIsSpokenToInJsonFromThenOn() throws Exception {
        try (SimCluster cluster = SimCluster.start(SimCluster.config(work).build())) {
            cluster.sim.callFaults().inject(CallFaults.ANY, new CallFaults.RefuseProtobuf(), -1);
            Recorder recorder = new Recorder();
            SchedulerConnection mesos =
                    cluster.connect(
                            SimCluster.client(cluster.leader(), SimCluster.identity("json").build())
                                    .build(),
                            recorder);
            await().atMost(WAIT).until(() -> mesos.state() == ConnectionState.SUBSCRIBED);
            mesos.reconcileAll().get(); // a call after the switch goes out as JSON too
            assertThat(cluster.sim.callFaults().applied(Call.Type.SUBSCRIBE)).isEqualTo(1);
            assertThat(cluster.sim.callFaults().applied(Call.Type.RECONCILE)).isZero();
        }
    }

    @Test
    void aHungCallTimesOutAfterTheCallTimeoutAndSaysItMayHaveTakenEffect() throws Exception {
        try (SimCluster cluster = SimCluster.start(SimCluster.config(work).build())) {
            Recorder recorder = new Recorder();
            SchedulerConnection mesos =
                    cluster.connect(
                            SimCluster.client(cluster.leader(), SimCluster.identity("slow").build())
                                    .callTimeout(Duration.ofMillis(500))
                                    .build(),
                            recorder);
            await().atMost(WAIT).until(() -> mesos.state() == ConnectionState.SUBSCRIBED);
            cluster.sim
                    .callFaults()
                    .inject(Call.Type.RECONCILE, new CallFaults.Hang(Duration.ofSeconds(5)), 1);

            long start = System.nanoTime();
            Throwable failure = mesos.reconcileAll().handle((ok, e) -> e).get();
            long tookMillis = (System.nanoTime() - start) / 1_000_000;

            assertThat(failure).isInstanceOf(MesosCallException.class);
            assertThat(((MesosCallException) failure).status()).isZero();
            assertThat(failure.getMessage())
                    .contains("RECONCILE", "no response", "may or may not have taken effect");
            assertThat(tookMillis)
                    .as("the call timeout, not the 75 s request timeout")
                    .isLessThan(4_000);
            // the subscription is untouched, and the next call goes through
            mesos.reconcileAll().get();
            assertThat(mesos.state()).isEqualTo(ConnectionState.SUBSCRIBED);
        }
    }

    @Test
    void aSuccessfulTeardownIsNotFollowedByAReSubscribingWarning() throws Exception {
        List<LogRecord> warnings = new CopyOnWriteArrayList<>();
        Logger log = Logger.getLogger("io.jenkins.plugins.mesosagents.mesos");
        Handler handler =
                new Handler() {
                    @Override
                    public void publish(LogRecord r) {
                        if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                            warnings.add(r);
                        }
                    }

                    @Override
                    public void flush() {}

                    @Override
                    public void close() {}
                };
        log.addHandler(handler);
        try (SimCluster cluster = SimCluster.start(SimCluster.config(work).build())) {
            Recorder recorder = new Recorder();
            SchedulerConnection mesos =
                    cluster.connect(
                            SimCluster.client(cluster.leader(), SimCluster.identity("bye").build())
                                    .build(),
                            recorder);
            await().atMost(WAIT).until(() -> mesos.state() == ConnectionState.SUBSCRIBED);
            mesos.teardown().get();
            Thread.sleep(500);
            assertThat(warnings)
                    .extracting(
                            r ->
                                    java.text.MessageFormat.format(
                                            String.valueOf(r.getMessage()), r.getParameters()))
                    .noneMatch(m -> m.contains("re-subscribing"));
            assertThat(recorder.disconnects).isEmpty();
        } finally {
            log.removeHandler(handler);
        }
    }

    @Test
    void testConnectionFallsBackToALighterCheckAndSaysWhatTheMasterAnswered() throws Exception {
        try (SimCluster cluster = SimCluster.start(SimCluster.config(work).build())) {
            cluster.sim
                    .callFaults()
                    .inject(
                            CallFaults.STATE,
                            new CallFaults.Answer(403, "Access denied by ACL"),
                            -1);
            SchedulerConfig config =
                    SchedulerConfig.builder(
                                    MasterDetector.fromString(
                                            cluster.sim.leaderUrl().toString(), "http"),
                                    FrameworkIdentity.builder("probe", "nobody").build())
                            .requestTimeout(Duration.ofSeconds(5))
                            .build();

            String result = MasterProbe.probe(config, Duration.ofSeconds(5)).toString();

            assertThat(result)
                    .contains(cluster.sim.leaderUrl() + "/master/state")
                    .contains("403", "Access denied by ACL")
                    .contains("/version", "Mesos 1.11.0");
        }
    }
}
