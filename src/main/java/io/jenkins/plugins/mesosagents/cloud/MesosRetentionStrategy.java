package io.jenkins.plugins.mesosagents.cloud;

import hudson.model.Descriptor;
import hudson.model.Executor;
import hudson.model.ExecutorListener;
import hudson.model.Queue;
import hudson.slaves.AbstractCloudComputer;
import hudson.slaves.AbstractCloudSlave;
import hudson.slaves.CloudRetentionStrategy;
import hudson.slaves.RetentionStrategy;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps an agent while it is busy and releases it when it has been idle for the template's idle
 * minutes, or — for single-use templates — as soon as its one build finishes: the agent stops
 * accepting work when the build is accepted, so no second build can land on it. Termination runs
 * off the queue lock.
 */
public class MesosRetentionStrategy extends CloudRetentionStrategy implements ExecutorListener {
    private static final Logger LOGGER = Logger.getLogger(MesosRetentionStrategy.class.getName());

    private final int idleMinutes;
    private final boolean singleUse;

    public MesosRetentionStrategy(int idleMinutes, boolean singleUse) {
        super(Math.max(idleMinutes, 0));
        this.idleMinutes = Math.max(idleMinutes, 0);
        this.singleUse = singleUse;
    }

    public int getIdleMinutes() {
        return idleMinutes;
    }

    public boolean isSingleUse() {
        return singleUse;
    }

    @Override
    public long check(AbstractCloudComputer c) {
        if (c instanceof MesosComputer computer && computer.isDraining() && computer.isIdle()) {
            terminateLater(computer);
            return 1;
        }
        // idleMinutes == 0 with reuse means "never terminate while idle": only single-use or
        // explicit release ends it
        if (idleMinutes == 0 && !singleUse) {
            return 1;
        }
        return super.check(c);
    }

    @Override
    public void taskAccepted(Executor executor, Queue.Task task) {
        if (singleUse && executor.getOwner() instanceof MesosComputer computer) {
            computer.setAcceptingTasks(false);
        }
    }

    @Override
    public void taskCompleted(Executor executor, Queue.Task task, long durationMS) {
        done(executor);
    }

    @Override
    public void taskCompletedWithProblems(
            Executor executor, Queue.Task task, long durationMS, Throwable problems) {
        done(executor);
    }

    private void done(Executor executor) {
        if (singleUse && executor.getOwner() instanceof MesosComputer computer) {
            terminateLater(computer);
        }
    }

    // check() runs under the queue lock and executor callbacks on executor threads: never terminate
    // inline
    private static void terminateLater(MesosComputer computer) {
        Background.run(
                () -> {
                    AbstractCloudSlave node = computer.getNode();
                    if (node == null) {
                        return;
                    }
                    try {
                        node.terminate();
                    } catch (Exception e) {
                        LOGGER.log(
                                Level.WARNING,
                                "Could not terminate agent " + node.getNodeName(),
                                e);
                    }
                });
    }

    /**
     * Not an extension, so it is never offered in a dropdown: agents get this strategy from their
     * template.
     */
    @Override
    public Descriptor<RetentionStrategy<?>> getDescriptor() {
        return UnlistedDescriptor.INSTANCE;
    }

    private static final class UnlistedDescriptor extends Descriptor<RetentionStrategy<?>> {
        // created on first use, not when the class loads
        static final UnlistedDescriptor INSTANCE = new UnlistedDescriptor();

        UnlistedDescriptor() {
            super(MesosRetentionStrategy.class);
        }

        @Override
        public String getDisplayName() {
            return "Mesos agent retention (from its template)";
        }
    }
}
