package io.jenkins.plugins.mesosagents.accounting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jenkins.plugins.mesosagents.engine.LaunchedAgent;
import io.jenkins.plugins.mesosagents.engine.PlannedAgent;
import io.jenkins.plugins.mesosagents.session.MesosSchedulerSession;
import io.jenkins.plugins.mesosagents.session.SessionCluster;
import io.jenkins.plugins.mesosagents.testcluster.mesos.AgentConfig;

import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Per-build accounting against the simulated Mesos master, through the real session: the resources
 * and times an {@link AgentUsage} is built from (what the engine reports to Jenkins for the agent:
 * {@link LaunchedAgent#resources()}, {@link LaunchedAgent#runningSince()} and the task's end
 * through {@code JenkinsAgents.taskEnded}) are compared with what the simulator itself holds: the
 * TaskInfo it accepted (resources summed here, independently of the plugin's code) and the
 * timestamps of the status updates its agent produced.
 */
class AccountingOnSimulatorTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir Path dir;

    private SessionCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aBuildOutlastingItsTaskIsChargedTheTasksRunningTimeAsMesosReportsIt() throws Exception {
        MesosSchedulerSession session = startWith("crash-soon");
        Instant buildStart =
                Instant.now()
                        .truncatedTo(
                                ChronoUnit.MILLIS); // the build waited for this agent from here
        PlannedAgent planned = provisionOne(session);
        LaunchedAgent launched = running(planned);
        // the fake agent exits on its own one second after it started: Mesos says TASK_FAILED
        await().atMost(WAIT).until(() -> cluster.nodes.taskEnded.containsKey(planned.name()));
        Instant buildEnd =
                Instant.now()
                        .truncatedTo(ChronoUnit.MILLIS); // the build noticed its agent was gone

        TaskInfo info = cluster.mesos.launchedTaskInfo(planned.name()).orElseThrow();
        List<TaskStatus> updates = cluster.mesos.agentUpdates(planned.name());
        Instant simRunning = timestampOf(updates, TaskState.TASK_RUNNING);
        Instant simFailed = timestampOf(updates, TaskState.TASK_FAILED);

        AgentUsage usage =
                new AgentUsage(
                        planned.name(),
                        "linux",
                        launched.hostname(),
                        launched.taskId(),
                        launched.resources(),
                        buildStart,
                        buildEnd,
                        launched.runningSince(),
                        cluster.nodes.taskEnded.get(planned.name()));

        assertThat(usage.resources().cpus()).isEqualTo(scalar(info, "cpus")).isEqualTo(1.5);
        assertThat(usage.resources().memMb()).isEqualTo(scalar(info, "mem")).isEqualTo(768.0);
        assertThat(usage.resources().diskMb()).isEqualTo(scalar(info, "disk")).isEqualTo(100.0);
        assertThat(usage.resources().gpus()).isEqualTo(scalar(info, "gpus")).isZero();
        assertThat(usage.host()).isEqualTo("a1.local");
        assertThat(usage.taskId()).isEqualTo(info.getTaskId().getValue());
        assertThat(usage.taskRunning()).isEqualTo(simRunning);
        assertThat(usage.taskEnded()).isEqualTo(simFailed);
        assertThat(usage.chargedStart()).isEqualTo(simRunning);
        assertThat(usage.chargedEnd()).isEqualTo(simFailed);
        double simSeconds = (simFailed.toEpochMilli() - simRunning.toEpochMilli()) / 1000.0;
        assertThat(simSeconds).as("the fake agent ran about a second").isBetween(0.5, 10.0);
        assertThat(usage.seconds()).isEqualTo(simSeconds);
        assertThat(usage.cpuSeconds()).isEqualTo(scalar(info, "cpus") * simSeconds);
        assertThat(usage.gbSeconds()).isEqualTo(scalar(info, "mem") / 1024 * simSeconds);
    }

    @Test
    void aBuildInsideItsTasksLifeIsChargedItsOwnTimeWithTheTasksResources() throws Exception {
        MesosSchedulerSession session = startWith("sleep");
        PlannedAgent planned = provisionOne(session);
        LaunchedAgent launched = running(planned);
        Instant buildStart = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        TimeUnit.MILLISECONDS.sleep(300);
        Instant buildEnd = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        session.release(planned.name()); // the single-use agent's build is over
        await().atMost(WAIT).until(() -> cluster.nodes.taskEnded.containsKey(planned.name()));

        TaskInfo info = cluster.mesos.launchedTaskInfo(planned.name()).orElseThrow();
        List<TaskStatus> updates = cluster.mesos.agentUpdates(planned.name());
        AgentUsage usage =
                new AgentUsage(
                        planned.name(),
                        "linux",
                        launched.hostname(),
                        launched.taskId(),
                        launched.resources(),
                        buildStart,
                        buildEnd,
                        launched.runningSince(),
                        null); // the task was still running when the build released it

        assertThat(launched.runningSince()).isEqualTo(timestampOf(updates, TaskState.TASK_RUNNING));
        assertThat(cluster.nodes.taskEnded.get(planned.name()))
                .isEqualTo(timestampOf(updates, TaskState.TASK_KILLED))
                .isAfter(buildEnd);
        assertThat(usage.chargedStart()).isEqualTo(buildStart);
        assertThat(usage.chargedEnd()).isEqualTo(buildEnd);
        double seconds = (buildEnd.toEpochMilli() - buildStart.toEpochMilli()) / 1000.0;
        assertThat(usage.seconds()).isEqualTo(seconds).isGreaterThanOrEqualTo(0.3);
        assertThat(usage.cpuSeconds()).isEqualTo(scalar(info, "cpus") * seconds);
        assertThat(usage.gbSeconds()).isEqualTo(scalar(info, "mem") / 1024 * seconds);
    }

    private MesosSchedulerSession startWith(String fakeAgent) throws Exception {
        var sim = SessionCluster.fastSimulator(dir);
        sim.agent(AgentConfig.of("a1.local", 4, 4096));
        cluster = SessionCluster.start(dir, sim);
        return cluster.session(
                cluster.engine(cluster.jenkinsUrl()).build(),
                dir.resolve("state.json"),
                List.of(
                        cluster.template("linux")
                                .cpus(1.5)
                                .memMb(768)
                                .diskMb(100)
                                .env("FAKE_AGENT", fakeAgent)
                                .build()));
    }

    private PlannedAgent provisionOne(MesosSchedulerSession session) {
        List<PlannedAgent> planned =
                session.provision("linux", 1, cluster.namer())
                        .orTimeout(10, TimeUnit.SECONDS)
                        .join();
        assertThat(planned).hasSize(1);
        session.nodeReady(planned.get(0).name());
        return planned.get(0);
    }

    private static LaunchedAgent running(PlannedAgent p) {
        return p.running().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** The simulator's timestamp (seconds) of the agent's update to {@code state}, in millis. */
    private static Instant timestampOf(List<TaskStatus> updates, TaskState state) {
        TaskStatus s =
                updates.stream()
                        .filter(u -> u.getState() == state)
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no " + state + " in " + updates));
        assertThat(s.hasTimestamp()).isTrue();
        return Instant.ofEpochMilli(Math.round(s.getTimestamp() * 1000));
    }

    /** The TaskInfo's resources of one name, summed over its pieces. */
    private static double scalar(TaskInfo info, String name) {
        double sum = 0;
        for (Resource r : info.getResourcesList()) {
            if (r.getName().equals(name)) {
                sum += r.getScalar().getValue();
            }
        }
        return sum;
    }
}
