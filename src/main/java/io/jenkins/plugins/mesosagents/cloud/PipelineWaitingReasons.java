package io.jenkins.plugins.mesosagents.cloud;

import hudson.Extension;
import hudson.model.Label;
import hudson.model.PeriodicWork;
import hudson.model.Queue;
import hudson.model.TaskListener;

import jenkins.YesNoMaybe;
import jenkins.model.Jenkins;

import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes the engine's reason into the log of a Pipeline whose {@code node} block waits in the queue
 * for a label a Mesos template serves, whenever that reason changes. Core gives a plugin no way to
 * put its reason into the queue item's "why" without taking the item out of provisioning: for an
 * item with a label, BuildableItem.getCauseOfBlockage (jenkins-2.479.3 Queue.java:2716-2746)
 * answers "all nodes of label … are offline" / "… is offline" while no node of the label is online
 * (Label.isOffline, Label.java:348-355: a launching agent is offline), and consults the causes
 * plugins can add ({@code transientCausesOfBlockage}, filled in Queue.maintain from
 * QueueTaskDispatcher.canTake of idle executors, Queue.java:1647-1676, 270-290) only when the label
 * has an online idle executor (Queue.java:2733), which is never the case while the build waits for
 * Mesos; those label causes name only the label (CauseOfBlockage.java:143-212). A
 * QueueTaskDispatcher.canRun veto (Queue.java:1217-1227) would show the reason but moves the item
 * to the blocked list (Queue.java:1622-1630), and LoadStatistics counts only buildable items
 * (LoadStatistics.java:337, 398), so no agent would be provisioned for it. Pipeline itself prints
 * "Still waiting to schedule task" and the core cause once, 15 s after queuing
 * (workflow-durable-task-step ExecutorStepExecution.start); this class adds the Mesos reason after
 * it.
 */
@Extension(dynamicLoadable = YesNoMaybe.YES)
public final class PipelineWaitingReasons extends PeriodicWork {
    private static final Logger LOGGER = Logger.getLogger(PipelineWaitingReasons.class.getName());

    private final Writer writer = new Writer();

    @Override
    public long getRecurrencePeriod() {
        return 15_000;
    }

    @Override
    protected void doRun() {
        Jenkins jenkins = Jenkins.get();
        MesosClouds sessions = MesosClouds.get();
        writer.write(
                jenkins.getQueue().getBuildableItems(),
                jenkins.clouds.getAll(MesosCloud.class),
                sessions::waitingReason);
    }

    /** What was written where; one instance per periodic task, used by one thread at a time. */
    static final class Writer {
        /** Per queue item id, the last line written; pruned to the items still waiting. */
        private final Map<Long, String> written = new HashMap<>();

        /**
         * For each waiting item owned by a Pipeline run whose label a Mesos template serves (the
         * first cloud whose {@link MesosCloud#templateFor} picks one, as the provisioner asks the
         * clouds), writes the template's current waiting reason to the run's log if it changed.
         */
        void write(
                List<Queue.BuildableItem> items,
                List<MesosCloud> clouds,
                BiFunction<String, String, String> waitingReason) {
            Set<Long> waiting = new HashSet<>();
            for (Queue.BuildableItem item : items) {
                Queue.Executable owner = item.task == null ? null : item.task.getOwnerExecutable();
                if (owner == null) {
                    continue; // not a Pipeline node block: no build log exists yet
                }
                String line = line(item.getAssignedLabel(), clouds, waitingReason);
                if (line == null) {
                    continue;
                }
                long id = item.getId();
                waiting.add(id);
                if (line.equals(written.get(id))) {
                    continue;
                }
                try {
                    TaskListener log = PipelineRunLog.of(owner);
                    if (log != null) {
                        log.getLogger().println(line);
                        written.put(id, line);
                    }
                } catch (IOException | LinkageError e) {
                    LOGGER.log(Level.FINE, "No build log for " + owner + " to say why it waits", e);
                }
            }
            written.keySet().retainAll(waiting);
        }
    }

    private static String line(
            Label label,
            List<MesosCloud> clouds,
            BiFunction<String, String, String> waitingReason) {
        for (MesosCloud cloud : clouds) {
            MesosAgentTemplate template = cloud.templateFor(label);
            if (template == null) {
                continue;
            }
            String reason = waitingReason.apply(cloud.name, template.getName());
            return reason == null
                    ? null
                    : "Still waiting for a Mesos agent (cloud "
                            + cloud.name
                            + ", template "
                            + template.getName()
                            + "): "
                            + reason;
        }
        return null;
    }
}
