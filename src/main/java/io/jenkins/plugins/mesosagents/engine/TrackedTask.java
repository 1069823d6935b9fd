package io.jenkins.plugins.mesosagents.engine;

import org.apache.mesos.v1.Protos.TaskState;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A task the engine launched (or recovered from the store) and has not yet seen end. Mutable and
 * confined to the engine's loop; kept small because thousands may be tracked (the task id is the
 * agent name, one string).
 */
final class TrackedTask {
    final String agentName;
    final String templateName;
    final double cpus;
    final double memMb;
    final long launchedAtMillis;
    final Map<String, String> placementValues;
    String agentId;
    String hostname;
    TaskState state;
    long lastUpdateMillis;
    long launchDeadlineMillis;

    /**
     * Set while Jenkins is still waiting for this agent; null after it resolved or after a restart.
     */
    CompletableFuture<LaunchedAgent> running;

    boolean wasRunning;

    /**
     * Its inbound agent connected to Jenkins (told by the launcher); a task that ends before is a
     * failed connection, not a crash.
     */
    boolean agentConnected;

    boolean killRequested;
    boolean killInFlight;
    int killAttempts;
    long nextKillMillis;

    /** Why the last KILL did not go through ("KILL refused by the master: …"); null when it did. */
    String killProblem;

    /**
     * Set from the ACCEPT that launched it until the task's first update: the agent to launch again
     * if the ACCEPT is refused, if reconciliation shows an unanswered one never launched, or if
     * Mesos drops the task for an invalid offer. Null once the task was seen.
     */
    PendingAgent relaunchable;

    /** The ACCEPT got no answer: the task may or may not exist until Mesos says. */
    boolean launchUncertain;

    /**
     * The master answered the ACCEPT with 202; it added the task before answering (http.cpp 1.11.0
     * L664-666, master.cpp L4363 and L4958, all synchronous), so from then on "unknown" means the
     * master lost it.
     */
    boolean acceptAnswered;

    /**
     * An explicit RECONCILE naming the task left before its ACCEPT was answered: on another
     * connection it may reach the master first and be answered "unknown" although the ACCEPT then
     * launches the task, so such an answer proves nothing.
     */
    boolean reconciledBeforeAccepted;

    boolean draining;
    long unknownToJenkinsSinceMillis = -1;

    /**
     * Since when Mesos says the task "may still be running" (see {@link #mayStillRun}); -1 if not.
     */
    long uncertainSinceMillis = -1;

    /**
     * When this engine saw it reach RUNNING; 0 when it never did or was recovered from the store.
     */
    long runningSinceMillis;

    /** What its TaskInfo gave it; null when recovered from the store. */
    TaskResources resources;

    TrackedTask(
            String agentName,
            String templateName,
            double cpus,
            double memMb,
            String agentId,
            String hostname,
            TaskState state,
            long launchedAtMillis,
            Map<String, String> placementValues) {
        this.agentName = agentName;
        this.templateName = templateName;
        this.cpus = cpus;
        this.memMb = memMb;
        this.agentId = agentId;
        this.hostname = hostname;
        this.state = state;
        this.launchedAtMillis = launchedAtMillis;
        this.placementValues = placementValues.isEmpty() ? Map.of() : placementValues;
    }

    String taskId() {
        return agentName;
    }

    /** Whether Jenkins' request for this agent is still open. */
    boolean awaitingLaunch() {
        return running != null && !running.isDone();
    }

    static boolean isTerminal(TaskState s) {
        return switch (s) {
            case TASK_FINISHED,
                            TASK_FAILED,
                            TASK_KILLED,
                            TASK_ERROR,
                            TASK_LOST,
                            TASK_DROPPED,
                            TASK_GONE,
                            TASK_GONE_BY_OPERATOR,
                            TASK_UNKNOWN ->
                    true;
            default -> false;
        };
    }

    /**
     * States Mesos does not call final for sure: TASK_GONE_BY_OPERATOR ("if the operator is
     * mistaken, the task may still be running") and TASK_UNKNOWN ("may or may not still be
     * running"), Mesos 1.11.0 include/mesos/v1/mesos.proto:2446-2466.
     */
    static boolean mayStillRun(TaskState s) {
        return s == TaskState.TASK_GONE_BY_OPERATOR || s == TaskState.TASK_UNKNOWN;
    }

    /**
     * Progress order used to drop stale, re-delivered updates; UNREACHABLE may go back to RUNNING.
     */
    static int rank(TaskState s) {
        return switch (s) {
            case TASK_STAGING -> 0;
            case TASK_STARTING -> 1;
            case TASK_RUNNING, TASK_UNREACHABLE -> 2;
            case TASK_KILLING -> 3;
            default -> 4;
        };
    }

    @Override
    public String toString() {
        return "task " + agentName + " (" + templateName + ", " + state + " on " + hostname + ")";
    }
}
