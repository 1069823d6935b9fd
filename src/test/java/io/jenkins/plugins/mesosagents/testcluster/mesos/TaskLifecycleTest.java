package io.jenkins.plugins.mesosagents.testcluster.mesos;

import static io.jenkins.plugins.mesosagents.testcluster.mesos.SimCalls.ack;
import static io.jenkins.plugins.mesosagents.testcluster.mesos.SimCalls.framework;
import static io.jenkins.plugins.mesosagents.testcluster.mesos.SimCalls.launch;
import static io.jenkins.plugins.mesosagents.testcluster.mesos.SimCalls.shellTask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpServer;

import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo.Capability.Type;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Secret;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Volume;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

class TaskLifecycleTest {
    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir Path work;
    MesosSimulator sim;
    HttpServer files;

    @BeforeEach
    void start() throws Exception {
        sim =
                MesosSimulator.start(
                        MesosSimConfig.builder(work.resolve("cluster"))
                                .heartbeatInterval(Duration.ofMillis(200))
                                .allocationInterval(Duration.ofMillis(100))
                                .statusUpdateRetryInterval(Duration.ofMillis(300))
                                .killGracePeriod(Duration.ofMillis(500))
                                .agent(AgentConfig.of("a1.local", 4, 4096))
                                .agent(AgentConfig.of("a2.local", 4, 4096))
                                .build());
    }

    @AfterEach
    void stop() {
        List<TaskView> tasks = sim.tasks();
        sim.close();
        if (files != null) {
            files.stop(0);
        }
        for (TaskView t : tasks) {
            if (t.pid() > 0) {
                assertThat(ProcessHandle.of(t.pid()).map(ProcessHandle::isAlive).orElse(false))
                        .as("process of task %s left running after close()", t.taskId())
                        .isFalse();
            }
        }
    }

    private static Offer offer(SimClient c) throws InterruptedException {
        return c.await(Event.Type.OFFERS, WAIT).getOffers().getOffers(0);
    }

    /** Acks every uuid-bearing update for the task until it reaches {@code state}. */
    private static TaskStatus ackUntil(SimClient c, String taskId, TaskState state)
            throws Exception {
        while (true) {
            Event e =
                    c.await(
                            x ->
                                    x.getType() == Event.Type.UPDATE
                                            && x.getUpdate()
                                                    .getStatus()
                                                    .getTaskId()
                                                    .getValue()
                                                    .equals(taskId),
                            WAIT);
            TaskStatus s = e.getUpdate().getStatus();
            if (s.hasUuid()) {
                c.send(ack(c, s));
            }
            if (s.getState() == state) {
                return s;
            }
        }
    }

    @Test
    void commandTaskRunsAsAProcessWithFetchedUrisAndEnvironment() throws Exception {
        Path local = Files.writeString(work.resolve("input.txt"), "from file uri");
        Path scripts = Files.createDirectories(work.resolve("scripts"));
        Files.writeString(scripts.resolve("hello.sh"), "echo hello-from-tar");
        Path tgz = work.resolve("bundle.tar.gz");
        assertThat(
                        new ProcessBuilder(
                                        "tar",
                                        "-czf",
                                        tgz.toString(),
                                        "-C",
                                        scripts.toString(),
                                        "hello.sh")
                                .start()
                                .waitFor())
                .isZero();
        files = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        files.createContext(
                "/tool",
                ex -> {
                    byte[] b = "#!/bin/sh\necho tool-ran\n".getBytes(StandardCharsets.UTF_8);
                    ex.sendResponseHeaders(200, b.length);
                    ex.getResponseBody().write(b);
                    ex.close();
                });
        files.createContext(
                "/bundle.tar.gz",
                ex -> {
                    byte[] b = Files.readAllBytes(tgz);
                    ex.sendResponseHeaders(200, b.length);
                    ex.getResponseBody().write(b);
                    ex.close();
                });
        files.start();
        String base = "http://127.0.0.1:" + files.getAddress().getPort();

        try (SimClient c = SimClient.subscribe(sim.leaderUrl(), framework("runner"), false)) {
            Offer o = offer(c);
            CommandInfo cmd =
                    CommandInfo.newBuilder()
                            .setValue(
                                    "echo $MESOS_TASK_ID $GREETING $TOKEN > out.txt && cat"
                                            + " input.txt >> out.txt && ./tool >> out.txt && sh"
                                            + " hello.sh >> out.txt")
                            .addUris(
                                    CommandInfo.URI.newBuilder().setValue(local.toUri().toString()))
                            .addUris(
                                    CommandInfo.URI
                                            .newBuilder()
                                            .setValue(base + "/tool")
                                            .setExecutable(true))
                            .addUris(CommandInfo.URI.newBuilder().setValue(base + "/bundle.tar.gz"))
                            .setEnvironment(
                                    Environment.newBuilder()
                                            .addVariables(
                                                    Environment.Variable.newBuilder()
                                                            .setName("GREETING")
                                                            .setValue("hi"))
                                            .addVariables(
                                                    Environment.Variable.newBuilder()
                                                            .setName("TOKEN")
                                                            .setType(
                                                                    Environment.Variable.Type
                                                                            .SECRET)
                                                            .setSecret(
                                                                    Secret.newBuilder()
                                                                            .setType(
                                                                                    Secret.Type
                                                                                            .VALUE)
                                                                            .setValue(
                                                                                    Secret.Value
                                                                                            .newBuilder()
                                                                                            .setData(
                                                                                                    ByteString
                                                                                                            .copyFromUtf8(
                                                                                                                    "s3cr3t"))))))
                            .build();
            TaskInfo task = shellTask("job-1", o, "").toBuilder().setCommand(cmd).build();
            c.send(launch(c, o, task));
            TaskStatus starting = c.awaitUpdate("job-1", TaskState.TASK_STARTING, WAIT);
            assertThat(starting.getUuid().size()).isEqualTo(16);
            assertThat(starting.getSource()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
            c.send(ack(c, starting));
            TaskStatus finished = ackUntil(c, "job-1", TaskState.TASK_FINISHED);
            assertThat(finished.getMessage()).isEqualTo("Command exited with status 0");
            assertThat(c.seen)
                    .filteredOn(e -> e.getType() == Event.Type.UPDATE)
                    .extracting(e -> e.getUpdate().getStatus().getState())
                    .containsSubsequence(
                            TaskState.TASK_STARTING,
                            TaskState.TASK_RUNNING,
                            TaskState.TASK_FINISHED);

            TaskView view = sim.task("job-1").orElseThrow();
            assertThat(view.sandbox()).startsWith(work.resolve("cluster")).isDirectory();
            assertThat(view.sandbox().toString())
                    .contains("/frameworks/" + c.frameworkId + "/executors/job-1/runs/");
            assertThat(Files.readString(view.sandbox().resolve("out.txt")))
                    .isEqualTo("job-1 hi s3cr3t\nfrom file uritool-ran\nhello-from-tar\n");
            assertThat(view.sandbox().resolve("stdout")).exists();
            assertThat(view.environment())
                    .containsEntry("MESOS_SANDBOX", view.sandbox().toString());
        }
    }

    @Test
    void fetchFailureAndNonLoopbackUrisFailTheLaunch() throws Exception {
        try (SimClient c = SimClient.subscribe(sim.leaderUrl(), framework("fetch"), true)) {
            Offer o = offer(c);
            TaskInfo task =
                    shellTask("remote", o, "true").toBuilder()
                            .setCommand(
                                    CommandInfo.newBuilder()
                                            .setValue("true")
                                            .addUris(
                                                    CommandInfo.URI
                                                            .newBuilder()
                                                            .setValue("http://192.0.2.1/x.tgz")))
                            .build();
            c.send(launch(c, o, task));
            TaskStatus failed = c.awaitUpdate("remote", TaskState.TASK_FAILED, WAIT);
            assertThat(failed.getReason())
                    .isEqualTo(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED);
            assertThat(failed.getMessage()).contains("loopback");
            assertThat(failed.hasUuid()).isTrue();
        }
    }

    @Test
    void updatesAreResentUntilAcknowledgedThenStop() throws Exception {
        try (SimClient c = SimClient.subscribe(sim.leaderUrl(), framework("acks"), false)) {
            Offer o = offer(c);
            c.send(launch(c, o, shellTask("slow-ack", o, "sleep 30")));
            TaskStatus first = c.awaitUpdate("slow-ack", TaskState.TASK_STARTING, WAIT);
            TaskStatus again = c.awaitUpdate("slow-ack", TaskState.TASK_STARTING, WAIT);
            assertThat(again.getUuid()).isEqualTo(first.getUuid());
            // RUNNING is held back until STARTING is acknowledged, as the agent's status update
            // manager does
            assertThat(c.seen)
                    .noneMatch(
                            e ->
                                    e.getType() == Event.Type.UPDATE
                                            && e.getUpdate().getStatus().getState()
                                                    == TaskState.TASK_RUNNING);
            c.send(ack(c, first));
            TaskStatus running = c.awaitUpdate("slow-ack", TaskState.TASK_RUNNING, WAIT);
            c.send(ack(c, running));
            Thread.sleep(1000); // more than three retry intervals
            long copies =
                    c.seen.stream()
                            .filter(
                                    e ->
                                            e.getType() == Event.Type.UPDATE
                                                    && e.getUpdate()
                                                            .getStatus()
                                                            .getUuid()
                                                            .equals(running.getUuid()))
                            .count();
            assertThat(copies).isEqualTo(1);
            assertThat(sim.task("slow-ack").orElseThrow().unacknowledgedUpdates()).isZero();
        }
    }

    @Test
    void killSendsSigtermAndEscalatesToSigkillAfterTheGracePeriod() throws Exception {
        try (SimClient c =
                SimClient.subscribe(
                        sim.leaderUrl(), framework("killer", Type.TASK_KILLING_STATE), false)) {
            Offer o = offer(c);
            c.send(
                    launch(
                            c,
                            o,
                            shellTask(
                                    "polite",
                                    o,
                                    "trap 'echo got-term > term.txt; exit 0' TERM; while true; do"
                                            + " sleep 0.1; done"),
                            shellTask(
                                    "stubborn",
                                    o,
                                    "trap '' TERM; while true; do sleep 0.1; done")));
            TaskStatus politeRunning = ackUntil(c, "polite", TaskState.TASK_RUNNING);
            TaskStatus stubbornRunning = ackUntil(c, "stubborn", TaskState.TASK_RUNNING);
            long stubbornPid = sim.task("stubborn").orElseThrow().pid();
            assertThat(ProcessHandle.of(stubbornPid)).isPresent();

            c.send(SimCalls.kill(c, "polite", politeRunning.getAgentId(), 5_000));
            assertThat(ackUntil(c, "polite", TaskState.TASK_KILLING).getState())
                    .isEqualTo(TaskState.TASK_KILLING);
            TaskStatus politeKilled = ackUntil(c, "polite", TaskState.TASK_KILLED);
            assertThat(politeKilled.getState()).isEqualTo(TaskState.TASK_KILLED);
            assertThat(
                            Files.readString(
                                    sim.task("polite").orElseThrow().sandbox().resolve("term.txt")))
                    .isEqualTo("got-term\n");

            long t0 = System.nanoTime();
            c.send(SimCalls.kill(c, "stubborn", stubbornRunning.getAgentId(), 400));
            TaskStatus killed = ackUntil(c, "stubborn", TaskState.TASK_KILLED);
            assertThat(Duration.ofNanos(System.nanoTime() - t0))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(400));
            assertThat(killed.getMessage()).isEqualTo("Command terminated with signal 9");
            await().atMost(WAIT)
                    .until(() -> ProcessHandle.of(stubbornPid).map(p -> !p.isAlive()).orElse(true));
        }
    }

    @Test
    void reconciliationAnswersWithoutUuid() throws Exception {
        try (SimClient c =
                SimClient.subscribe(
                        sim.leaderUrl(), framework("rec", Type.PARTITION_AWARE), true)) {
            Offer o = offer(c);
            c.send(launch(c, o, shellTask("r1", o, "sleep 30")));
            TaskStatus running = ackUntil(c, "r1", TaskState.TASK_RUNNING);
            String agent = running.getAgentId().getValue();

            c.send(SimCalls.reconcile(c, "r1", agent, "ghost", agent, "nowhere", null));
            // a RUNNING update the master resent before our ACK arrived may still be queued; it
            // carries a uuid
            TaskStatus r1 = c.awaitReconciliation("r1", TaskState.TASK_RUNNING, WAIT);
            assertThat(r1.getReason()).isEqualTo(TaskStatus.Reason.REASON_RECONCILIATION);
            assertThat(r1.getSource()).isEqualTo(TaskStatus.Source.SOURCE_MASTER);
            assertThat(c.awaitUpdate("ghost", TaskState.TASK_GONE, WAIT).hasUuid()).isFalse();
            assertThat(c.awaitUpdate("nowhere", TaskState.TASK_UNKNOWN, WAIT).getReason())
                    .isEqualTo(TaskStatus.Reason.REASON_RECONCILIATION);

            c.send(SimCalls.reconcile(c));
            TaskStatus implicit = c.awaitReconciliation("r1", TaskState.TASK_RUNNING, WAIT);
            assertThat(implicit.getReason()).isEqualTo(TaskStatus.Reason.REASON_RECONCILIATION);

            // KILL of an unknown task is answered like an explicit reconciliation
            c.send(SimCalls.kill(c, "ghost2", running.getAgentId(), -1));
            assertThat(c.awaitUpdate("ghost2", TaskState.TASK_GONE, WAIT).hasUuid()).isFalse();
        }
        try (SimClient legacy = SimClient.subscribe(sim.leaderUrl(), framework("legacy"), false)) {
            legacy.await(Event.Type.SUBSCRIBED, WAIT);
            legacy.send(SimCalls.reconcile(legacy, "ghost", sim.agentIds().get(0)));
            assertThat(legacy.awaitUpdate("ghost", TaskState.TASK_LOST, WAIT).getReason())
                    .isEqualTo(TaskStatus.Reason.REASON_RECONCILIATION);
        }
    }

    @Test
    void resubscribingWithinFailoverTimeoutKeepsTasksAndAfterItTheyAreKilled() throws Exception {
        FrameworkInfo info = framework("failover").toBuilder().setFailoverTimeout(1.5).build();
        String fwId;
        long pid;
        try (SimClient c = SimClient.subscribe(sim.leaderUrl(), info, false)) {
            Offer o = offer(c);
            c.send(launch(c, o, shellTask("long", o, "sleep 60")));
            ackUntil(c, "long", TaskState.TASK_RUNNING);
            fwId = c.frameworkId;
            pid = sim.task("long").orElseThrow().pid();
        }
        Thread.sleep(700); // disconnected, but within failover_timeout
        FrameworkInfo again =
                info.toBuilder().setId(FrameworkID.newBuilder().setValue(fwId)).build();
        try (SimClient c = SimClient.subscribe(sim.leaderUrl(), again, false)) {
            assertThat(
                            c.await(Event.Type.SUBSCRIBED, WAIT)
                                    .getSubscribed()
                                    .getFrameworkId()
                                    .getValue())
                    .isEqualTo(fwId);
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
            c.send(SimCalls.reconcile(c));
            assertThat(c.awaitUpdate("long", TaskState.TASK_RUNNING, WAIT).getReason())
                    .isEqualTo(TaskStatus.Reason.REASON_RECONCILIATION);

            // a second subscription with the same id takes over; the old stream gets "Framework
            // failed over"
            try (SimClient newer = SimClient.subscribe(sim.leaderUrl(), again, true)) {
                assertThat(c.await(Event.Type.ERROR, WAIT).getError().getMessage())
                        .isEqualTo("Framework failed over");
                newer.await(Event.Type.SUBSCRIBED, WAIT);
                await().atMost(WAIT).until(() -> c.ended);
            }
        }
        await().atMost(Duration.ofSeconds(15))
                .until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        try (SimClient late = SimClient.subscribe(sim.leaderUrl(), again, false)) {
            assertThat(late.await(Event.Type.ERROR, WAIT).getError().getMessage())
                    .isEqualTo("Framework has been removed");
            await().atMost(WAIT).until(() -> late.ended);
        }
    }

    @Test
    void teardownKillsTasksClosesTheStreamAndForgetsTheFramework() throws Exception {
        FrameworkInfo info = framework("short-lived");
        try (SimClient c = SimClient.subscribe(sim.leaderUrl(), info, false)) {
            Offer o = offer(c);
            c.send(launch(c, o, shellTask("doomed", o, "sleep 60")));
            ackUntil(c, "doomed", TaskState.TASK_RUNNING);
            long pid = sim.task("doomed").orElseThrow().pid();
            c.send(
                    SimCalls.call(c, org.apache.mesos.v1.scheduler.Protos.Call.Type.TEARDOWN)
                            .build());
            await().atMost(WAIT).until(() -> c.ended);
            await().atMost(WAIT)
                    .until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
            FrameworkInfo again =
                    info.toBuilder()
                            .setId(FrameworkID.newBuilder().setValue(c.frameworkId))
                            .build();
            try (SimClient late = SimClient.subscribe(sim.leaderUrl(), again, true)) {
                assertThat(late.await(Event.Type.ERROR, WAIT).getError().getMessage())
                        .isEqualTo("Framework has been removed");
            }
        }
    }

    @Test
    void agentPartitionAndRemovalProduceUnreachableAndGone() throws Exception {
        try (SimClient aware =
                SimClient.subscribe(
                        sim.leaderUrl(), framework("pa", Type.PARTITION_AWARE), false)) {
            Offer o = offer(aware);
            aware.send(launch(aware, o, shellTask("p1", o, "sleep 30")));
            ackUntil(aware, "p1", TaskState.TASK_RUNNING);
            String host = o.getHostname();
            sim.partitionAgent(host);
            TaskStatus unreachable = aware.awaitUpdate("p1", TaskState.TASK_UNREACHABLE, WAIT);
            assertThat(unreachable.hasUuid()).isFalse();
            assertThat(unreachable.hasUnreachableTime()).isTrue();
            aware.await(Event.Type.FAILURE, WAIT);
            assertThat(sim.task("p1").orElseThrow().processAlive()).isTrue();
            sim.healAgent(host);
            aware.send(SimCalls.reconcile(aware, "p1", o.getAgentId().getValue()));
            assertThat(aware.awaitUpdate("p1", TaskState.TASK_RUNNING, WAIT).getReason())
                    .isEqualTo(TaskStatus.Reason.REASON_RECONCILIATION);
            long pid = sim.task("p1").orElseThrow().pid();
            sim.removeAgent(host);
            assertThat(aware.awaitUpdate("p1", TaskState.TASK_GONE_BY_OPERATOR, WAIT).hasUuid())
                    .isFalse();
            await().atMost(WAIT)
                    .until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        }
    }

    @Test
    void containerTasksAreRecordedAndTheirCommandRunsNatively() throws Exception {
        // a container starts in its image's WORKDIR: the sandbox is $MESOS_SANDBOX
        try (SimClient c = SimClient.subscribe(sim.leaderUrl(), framework("docker"), false)) {
            Offer o = offer(c);
            TaskInfo task =
                    shellTask("ct", o, "echo in-container > \"$MESOS_SANDBOX/marker\"").toBuilder()
                            .setContainer(
                                    ContainerInfo.newBuilder()
                                            .setType(ContainerInfo.Type.DOCKER)
                                            .setDocker(
                                                    ContainerInfo.DockerInfo.newBuilder()
                                                            .setImage(
                                                                    "registry.local:5000/agent:17")
                                                            .setNetwork(
                                                                    ContainerInfo.DockerInfo.Network
                                                                            .BRIDGE))
                                            .addVolumes(
                                                    Volume.newBuilder()
                                                            .setContainerPath("/cache")
                                                            .setHostPath("/var/cache/ci")
                                                            .setMode(Volume.Mode.RW)))
                            .build();
            c.send(launch(c, o, task));
            ackUntil(c, "ct", TaskState.TASK_FINISHED);
            TaskView v = sim.task("ct").orElseThrow();
            assertThat(v.containerType()).isEqualTo("DOCKER");
            assertThat(v.image()).isEqualTo("registry.local:5000/agent:17");
            assertThat(v.networks()).containsExactly("BRIDGE");
            assertThat(v.volumes()).containsExactly("/cache:/var/cache/ci:RW");
            assertThat(v.sandbox().resolve("marker")).hasContent("in-container");
            assertThat(sim.stateJson()).contains("registry.local:5000/agent:17");
        }
    }
}
