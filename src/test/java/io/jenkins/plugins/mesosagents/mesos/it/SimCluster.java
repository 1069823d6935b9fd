package io.jenkins.plugins.mesosagents.mesos.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jenkins.plugins.mesosagents.mesos.Backoff;
import io.jenkins.plugins.mesosagents.mesos.FrameworkIdentity;
import io.jenkins.plugins.mesosagents.mesos.MasterDetector;
import io.jenkins.plugins.mesosagents.mesos.SchedulerConfig;
import io.jenkins.plugins.mesosagents.mesos.SchedulerConnection;
import io.jenkins.plugins.mesosagents.testcluster.mesos.AgentConfig;
import io.jenkins.plugins.mesosagents.testcluster.mesos.MesosSimConfig;
import io.jenkins.plugins.mesosagents.testcluster.mesos.MesosSimulator;
import io.jenkins.plugins.mesosagents.testcluster.mesos.TaskView;

import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.Value;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One simulated Mesos cluster plus the scheduler connections a test opened against it. Closing it
 * closes the connections, then the simulator, and then checks that no task process outlived the
 * simulator.
 */
final class SimCluster implements AutoCloseable {
    /** Generous for a loaded 2-core machine running every test in one JVM, yet bounded. */
    static final Duration WAIT = Duration.ofSeconds(20);

    static final Duration HEARTBEAT = Duration.ofMillis(100);
    static final Duration STATUS_RETRY = Duration.ofSeconds(1);

    final MesosSimulator sim;
    private final List<SchedulerConnection> connections = new ArrayList<>();

    private SimCluster(MesosSimulator sim) {
        this.sim = sim;
    }

    /** Short heartbeat and allocation intervals, one agent with room for a few small tasks. */
    static MesosSimConfig.Builder config(Path workDir) {
        return MesosSimConfig.builder(workDir)
                .heartbeatInterval(HEARTBEAT)
                .allocationInterval(Duration.ofMillis(100))
                .statusUpdateRetryInterval(STATUS_RETRY)
                .killGracePeriod(Duration.ofSeconds(1))
                .agent(AgentConfig.of("agent1.local", 2, 1024));
    }

    static SimCluster start(MesosSimConfig config) throws IOException {
        return new SimCluster(MesosSimulator.start(config));
    }

    static FrameworkIdentity.Builder identity(String name) {
        return FrameworkIdentity.builder(name, System.getProperty("user.name", "jenkins"))
                .failoverTimeout(Duration.ofMinutes(5));
    }

    /**
     * A client with a short backoff and request timeout, so reconnects happen within seconds. It
     * tolerates 20 missed heartbeats (2 s) so that a stall of the loaded CI machine is not mistaken
     * for a dead stream; the heartbeat-loss test sets the production value of 5 itself.
     */
    static SchedulerConfig.Builder client(MasterDetector masters, FrameworkIdentity identity) {
        return SchedulerConfig.builder(masters, identity)
                .backoff(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, 0.2))
                .requestTimeout(Duration.ofSeconds(10))
                .missedHeartbeats(20);
    }

    /** The static master list of every simulated master, in start order. */
    MasterDetector allMasters() {
        return MasterDetector.fromString(
                sim.masterUrls().stream().map(Object::toString).collect(Collectors.joining(",")),
                "http");
    }

    MasterDetector leader() {
        return MasterDetector.fromString(sim.leaderUrl().toString(), "http");
    }

    SchedulerConnection connect(SchedulerConfig config, Recorder recorder) {
        SchedulerConnection connection = SchedulerConnection.start(config, recorder);
        recorder.connection = connection;
        connections.add(connection);
        return connection;
    }

    /** Waits for an offer, then launches a shell task on it; returns the offer used. */
    Offer launch(SchedulerConnection connection, Recorder recorder, String taskId, String command) {
        Offer offer = await().atMost(WAIT).until(() -> outstanding(recorder), o -> o != null);
        connection
                .launch(
                        List.of(offer.getId()),
                        List.of(shellTask(taskId, offer, command)),
                        SchedulerConnection.refuseFor(Duration.ZERO))
                .join();
        return offer;
    }

    /** The newest offer the framework received that the master still holds. */
    private Offer outstanding(Recorder recorder) {
        List<String> open = sim.offerIds();
        List<Offer> offers = recorder.offers();
        for (int i = offers.size() - 1; i >= 0; i--) {
            if (open.contains(offers.get(i).getId().getValue())) {
                return offers.get(i);
            }
        }
        return null;
    }

    static TaskInfo shellTask(String taskId, Offer offer, String command) {
        String role = offer.getAllocationInfo().getRole();
        return TaskInfo.newBuilder()
                .setName(taskId)
                .setTaskId(TaskID.newBuilder().setValue(taskId))
                .setAgentId(offer.getAgentId())
                .addResources(scalar("cpus", 0.1, role))
                .addResources(scalar("mem", 32, role))
                .setCommand(CommandInfo.newBuilder().setValue(command))
                .build();
    }

    private static Resource scalar(String name, double value, String role) {
        return Resource.newBuilder()
                .setName(name)
                .setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(value))
                .setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole(role))
                .build();
    }

    TaskView task(String taskId) {
        Optional<TaskView> task = sim.task(taskId);
        assertThat(task).as("task %s known to the simulator", taskId).isPresent();
        return task.get();
    }

    @Override
    public void close() {
        List<Long> pids = new ArrayList<>();
        try {
            sim.tasks().stream().filter(t -> t.pid() > 0).forEach(t -> pids.add(t.pid()));
        } finally {
            connections.forEach(SchedulerConnection::close);
            sim.close();
        }
        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(pids)
                                        .as("task processes still alive after the simulator closed")
                                        .noneMatch(
                                                pid ->
                                                        ProcessHandle.of(pid)
                                                                .map(ProcessHandle::isAlive)
                                                                .orElse(false)));
    }
}
