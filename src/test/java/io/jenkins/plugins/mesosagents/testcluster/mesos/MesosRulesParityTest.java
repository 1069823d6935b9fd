package io.jenkins.plugins.mesosagents.testcluster.mesos;

import static io.jenkins.plugins.mesosagents.testcluster.mesos.SimCalls.framework;
import static io.jenkins.plugins.mesosagents.testcluster.mesos.SimCalls.launch;
import static io.jenkins.plugins.mesosagents.testcluster.mesos.SimCalls.shellTask;
import static io.jenkins.plugins.mesosagents.testcluster.mesos.TaskLifecycleTestSupport.ackUntil;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo.Capability.Type;
import org.apache.mesos.v1.Protos.Image;
import org.apache.mesos.v1.Protos.NetworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Parameter;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Volume;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPOutputStream;

/**
 * The simulator refuses what a real Mesos 1.11 master or agent refuses, in their words, so that the
 * engine's TaskInfos are checked against the real rules and not against our own reading of them.
 */
class MesosRulesParityTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir Path work;
    MesosSimulator sim;

    @BeforeEach
    void start() throws Exception {
        sim =
                MesosSimulator.start(
                        MesosSimConfig.builder(work.resolve("cluster"))
                                .heartbeatInterval(Duration.ofMillis(200))
                                .allocationInterval(Duration.ofMillis(100))
                                .statusUpdateRetryInterval(Duration.ofMillis(300))
                                .killGracePeriod(Duration.ofMillis(500))
                                .agent(
                                        AgentConfig.of("a1.local", 4, 4096)
                                                .withUsers(List.of("jenkins", "ci")))
                                .build());
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private static Offer offer(SimClient c) throws InterruptedException {
        return c.await(Event.Type.OFFERS, WAIT).getOffers().getOffers(0);
    }

    private static ContainerInfo.Builder docker() {
        return ContainerInfo.newBuilder()
                .setType(ContainerInfo.Type.DOCKER)
                .setDocker(
                        ContainerInfo.DockerInfo.newBuilder()
                                .setImage("jenkins/inbound-agent")
                                .setNetwork(ContainerInfo.DockerInfo.Network.BRIDGE));
    }

    /** Launches one task built from a plain shell task and returns its first terminal update. */
    private TaskStatus outcome(SimClient c, String id, UnaryOperator<TaskInfo.Builder> change)
            throws Exception {
        Offer o = offer(c);
        TaskInfo task = change.apply(shellTask(id, o, "sleep 30").toBuilder()).build();
        c.send(launch(c, o, task));
        Event e =
                c.await(
                        x ->
                                x.getType() == Event.Type.UPDATE
                                        && x.getUpdate()
                                                .getStatus()
                                                .getTaskId()
                                                .getValue()
                                                .equals(task.getTaskId().getValue())
                                        && Entities.isTerminal(
                                                x.getUpdate().getStatus().getState()),
                        WAIT);
        return e.getUpdate().getStatus();
    }

    /**
     * Every master rule (apache/mesos 1.11.0) a TaskInfo of the engine could break, with the
     * master's message: the master answers TASK_ERROR / REASON_TASK_INVALID
     * (src/master/master.cpp:4915-4927) with the validator's error (master/validation.cpp:1620-1641
     * runs them in this order).
     */
    @Test
    void masterTaskValidationRules() throws Exception {
        Map<String, UnaryOperator<TaskInfo.Builder>> rules = new LinkedHashMap<>();
        Map<String, String> messages = new LinkedHashMap<>();
        // common/validation.cpp:46-73 via master/validation.cpp:1348-1353
        rules.put("id", t -> t.setTaskId(TaskID.newBuilder().setValue("eng/ci-1")));
        messages.put("id", "'eng/ci-1' contains invalid characters");
        // master/validation.cpp:1444-1447
        rules.put("no-resources", TaskInfo.Builder::clearResources);
        messages.put("no-resources", "Task uses no resources");
        // common/validation.cpp:310-313 via master/validation.cpp:1533-1540
        rules.put(
                "docker-name",
                t ->
                        t.setContainer(
                                docker().setDocker(
                                                docker().getDocker().toBuilder()
                                                        .addParameters(
                                                                Parameter.newBuilder()
                                                                        .setKey("name")
                                                                        .setValue("agent")))));
        messages.put(
                "docker-name",
                "Task's `ContainerInfo` is invalid: Parameter in DockerInfo must not be 'name'");
        // common/validation.cpp:213-230 and :292-297 via master/validation.cpp:1533-1540
        rules.put(
                "volume",
                t ->
                        t.setContainer(
                                docker().addVolumes(
                                                Volume.newBuilder()
                                                        .setContainerPath("/cache")
                                                        .setMode(Volume.Mode.RW))));
        messages.put(
                "volume",
                "Task's `ContainerInfo` is invalid: Invalid volume: Only one of them should be"
                        + " set: 'host_path', 'image' and 'source'");
        // common/validation.cpp:300-305 via master/validation.cpp:1533-1540
        rules.put(
                "docker-without-info",
                t -> t.setContainer(ContainerInfo.newBuilder().setType(ContainerInfo.Type.DOCKER)));
        messages.put(
                "docker-without-info",
                "Task's `ContainerInfo` is invalid: DockerInfo 'docker' is not set for DOCKER"
                        + " typed ContainerInfo");
        try (SimClient c = SimClient.subscribe(sim.leaderUrl(), framework("rules"), false)) {
            for (Map.Entry<String, UnaryOperator<TaskInfo.Builder>> rule : rules.entrySet()) {
                TaskStatus s = outcome(c, rule.getKey(), rule.getValue());
                assertThat(s.getState()).as(rule.getKey()).isEqualTo(TaskState.TASK_ERROR);
                assertThat(s.getReason())
                        .as(rule.getKey())
                        .isEqualTo(TaskStatus.Reason.REASON_TASK_INVALID);
                assertThat(s.getMessage()).as(rule.getKey()).contains(messages.get(rule.getKey()));
            }
        }
    }

    /** master/validation.cpp:470-524 with common/roles.cpp:85-140. */
    @Test
    void frameworkRolesFollowRolesValidate() throws Exception {
        FrameworkInfo hierarchical =
                framework("h", Type.MULTI_ROLE).toBuilder().clearRoles().addRoles("eng/ci").build();
        try (SimClient c = SimClient.subscribe(sim.leaderUrl(), hierarchical, false)) {
            assertThat(
                            c.await(Event.Type.SUBSCRIBED, WAIT)
                                    .getSubscribed()
                                    .getFrameworkId()
                                    .getValue())
                    .isNotEmpty();
        }
        FrameworkInfo invalid =
                framework("i", Type.MULTI_ROLE).toBuilder()
                        .clearRoles()
                        .addRoles("eng//ci")
                        .build();
        try (SimClient c = SimClient.subscribe(sim.leaderUrl(), invalid, false)) {
            Event e = c.await(Event.Type.ERROR, WAIT);
            assertThat(e.getError().getMessage())
                    .contains(
                            "'FrameworkInfo.roles' contains invalid role: Role 'eng//ci' cannot"
                                    + " contain two adjacent slashes");
        }
    }

    /** docker/docker.cpp:871-884: `docker run --net` takes one network. */
    @Test
    void dockerUserNetworkWithTwoNetworksFailsOnTheAgent() throws Exception {
        try (SimClient c = SimClient.subscribe(sim.leaderUrl(), framework("net"), false)) {
            TaskStatus s =
                    outcome(
                            c,
                            "two-nets",
                            t ->
                                    t.setContainer(
                                            docker().setDocker(
                                                            docker().getDocker().toBuilder()
                                                                    .setNetwork(
                                                                            ContainerInfo.DockerInfo
                                                                                    .Network.USER))
                                                    .addNetworkInfos(
                                                            NetworkInfo.newBuilder().setName("a"))
                                                    .addNetworkInfos(
                                                            NetworkInfo.newBuilder()
                                                                    .setName("b"))));
            assertThat(s.getState()).isEqualTo(TaskState.TASK_FAILED);
            assertThat(s.getMessage())
                    .contains("Only a single network can be defined in Docker run");
        }
    }

    /** slave/containerizer/fetcher.cpp:104-131, :167-176 and :372-376. */
    @Test
    void fetchUriWithoutAPathFailsOnTheAgent() throws Exception {
        try (SimClient c = SimClient.subscribe(sim.leaderUrl(), framework("uri"), false)) {
            TaskStatus s =
                    outcome(
                            c,
                            "no-path",
                            t ->
                                    t.setCommand(
                                            t.getCommand().toBuilder()
                                                    .addUris(
                                                            CommandInfo.URI
                                                                    .newBuilder()
                                                                    .setValue(
                                                                            "http://127.0.0.1:1"))));
            assertThat(s.getState()).isEqualTo(TaskState.TASK_FAILED);
            assertThat(s.getMessage())
                    .contains("Could not fetch: Malformed URI (missing path): http://127.0.0.1:1");
        }
    }

    /**
     * slave/paths.cpp:886-895 (chown of the sandbox to the task user), stout
     * os/posix/chown.hpp:104-105, reported by slave/slave.cpp:2858-2875 and :3271-3278.
     */
    @Test
    void taskUserMustExistOnTheAgent() throws Exception {
        try (SimClient c =
                SimClient.subscribe(
                        sim.leaderUrl(), framework("users", Type.PARTITION_AWARE), false)) {
            TaskStatus s =
                    outcome(c, "bob", t -> t.setCommand(t.getCommand().toBuilder().setUser("bob")));
            assertThat(s.getState()).isEqualTo(TaskState.TASK_DROPPED);
            assertThat(s.getReason()).isEqualTo(TaskStatus.Reason.REASON_EXECUTOR_TERMINATED);
            assertThat(s.getMessage())
                    .contains("Failed to chown directory to 'bob': No such user 'bob'");
            Offer o = offer(c);
            TaskInfo ok =
                    shellTask("ci-user", o, "true").toBuilder()
                            .setCommand(CommandInfo.newBuilder().setValue("true").setUser("ci"))
                            .build();
            c.send(launch(c, o, ok));
            ackUntil(c, "ci-user", TaskState.TASK_FINISHED);
        }
    }

    /** launcher/fetcher.cpp:93-103: a bare `.gz` is gunzipped next to it. */
    @Test
    void fetcherGunzipsBareGzFiles() throws Exception {
        Path gz = work.resolve("tool.sh.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("echo hi\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        try (SimClient c = SimClient.subscribe(sim.leaderUrl(), framework("gz"), false)) {
            Offer o = offer(c);
            TaskInfo t =
                    shellTask("gz", o, "cat tool.sh > out").toBuilder()
                            .setCommand(
                                    CommandInfo.newBuilder()
                                            .setValue(
                                                    "cat \"$MESOS_SANDBOX/tool.sh\" >"
                                                            + " \"$MESOS_SANDBOX/out\"")
                                            .addUris(
                                                    CommandInfo.URI
                                                            .newBuilder()
                                                            .setValue(gz.toString())
                                                            .setExtract(true)))
                            .build();
            c.send(launch(c, o, t));
            ackUntil(c, "gz", TaskState.TASK_FINISHED);
            assertThat(sim.task("gz").orElseThrow().sandbox().resolve("out")).hasContent("echo hi");
        }
    }

    /**
     * Container tasks start in the image's WORKDIR, not the sandbox (docker.cpp builds `docker run`
     * without -w; the docker/runtime isolator uses the image's WorkingDir), with $MESOS_SANDBOX set
     * (docker.cpp:735).
     */
    @Test
    void containerTasksRunInTheImageWorkdirWithMesosSandboxSet() throws Exception {
        try (SimClient c = SimClient.subscribe(sim.leaderUrl(), framework("wd"), false)) {
            Offer o = offer(c);
            TaskInfo t =
                    shellTask("wd", o, "pwd > \"$MESOS_SANDBOX/cwd\"").toBuilder()
                            .setContainer(
                                    ContainerInfo.newBuilder()
                                            .setType(ContainerInfo.Type.MESOS)
                                            .setMesos(
                                                    ContainerInfo.MesosInfo.newBuilder()
                                                            .setImage(
                                                                    Image.newBuilder()
                                                                            .setType(
                                                                                    Image.Type
                                                                                            .DOCKER)
                                                                            .setDocker(
                                                                                    Image.Docker
                                                                                            .newBuilder()
                                                                                            .setName(
                                                                                                    "jenkins/inbound-agent")))))
                            .build();
            c.send(launch(c, o, t));
            ackUntil(c, "wd", TaskState.TASK_FINISHED);
            TaskView v = sim.task("wd").orElseThrow();
            Path cwd = Path.of(Files.readString(v.sandbox().resolve("cwd")).trim());
            assertThat(cwd).isNotEqualTo(v.sandbox());
            assertThat(v.environment()).containsEntry("MESOS_SANDBOX", v.sandbox().toString());
        }
    }

    @Test
    void agentUsersAreReadFromClusterJson() throws Exception {
        AgentConfig a =
                AgentConfig.fromJson(
                        new ObjectMapper()
                                .readTree("{\"hostname\":\"h\",\"users\":[\"jenkins\",\"ci\"]}"),
                        "mesos.agents[0]");
        assertThat(a.users()).containsExactly("jenkins", "ci");
        assertThat(AgentConfig.of("h", 1, 1).users()).isEmpty();
    }
}
