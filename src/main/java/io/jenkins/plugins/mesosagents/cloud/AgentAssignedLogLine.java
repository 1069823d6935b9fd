package io.jenkins.plugins.mesosagents.cloud;

import hudson.Extension;
import hudson.model.Executor;
import hudson.model.ExecutorListener;
import hudson.model.OneOffExecutor;
import hudson.model.Queue;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.model.listeners.RunListener;

import jenkins.YesNoMaybe;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes one line into a build's log when the build gets a Mesos agent: the Mesos host, task id,
 * template and sandbox link. A freestyle-like build learns it in {@link RunListener#onStarted} (its
 * log exists from then on, and it runs on its agent's own executor); a Pipeline {@code node} block
 * is a placeholder task whose run started long before on the controller, so the line goes through
 * the executor's {@code taskAccepted} to the run's log ({@link PipelineRunLog}).
 */
public final class AgentAssignedLogLine {
    private static final Logger LOGGER = Logger.getLogger(AgentAssignedLogLine.class.getName());

    private AgentAssignedLogLine() {}

    /** The line itself; parts Mesos has not told yet are said to be unknown, not left out. */
    static String line(
            String agentName, String cloudName, String templateName, MesosTaskView task) {
        String host = task == null || task.host() == null ? "unknown host" : task.host();
        String taskId = task == null || task.taskId() == null ? agentName : task.taskId();
        String sandbox =
                task == null || task.sandboxUrl() == null
                        ? "no sandbox link (it needs an http(s) master URL and the task running)"
                        : "sandbox " + task.sandboxUrl();
        return "Running on Mesos agent "
                + agentName
                + ": host "
                + host
                + ", task "
                + taskId
                + ", template "
                + templateName
                + " of cloud "
                + cloudName
                + ", "
                + sandbox;
    }

    /** The line for this computer's agent, or null when it is not a Mesos agent (any more). */
    static String lineFor(Executor executor) {
        if (executor == null || !(executor.getOwner() instanceof MesosComputer computer)) {
            return null;
        }
        MesosAgent agent = computer.getNode();
        if (agent == null) {
            return null;
        }
        return line(
                agent.getNodeName(),
                agent.getCloudName(),
                agent.getTemplateName(),
                computer.getMesosTask());
    }

    /** Freestyle and every other build that runs on its agent's own (not one-off) executor. */
    @Extension(dynamicLoadable = YesNoMaybe.YES)
    public static final class BuildStarted extends RunListener<Run<?, ?>> {
        @Override
        public void onStarted(Run<?, ?> run, TaskListener listener) {
            Executor executor = run.getExecutor();
            if (executor instanceof OneOffExecutor) {
                return; // a flyweight, e.g. a Pipeline run itself: its node blocks say where
            }
            String line = lineFor(executor);
            if (line != null) {
                listener.getLogger().println(line);
            }
        }
    }

    /**
     * A Pipeline {@code node} block (or any task owned by a Pipeline run) taken by a Mesos agent.
     */
    @Extension(dynamicLoadable = YesNoMaybe.YES)
    public static final class NodeBlockAccepted implements ExecutorListener {
        @Override
        public void taskAccepted(Executor executor, Queue.Task task) {
            String line = lineFor(executor); // first: every executor of Jenkins calls this
            if (line == null) {
                return;
            }
            Queue.Executable owner = task.getOwnerExecutable();
            if (owner == null) {
                return; // not a placeholder of another run: BuildStarted writes the line
            }
            try {
                TaskListener listener = PipelineRunLog.of(owner);
                if (listener != null) {
                    listener.getLogger().println(line);
                }
            } catch (IOException | LinkageError e) {
                // LinkageError: workflow-api absent (optional dependency); nothing to write to
                LOGGER.log(Level.FINE, "No build log for " + owner + " to name its Mesos agent", e);
            }
        }
    }
}
