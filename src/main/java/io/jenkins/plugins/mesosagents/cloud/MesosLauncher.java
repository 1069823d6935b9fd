package io.jenkins.plugins.mesosagents.cloud;

import hudson.model.Descriptor;
import hudson.model.TaskListener;
import hudson.slaves.ComputerLauncher;
import hudson.slaves.JNLPLauncher;
import hudson.slaves.SlaveComputer;

import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.engine.LaunchedAgent;

import jenkins.model.Jenkins;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
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

    static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

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

    /** Whether its agent came online once (then it only reconnects, and may take work). */
    boolean isLaunched() {
        return launched;
    }

    /**
     * Core calls this for a new node (retention start → connect → launch: AbstractCIBase.java:192,
     * CloudRetentionStrategy.java:74-75, SlaveComputer.java:278-297 at jenkins-2.479.3) and again
     * for every persisted agent after a restart. A launched agent reconnects by itself and is left
     * alone, as kubernetes-plugin's KubernetesLauncher does; its task's fate is the cloud session's
     * to judge after reconciliation. A new one is only now, with its node in Jenkins, let out to
     * Mesos: an inbound agent connecting to a node that does not exist yet is refused.
     */
    @Override
    public synchronized void launch(SlaveComputer computer, TaskListener listener) {
        if (!(computer instanceof MesosComputer mesosComputer) || mesosComputer.getNode() == null) {
            return;
        }
        MesosAgent agent = mesosComputer.getNode();
        PrintStream log = listener.getLogger();
        if (launched) {
            log.println(
                    agent.getNodeName()
                            + " was launched before; waiting for its agent to reconnect (its Mesos"
                            + " task is checked by the cloud's reconciliation)");
            return;
        }
        MesosClouds clouds = MesosClouds.get();
        try {
            log.println(
                    "Waiting for a Mesos offer for "
                            + agent.getNodeName()
                            + " (cloud "
                            + agent.getCloudName()
                            + ", template "
                            + agent.getTemplateName()
                            + ")");
            clouds.nodeReady(agent.getCloudName(), agent.getNodeName());
            LaunchedAgent task =
                    awaitTask(mesosComputer, agent, log, taskDeadline(agent), PROGRESS_EVERY);
            agent.taskRunning(task);
            log.println(
                    "Mesos task "
                            + task.taskId()
                            + " is running on "
                            + task.hostname()
                            + "; waiting for the agent to connect");
            waitOnline(mesosComputer, CONNECT_TIMEOUT);
            mesosComputer.markOnline(System.currentTimeMillis());
            launched = true;
            agent.save();
            clouds.agentConnected(agent.getCloudName(), agent.getNodeName());
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
     * The engine fails the launch itself after the template's launch timeout, once waiting for an
     * offer and once for the task to run; this bound only guards against an answer that never
     * comes.
     */
    private static Duration taskDeadline(MesosAgent agent) {
        Duration launchTimeout = AgentTemplate.DEFAULT_LAUNCH_TIMEOUT;
        Jenkins jenkins = Jenkins.getInstanceOrNull();
        if (jenkins != null && jenkins.getCloud(agent.getCloudName()) instanceof MesosCloud cloud) {
            for (MesosAgentTemplate template : cloud.getTemplates()) {
                if (template.getName().equals(agent.getTemplateName())) {
                    launchTimeout = Duration.ofSeconds(template.getLaunchTimeoutSeconds());
                }
            }
            // a template a Jenkinsfile declared (mesosAgent) for a running block
            for (var declared : MesosClouds.get().jenkinsfileTemplates(cloud.name)) {
                if (declared.name().equals(agent.getTemplateName())) {
                    launchTimeout = Duration.ofSeconds(declared.launchTimeoutSeconds());
                }
            }
        }
        return launchTimeout.multipliedBy(2).plus(Duration.ofMinutes(1));
    }

    /**
     * Waits for the task, saying every so often why it is still waiting (the engine's diagnosis);
     * gives up when the node is removed or the deadline passes.
     */
    static LaunchedAgent awaitTask(
            MesosComputer computer,
            MesosAgent agent,
            PrintStream log,
            Duration deadline,
            Duration progressEvery)
            throws Exception {
        MesosClouds clouds = MesosClouds.get();
        CompletableFuture<LaunchedAgent> task =
                clouds.running(agent.getCloudName(), agent.getNodeName());
        long giveUpAt = System.nanoTime() + deadline.toNanos();
        String lastReason = null;
        while (true) {
            try {
                return task.get(progressEvery.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException stillWaiting) {
                if (computer.getNode() == null) {
                    throw new IllegalStateException(
                            "the node was removed while its Mesos task was being launched");
                }
                if (System.nanoTime() - giveUpAt > 0) {
                    throw new TimeoutException(
                            "no answer from the Mesos cloud about the task within "
                                    + deadline.toMinutes()
                                    + " minutes");
                }
                String reason = clouds.waitingReason(agent.getCloudName(), agent.getTemplateName());
                if (reason != null && !reason.equals(lastReason)) {
                    log.println("Still waiting for a Mesos offer: " + reason);
                    lastReason = reason;
                }
            }
        }
    }

    static void waitOnline(SlaveComputer computer, Duration timeout)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!computer.isOnline()) {
            if (computer.getNode() == null) {
                throw new IllegalStateException("the node was removed before its agent connected");
            }
            if (System.nanoTime() - deadline > 0) {
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
