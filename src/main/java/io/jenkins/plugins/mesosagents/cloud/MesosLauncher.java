package io.jenkins.plugins.mesosagents.cloud;

import hudson.model.Descriptor;
import hudson.model.TaskListener;
import hudson.slaves.ComputerLauncher;
import hudson.slaves.JNLPLauncher;
import hudson.slaves.SlaveComputer;

import io.jenkins.plugins.mesosagents.engine.LaunchedAgent;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Waits for an agent's Mesos task to run and for the inbound agent in it to connect, logging each
 * step to the agent's log; if either fails (the engine reports why, e.g. no matching offer before
 * the launch timeout, or the task failed) the node is terminated, which releases its task, so no
 * offline zombie or orphan task is left. Extends {@link JNLPLauncher} because Jenkins only accepts
 * inbound connections for nodes launched by one.
 */
public class MesosLauncher extends JNLPLauncher {
    private static final Logger LOGGER = Logger.getLogger(MesosLauncher.class.getName());

    /**
     * How long the agent may take to connect once its task runs (JVM start, agent.jar download).
     */
    static final Duration CONNECT_TIMEOUT = Duration.ofMinutes(5);

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    /**
     * Persisted: after a restart a launched agent reconnects by itself and must not be launched
     * again.
     */
    private volatile boolean launched;

    public MesosLauncher() {
        super(true);
    }

    @Override
    public boolean isLaunchSupported() {
        return !launched;
    }

    @Override
    public synchronized void launch(SlaveComputer computer, TaskListener listener) {
        if (!(computer instanceof MesosComputer mesosComputer) || mesosComputer.getNode() == null) {
            return;
        }
        MesosAgent agent = mesosComputer.getNode();
        PrintStream log = listener.getLogger();
        computer.setAcceptingTasks(false);
        try {
            log.println(
                    "Waiting for a Mesos offer for "
                            + agent.getNodeName()
                            + " (cloud "
                            + agent.getCloudName()
                            + ", template "
                            + agent.getTemplateName()
                            + ")");
            LaunchedAgent task = awaitTask(agent, log);
            log.println(
                    "Mesos task "
                            + task.taskId()
                            + " is running on "
                            + task.hostname()
                            + "; waiting for the agent to connect");
            waitOnline(computer, CONNECT_TIMEOUT);
            computer.setAcceptingTasks(true);
            launched = true;
            agent.save();
            log.println("Agent " + agent.getNodeName() + " is online");
        } catch (Exception e) {
            String reason =
                    e instanceof ExecutionException && e.getCause() != null
                            ? e.getCause().getMessage()
                            : e.getMessage();
            log.println("Launching " + agent.getNodeName() + " failed: " + reason);
            LOGGER.log(Level.WARNING, "Launching " + agent.getNodeName() + " failed: " + reason);
            terminate(agent);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Waits for the task, saying every so often why it is still waiting (the engine's diagnosis).
     */
    private static LaunchedAgent awaitTask(MesosAgent agent, PrintStream log) throws Exception {
        MesosClouds clouds = MesosClouds.get();
        java.util.concurrent.CompletableFuture<LaunchedAgent> task =
                clouds.running(agent.getCloudName(), agent.getNodeName());
        String lastReason = null;
        while (true) {
            try {
                return task.get(PROGRESS_EVERY.toSeconds(), TimeUnit.SECONDS);
            } catch (TimeoutException stillWaiting) {
                String reason = clouds.waitingReason(agent.getCloudName(), agent.getTemplateName());
                if (reason != null && !reason.equals(lastReason)) {
                    log.println("Still waiting for a Mesos offer: " + reason);
                    lastReason = reason;
                }
            }
        }
    }

    private static void waitOnline(SlaveComputer computer, Duration timeout)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!computer.isOnline()) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException(
                        "the agent did not connect within "
                                + timeout.toMinutes()
                                + " minutes after its task started: check that the task can reach"
                                + " the Jenkins URL (agent.jar download and WebSocket) and look at"
                                + " the task's stderr in the Mesos sandbox");
            }
            TimeUnit.SECONDS.sleep(1);
        }
    }

    private static void terminate(MesosAgent agent) {
        try {
            agent.terminate();
        } catch (Exception e) {
            LOGGER.log(Level.WARNING, "Could not terminate " + agent.getNodeName(), e);
        }
    }

    /** Not an extension: this launcher is never offered in the UI, only set by the cloud. */
    @Override
    public Descriptor<ComputerLauncher> getDescriptor() {
        return UnlistedDescriptor.INSTANCE;
    }

    private static final class UnlistedDescriptor extends Descriptor<ComputerLauncher> {
        static final UnlistedDescriptor INSTANCE = new UnlistedDescriptor();

        UnlistedDescriptor() {
            super(MesosLauncher.class);
        }

        @Override
        public String getDisplayName() {
            return "Launched by the Mesos cloud";
        }
    }
}
