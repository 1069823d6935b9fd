package io.jenkins.plugins.mesosagents.testcluster.mesos;

import io.jenkins.plugins.mesosagents.testcluster.mesos.Entities.Agent;
import io.jenkins.plugins.mesosagents.testcluster.mesos.Entities.Framework;
import io.jenkins.plugins.mesosagents.testcluster.mesos.Entities.Task;

import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.FrameworkInfo.Capability.Type;
import org.apache.mesos.v1.Protos.NetworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Volume;
import org.apache.mesos.v1.scheduler.Protos.Call;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The agent half of the simulation: validates LAUNCH operations against the offered resources,
 * creates sandboxes under the cluster work dir, starts command tasks as local processes and turns
 * their lifecycle into status updates (STARTING, RUNNING, then FINISHED/FAILED/KILLED). Runs on the
 * master's loop.
 */
final class TaskLauncher {
    private final Master master;
    private final List<Task> launched = new ArrayList<>();

    TaskLauncher(Master master) {
        this.master = master;
    }

    static List<TaskInfo> tasksOf(List<Offer.Operation> operations) {
        List<TaskInfo> out = new ArrayList<>();
        for (Offer.Operation op : operations) {
            if (op.getType() == Offer.Operation.Type.LAUNCH) {
                out.addAll(op.getLaunch().getTaskInfosList());
            } else if (op.getType() == Offer.Operation.Type.LAUNCH_GROUP) {
                out.addAll(op.getLaunchGroup().getTaskGroup().getTasksList());
            }
        }
        return out;
    }

    void launch(Framework fw, Agent agent, TaskInfo t, Map<String, ResourceBag> remaining) {
        String tid = t.getTaskId().getValue();
        List<Resource> all = new ArrayList<>(t.getResourcesList());
        if (t.hasExecutor()) {
            all.addAll(t.getExecutor().getResourcesList());
        }
        Map<String, ResourceBag> need = poolsOf(all);
        String error = TaskValidation.validate(t);
        if (error != null) {
            // reported below as TASK_ERROR, as the master does
        } else if (fw.tasks.containsKey(tid)) {
            error = "Task has duplicate ID: " + tid;
        } else if (!t.getAgentId().getValue().equals(agent.id)) {
            error =
                    "Agent "
                            + t.getAgentId().getValue()
                            + " in TaskInfo does not match the offers' agent "
                            + agent.id;
        } else if (t.hasCommand() == t.hasExecutor()) {
            error =
                    "Task should have at least one (but not both) of CommandInfo or ExecutorInfo"
                            + " present";
        } else {
            for (Map.Entry<String, ResourceBag> e : need.entrySet()) {
                ResourceBag have = remaining.getOrDefault(e.getKey(), ResourceBag.EMPTY);
                if (!have.contains(e.getValue())) {
                    error =
                            "Task uses more resources "
                                    + describe(e.getKey(), e.getValue())
                                    + " than available "
                                    + describe(e.getKey(), have);
                    break;
                }
            }
        }
        if (error != null) {
            master.sendMasterUpdate(
                    fw,
                    t.getTaskId(),
                    t.getAgentId(),
                    TaskState.TASK_ERROR,
                    TaskStatus.Reason.REASON_TASK_INVALID,
                    error);
            return;
        }
        need.forEach(
                (pool, bag) ->
                        remaining.put(
                                pool, remaining.getOrDefault(pool, ResourceBag.EMPTY).minus(bag)));
        Path sandbox =
                master.workDir()
                        .resolve("agents")
                        .resolve(agent.id)
                        .resolve("frameworks")
                        .resolve(fw.id)
                        .resolve("executors")
                        .resolve(tid)
                        .resolve("runs")
                        .resolve(UUID.randomUUID().toString());
        Task task = new Task(fw.id, agent, t, need, sandbox);
        fw.tasks.put(tid, task);
        launched.add(task);
        String user = t.getCommand().hasUser() ? t.getCommand().getUser() : fw.info.getUser();
        if (!agent.config.users().isEmpty() && !agent.config.users().contains(user)) {
            // slave/paths.cpp:886-895 chowns the sandbox to the task user (stout
            // os/posix/chown.hpp:104-105 names a missing one); slave/slave.cpp:3271-3278 drops
            // the task with sendTaskDroppedUpdate (slave.cpp:2858-2875)
            master.agentUpdate(
                    task,
                    fw.has(Type.PARTITION_AWARE) ? TaskState.TASK_DROPPED : TaskState.TASK_LOST,
                    TaskStatus.Reason.REASON_EXECUTOR_TERMINATED,
                    "Failed to chown directory to '" + user + "': No such user '" + user + "'",
                    TaskStatus.Source.SOURCE_AGENT);
            return;
        }
        String dockerRun = ContainerRuntime.invalidDockerRun(t);
        if (dockerRun != null) {
            // docker/executor.cpp:201-224
            master.agentUpdate(
                    task,
                    TaskState.TASK_FAILED,
                    null,
                    "Failed to create docker run options: " + dockerRun,
                    TaskStatus.Source.SOURCE_EXECUTOR);
            return;
        }
        if (t.hasExecutor()) {
            master.agentUpdate(
                    task,
                    TaskState.TASK_FAILED,
                    TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED,
                    "The test-cluster runs command tasks only; custom executors are not simulated",
                    TaskStatus.Source.SOURCE_AGENT);
            return;
        }
        Map<String, String> env;
        try {
            env = environment(fw, agent, t, sandbox);
        } catch (IllegalArgumentException e) {
            master.agentUpdate(
                    task,
                    TaskState.TASK_FAILED,
                    TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED,
                    e.getMessage(),
                    TaskStatus.Source.SOURCE_AGENT);
            return;
        }
        task.environment = env;
        task.process =
                new TaskProcess(
                        t.getCommand(),
                        sandbox,
                        ContainerRuntime.workingDirectory(t, master.workDir(), sandbox),
                        env,
                        master.io,
                        new TaskProcess.Listener() {
                            @Override
                            public void started(long pid) {
                                master.loop.execute(
                                        () -> {
                                            task.pid = pid;
                                            if (current(task)) {
                                                master.agentUpdate(
                                                        task,
                                                        TaskState.TASK_STARTING,
                                                        null,
                                                        null,
                                                        TaskStatus.Source.SOURCE_EXECUTOR);
                                                master.agentUpdate(
                                                        task,
                                                        TaskState.TASK_RUNNING,
                                                        null,
                                                        null,
                                                        TaskStatus.Source.SOURCE_EXECUTOR);
                                            }
                                        });
                            }

                            @Override
                            public void launchFailed(String message) {
                                master.loop.execute(
                                        () ->
                                                finished(
                                                        task,
                                                        TaskState.TASK_FAILED,
                                                        TaskStatus.Reason
                                                                .REASON_CONTAINER_LAUNCH_FAILED,
                                                        message,
                                                        TaskStatus.Source.SOURCE_AGENT));
                            }

                            @Override
                            public void exited(int exitCode) {
                                master.loop.execute(
                                        () -> {
                                            TaskState state =
                                                    task.killing
                                                            ? TaskState.TASK_KILLED
                                                            : exitCode == 0
                                                                    ? TaskState.TASK_FINISHED
                                                                    : TaskState.TASK_FAILED;
                                            String message =
                                                    exitCode > 128
                                                            ? "Command terminated with signal "
                                                                    + (exitCode - 128)
                                                            : "Command exited with status "
                                                                    + exitCode;
                                            finished(
                                                    task,
                                                    state,
                                                    null,
                                                    message,
                                                    TaskStatus.Source.SOURCE_EXECUTOR);
                                        });
                            }
                        });
        task.process.launch();
    }

    private void finished(
            Task task,
            TaskState state,
            TaskStatus.Reason reason,
            String message,
            TaskStatus.Source source) {
        if (current(task)) {
            master.agentUpdate(task, state, reason, message, source);
        } else {
            task.agentState = state;
            task.masterState = state;
        }
    }

    private boolean current(Task task) {
        Framework fw = master.frameworks.get(task.frameworkId);
        return fw != null && fw.tasks.get(task.id()) == task;
    }

    /**
     * Master::kill (master.cpp:5688-5763): a task the master does not know — none yet after a
     * failover, none on an unreachable agent (those are {@code unreachableTasks}) — is answered by
     * explicit reconciliation of that task (5700-5716): TASK_UNREACHABLE for an unreachable agent
     * named in the call, silence for an agent that has not reregistered yet, and so on.
     */
    void kill(Framework fw, Call.Kill k) {
        Task t = master.knownTask(fw, k.getTaskId().getValue());
        if (t == null) {
            Call.Reconcile.Task.Builder rt =
                    Call.Reconcile.Task.newBuilder().setTaskId(k.getTaskId());
            if (k.hasAgentId()) {
                rt.setAgentId(k.getAgentId());
            }
            master.reconcile(fw, List.of(rt.build()));
            return;
        }
        if (k.hasAgentId() && !k.getAgentId().getValue().equals(t.agent.id)) {
            return; // master.cpp:5718-5726: belongs to a different agent, dropped
        }
        if (Entities.isTerminal(t.agentState) || t.killing) {
            return;
        }
        t.killing = true;
        long grace = master.config.killGracePeriod().toMillis();
        if (k.hasKillPolicy() && k.getKillPolicy().hasGracePeriod()) {
            grace = k.getKillPolicy().getGracePeriod().getNanoseconds() / 1_000_000;
        } else if (t.info.hasKillPolicy() && t.info.getKillPolicy().hasGracePeriod()) {
            grace = t.info.getKillPolicy().getGracePeriod().getNanoseconds() / 1_000_000;
        }
        if (fw.has(Type.TASK_KILLING_STATE) && t.agentState == TaskState.TASK_RUNNING) {
            master.agentUpdate(
                    t,
                    TaskState.TASK_KILLING,
                    null,
                    "Killing the task",
                    TaskStatus.Source.SOURCE_EXECUTOR);
        }
        if (t.process != null) {
            t.process.terminate(grace);
        }
    }

    private static Map<String, String> environment(
            Framework fw, Agent agent, TaskInfo t, Path sandbox) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
        if (System.getenv("LANG") != null) {
            env.put("LANG", System.getenv("LANG"));
        }
        env.put("HOME", sandbox.toString());
        env.put("MESOS_SANDBOX", sandbox.toString());
        env.put("MESOS_DIRECTORY", sandbox.toString());
        env.put("MESOS_TASK_ID", t.getTaskId().getValue());
        env.put("MESOS_EXECUTOR_ID", t.getTaskId().getValue());
        env.put("MESOS_FRAMEWORK_ID", fw.id);
        env.put("MESOS_AGENT_ID", agent.id);
        env.put("HOST", agent.config.hostname());
        env.put("LIBPROCESS_IP", "127.0.0.1");
        for (Environment.Variable v : t.getCommand().getEnvironment().getVariablesList()) {
            if (v.getType() == Environment.Variable.Type.SECRET) {
                if (!v.getSecret().hasValue()) {
                    throw new IllegalArgumentException(
                            "Environment variable '"
                                    + v.getName()
                                    + "' uses a REFERENCE secret; the test-cluster has no secret"
                                    + " resolver (use a VALUE secret)");
                }
                env.put(
                        v.getName(),
                        v.getSecret().getValue().getData().toString(StandardCharsets.UTF_8));
            } else {
                env.put(v.getName(), v.getValue());
            }
        }
        return env;
    }

    static Map<String, ResourceBag> poolsOf(List<Resource> resources) {
        Map<String, ResourceBag> out = new LinkedHashMap<>();
        for (Resource r : resources) {
            String pool =
                    r.getReservationsCount() > 0
                            ? r.getReservations(r.getReservationsCount() - 1).getRole()
                            : r.hasRole() ? r.getRole() : "*";
            ResourceBag bag;
            if (r.getName().equals("ports")) {
                java.util.BitSet ports = new java.util.BitSet();
                r.getRanges()
                        .getRangeList()
                        .forEach(x -> ports.set((int) x.getBegin(), (int) x.getEnd() + 1));
                bag = new ResourceBag(Map.of(), ports);
            } else {
                bag =
                        new ResourceBag(
                                Map.of(r.getName(), Math.round(r.getScalar().getValue() * 1000)),
                                new java.util.BitSet());
            }
            out.merge(pool, bag, ResourceBag::plus);
        }
        return out;
    }

    private static String describe(String pool, ResourceBag bag) {
        StringBuilder sb = new StringBuilder();
        bag.scalarMillis()
                .forEach(
                        (k, v) ->
                                sb.append(sb.length() == 0 ? "" : "; ")
                                        .append(k)
                                        .append('(')
                                        .append(pool)
                                        .append("):")
                                        .append(v / 1000.0));
        if (!bag.ports().isEmpty()) {
            sb.append(sb.length() == 0 ? "" : "; ")
                    .append("ports(")
                    .append(pool)
                    .append("):")
                    .append(
                            OfferBuilder.ranges(bag.ports()).getRangeList().stream()
                                    .map(r -> r.getBegin() + "-" + r.getEnd())
                                    .toList());
        }
        return sb.length() == 0 ? "{}" : sb.toString();
    }

    List<TaskProcess> processes() {
        return launched.stream().filter(t -> t.process != null).map(t -> t.process).toList();
    }

    Optional<Task> launched(String taskId) {
        for (int i = launched.size() - 1; i >= 0; i--) {
            if (launched.get(i).id().equals(taskId)) {
                return Optional.of(launched.get(i));
            }
        }
        return Optional.empty();
    }

    List<TaskView> views() {
        return launched.stream().map(TaskLauncher::view).toList();
    }

    static TaskView view(Task t) {
        String type = null;
        String image = null;
        List<String> networks = new ArrayList<>();
        List<String> volumes = new ArrayList<>();
        if (t.info.hasContainer()) {
            ContainerInfo c = t.info.getContainer();
            type = c.getType().name();
            if (c.hasDocker()) {
                image = c.getDocker().getImage();
                networks.add(c.getDocker().getNetwork().name());
            } else if (c.hasMesos() && c.getMesos().hasImage()) {
                image =
                        c.getMesos().getImage().hasDocker()
                                ? c.getMesos().getImage().getDocker().getName()
                                : c.getMesos().getImage().getAppc().getName();
            }
            for (NetworkInfo n : c.getNetworkInfosList()) {
                networks.add(n.hasName() ? n.getName() : "default");
            }
            for (Volume v : c.getVolumesList()) {
                volumes.add(
                        v.getContainerPath()
                                + ":"
                                + (v.hasHostPath()
                                        ? v.getHostPath()
                                        : v.hasSource() ? v.getSource().getType().name() : "")
                                + ":"
                                + v.getMode().name());
            }
        }
        TaskProcess p = t.process;
        return new TaskView(
                t.id(),
                t.frameworkId,
                t.agent.id,
                t.agent.config.hostname(),
                t.masterState.name(),
                t.sandbox,
                t.pid,
                p != null && p.isAlive(),
                t.pending.size(),
                type,
                image,
                List.copyOf(networks),
                List.copyOf(volumes),
                Map.copyOf(t.environment),
                t.accepted);
    }
}
