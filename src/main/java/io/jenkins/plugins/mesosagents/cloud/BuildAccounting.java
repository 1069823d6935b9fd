package io.jenkins.plugins.mesosagents.cloud;

import hudson.Extension;
import hudson.ExtensionList;
import hudson.model.Executor;
import hudson.model.ExecutorListener;
import hudson.model.OneOffExecutor;
import hudson.model.Queue;
import hudson.model.Run;

import io.jenkins.plugins.mesosagents.accounting.AgentUsage;
import io.jenkins.plugins.mesosagents.accounting.UsageWindow;

import jenkins.YesNoMaybe;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Records what each build used of the Mesos agents it ran on. Core tells every ExecutorListener
 * extension when an executor's task starts and completes (WorkUnitContext.synchronizeStart/End,
 * jenkins-2.479.3 core/src/main/java/hudson/model/queue/WorkUnitContext.java:139-190; the
 * computer's own taskStarted is not called there), with the executor's time on it as {@code
 * durationMS} (Executor.java:490). A freestyle build is the executor's executable; a Pipeline
 * {@code node} block's task names its build through {@code SubTask.getOwnerExecutable()} (core
 * SubTask.java:105, overridden by workflow-durable-task-step's
 * ExecutorStepExecution.PlaceholderTask at 46cb22ff, line 748). The agent's facts are taken when
 * the task starts, since Mesos may have ended the agent (and Jenkins removed its node) by the time
 * the build ends.
 */
@Extension(dynamicLoadable = YesNoMaybe.YES)
public class BuildAccounting implements ExecutorListener {
    private static final Logger LOGGER = Logger.getLogger(BuildAccounting.class.getName());

    /** The cloud page's window: 24 one-hour buckets. */
    static final Duration BUCKET = Duration.ofHours(1);

    static final int BUCKETS = 24;

    /** Jobs (and as many folders) counted per bucket; see {@link UsageWindow}. */
    static final int NAMES_PER_BUCKET = 200;

    private final Map<String, UsageWindow> windows = new ConcurrentHashMap<>();
    private final Map<Executor, AgentAtStart> started = new ConcurrentHashMap<>();
    private final Clock clock;

    public BuildAccounting() {
        this(Clock.systemUTC());
    }

    BuildAccounting(Clock clock) {
        this.clock = clock;
    }

    public static BuildAccounting get() {
        return ExtensionList.lookupSingleton(BuildAccounting.class);
    }

    /** The Mesos agent as it was when a build started on it. */
    record AgentAtStart(String cloud, String agent, String template, TaskFacts task) {}

    @Override
    public void taskStarted(Executor executor, Queue.Task task) {
        AgentAtStart agent = agentOf(executor);
        if (agent != null) {
            started.put(executor, agent);
        }
    }

    @Override
    public void taskCompleted(Executor executor, Queue.Task task, long durationMS) {
        completed(executor, task, durationMS);
    }

    @Override
    public void taskCompletedWithProblems(
            Executor executor, Queue.Task task, long durationMS, Throwable problems) {
        completed(executor, task, durationMS);
    }

    private void completed(Executor executor, Queue.Task task, long durationMS) {
        AgentAtStart agent = started.remove(executor);
        if (agent == null) {
            agent = agentOf(executor);
        }
        if (agent == null) {
            return;
        }
        Run<?, ?> run = runOf(executor, task);
        if (run == null) {
            return;
        }
        Instant end = clock.instant();
        Instant taskEnded =
                executor.getOwner() instanceof MesosComputer computer
                        ? computer.taskEndedAt()
                        : null;
        AgentUsage usage = usage(agent, end.minusMillis(Math.max(durationMS, 0)), end, taskEnded);
        try {
            MesosUsageAction.record(run, usage);
        } catch (IOException | RuntimeException e) {
            LOGGER.log(
                    Level.WARNING,
                    "Could not save the Mesos usage of " + run.getFullDisplayName(),
                    e);
        }
        window(agent.cloud())
                .record(run.getParent().getFullName(), usage.cpuSeconds(), usage.gbSeconds(), end);
    }

    /** The usage record: the facts at start, the executor's time, the task's end if before. */
    static AgentUsage usage(AgentAtStart a, Instant start, Instant end, Instant taskEnded) {
        TaskFacts t = a.task();
        return new AgentUsage(
                a.agent(),
                a.template(),
                t == null ? "" : t.host(),
                t == null ? a.agent() : t.taskId(),
                t == null ? null : t.resources(),
                start,
                end,
                t == null ? null : t.runningSince(),
                taskEnded);
    }

    /**
     * A Mesos agent's facts, or null for other executors and for flyweight tasks (one-off executors
     * take no executor slot of the agent).
     */
    static AgentAtStart agentOf(Executor executor) {
        if (executor instanceof OneOffExecutor
                || !(executor.getOwner() instanceof MesosComputer computer)) {
            return null;
        }
        MesosAgent node = computer.getNode();
        if (node == null) {
            return null;
        }
        return new AgentAtStart(
                node.getCloudName(), node.getNodeName(), node.getTemplateName(), node.taskFacts());
    }

    /** The build an executor's task belongs to: the executable, or a node block's owner. */
    static Run<?, ?> runOf(Executor executor, Queue.Task task) {
        Queue.Executable executable = executor.getCurrentExecutable();
        if (executable instanceof Run<?, ?> run) {
            return run;
        }
        Queue.Executable owner = task.getOwnerExecutable();
        return owner instanceof Run<?, ?> run ? run : null;
    }

    UsageWindow window(String cloud) {
        return windows.computeIfAbsent(
                cloud, c -> new UsageWindow(BUCKET, BUCKETS, NAMES_PER_BUCKET));
    }

    /** The cloud page's ranking of jobs (or folders) by cpu·seconds over the last 24 hours. */
    public List<UsageWindow.Ranked> top(String cloud, boolean folders, int limit) {
        UsageWindow w = windows.get(cloud);
        if (w == null) {
            return List.of();
        }
        Instant now = clock.instant();
        return folders ? w.topFolders(now, limit) : w.topJobs(now, limit);
    }
}
