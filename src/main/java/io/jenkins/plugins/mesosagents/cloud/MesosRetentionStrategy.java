package io.jenkins.plugins.mesosagents.cloud;

import hudson.model.Descriptor;
import hudson.model.Executor;
import hudson.model.ExecutorListener;
import hudson.model.OneOffExecutor;
import hudson.model.Queue;
import hudson.slaves.AbstractCloudComputer;
import hudson.slaves.AbstractCloudSlave;
import hudson.slaves.CloudRetentionStrategy;
import hudson.slaves.RetentionStrategy;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Decides when a Mesos agent takes work and when it is released. An agent is never reaped before
 * its launcher saw it online (core counts an offline computer as idle, and from {@code connect()}).
 * Reusable agents are released after the template's idle minutes. Single-use agents take one build
 * and are released when it ends; idle 0 means "release once its builds are over" (at the next
 * check, within a minute). An agent that never got work is released after its idle minutes, or
 * {@link #UNUSED_GRACE} for single-use and idle-0 agents, unless its template's warm pool still
 * wants it. Builds on one-off (flyweight) executors
 * and executables that say they will continue do not end an agent. Termination runs off the queue
 * lock.
 */
public class MesosRetentionStrategy extends CloudRetentionStrategy implements ExecutorListener {
    private static final Logger LOGGER = Logger.getLogger(MesosRetentionStrategy.class.getName());

    /** How long a single-use or idle-0 agent that got no build is kept (kubernetes-plugin: 5). */
    static final Duration UNUSED_GRACE = Duration.ofMinutes(5);

    private final int idleMinutes;
    private final boolean singleUse;

    /** Single-use: its one build was accepted, so it takes no other. */
    private transient volatile boolean taken;

    /** Idle 0: a build ended on it; released once all its executors are idle. */
    private transient volatile boolean used;

    private transient volatile boolean terminating;

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

    private boolean releasedAfterBuild() {
        return singleUse || idleMinutes == 0;
    }

    /**
     * The one switch for taking work (core's advice, SlaveComputer.java:191-198 at jenkins-2.479.3,
     * instead of setAcceptingTasks from several actors): not while launching, draining, after a
     * single-use agent's build was accepted, or once terminating.
     */
    @Override
    public boolean isAcceptingTasks(AbstractCloudComputer c) {
        if (terminating || taken) {
            return false;
        }
        if (c instanceof MesosComputer computer && computer.isDraining()) {
            return false;
        }
        return launched(c);
    }

    @Override
    public long check(AbstractCloudComputer c) {
        AbstractCloudSlave node = c.getNode();
        if (node == null || terminating || disabled) {
            return 1;
        }
        // Computer.isIdle() is true for an offline computer, and Executor's idle start is
        // max(creation, Computer.connect()) (Computer.java:1028-1035, Executor.java:939-944,
        // Computer.java:449-450): an agent still launching would look idle for its whole launch
        if (!launched(c) || c.isOffline() || !c.isIdle()) {
            return 1;
        }
        long idleSince = c.getIdleStartMilliseconds();
        if (c instanceof MesosComputer computer) {
            idleSince = Math.max(idleSince, computer.onlineSinceMillis());
        }
        long idleMillis = System.currentTimeMillis() - idleSince;
        String why = null;
        if (c instanceof MesosComputer computer && computer.isDraining()) {
            why = "its host is going into maintenance";
        } else if (taken || used) {
            why = "its build is over";
        } else if (releasedAfterBuild()) {
            if (idleMillis > UNUSED_GRACE.toMillis() && !wantedWarm(node)) {
                why = "it got no build within " + UNUSED_GRACE.toMinutes() + " minutes";
            }
        } else if (idleMillis > Duration.ofMinutes(idleMinutes).toMillis() && !wantedWarm(node)) {
            why = "it was idle for " + idleMinutes + " minutes";
        }
        if (why != null) {
            terminateLater(c, why);
        }
        return 1;
    }

    /** Its template's warm pool still wants this idle agent (not above the pool's target). */
    private static boolean wantedWarm(AbstractCloudSlave node) {
        WarmPoolKeeper keeper = WarmPoolKeeper.find();
        return keeper != null && node instanceof MesosAgent agent && keeper.keeps(agent);
    }

    @Override
    public void taskAccepted(Executor executor, Queue.Task task) {
        if (singleUse && !(executor instanceof OneOffExecutor)) {
            taken = true;
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
        if (!releasedAfterBuild() || executor instanceof OneOffExecutor) {
            // a flyweight task (e.g. a Pipeline's own executor) is not the agent's build
            return;
        }
        if (willContinue(executor.getCurrentExecutable())) {
            // e.g. a Pipeline node block resumed after a restart: it must be able to come back
            taken = false;
            return;
        }
        if (singleUse && executor.getOwner() instanceof AbstractCloudComputer<?> computer) {
            terminateLater(computer, "its single build is over");
        } else {
            used = true;
        }
    }

    /**
     * durable-task's {@code ContinuableExecutable.willContinue()} (Pipeline's node block implements
     * it), read without depending on that plugin: through any public interface declaring it.
     */
    static boolean willContinue(Queue.Executable executable) {
        if (executable == null) {
            return false;
        }
        for (Class<?> type = executable.getClass(); type != null; type = type.getSuperclass()) {
            for (Class<?> api : type.getInterfaces()) {
                try {
                    Method method = api.getMethod("willContinue");
                    if (method.getReturnType() == boolean.class) {
                        return (boolean) method.invoke(executable);
                    }
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // not this interface
                }
            }
        }
        return false;
    }

    private static boolean launched(AbstractCloudComputer<?> c) {
        AbstractCloudSlave node = c.getNode();
        return node != null
                && (!(node.getLauncher() instanceof MesosLauncher launcher)
                        || launcher.isLaunched());
    }

    // check() runs under the queue lock and executor callbacks on executor threads: never terminate
    // inline; stop taking work first so nothing lands on it meanwhile
    private void terminateLater(AbstractCloudComputer<?> computer, String why) {
        terminating = true;
        Background.run(
                () -> {
                    AbstractCloudSlave node = computer.getNode();
                    if (node == null) {
                        return;
                    }
                    LOGGER.info(() -> "Releasing agent " + node.getNodeName() + ": " + why);
                    try {
                        node.terminate();
                    } catch (Exception e) {
                        terminating = false;
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
