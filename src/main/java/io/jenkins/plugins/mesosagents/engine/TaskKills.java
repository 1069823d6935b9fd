package io.jenkins.plugins.mesosagents.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Makes a kill stick: every task marked for killing gets KILL again, with the client's backoff,
 * until a terminal update removes it — at each tick when due, on each non-terminal update, when its
 * agent offers again, and after each SUBSCRIBED. A master may drop a KILL silently (a new leader
 * that does not know the task yet, an unreachable agent) or refuse it; neither leaves a task
 * running. A task whose KILL is refused is shown as such and keeps counting against the caps until
 * Mesos says it is gone. Loop-confined.
 */
final class TaskKills {
    private static final Logger LOG = Logger.getLogger(TaskKills.class.getName());

    private final EngineCore core;
    private final Map<String, TrackedTask> killing = new LinkedHashMap<>();

    TaskKills(EngineCore core) {
        this.core = core;
    }

    /** Marks the task for killing and sends KILL now. */
    void kill(TrackedTask t, long now) {
        t.killRequested = true;
        killing.put(t.taskId(), t);
        send(t, now);
    }

    /** The task ended (terminal update): stop killing it. */
    void forget(TrackedTask t) {
        killing.remove(t.taskId());
    }

    /** A non-terminal update or an offer from its agent: the task is still there. */
    void stillThere(TrackedTask t, long now) {
        if (t.killRequested && !t.killInFlight) {
            send(t, now);
        }
    }

    /** Offers came from this agent: it is reachable again, so kills meant for it may work now. */
    void agentOffered(String agentId, long now) {
        if (killing.isEmpty()) {
            return;
        }
        for (TrackedTask t : killing.values()) {
            if (agentId.equals(t.agentId)) {
                stillThere(t, now);
            }
        }
    }

    void subscribed(long now) {
        for (TrackedTask t : core.book.all()) {
            if (t.killRequested) {
                killing.put(t.taskId(), t);
            }
        }
        for (TrackedTask t : killing.values()) {
            t.killInFlight = false;
            t.killAttempts = 0;
            send(t, now);
        }
    }

    void tick(long now) {
        for (TrackedTask t : killing.values()) {
            if (!t.killInFlight && now >= t.nextKillMillis) {
                send(t, now);
            }
        }
    }

    /** One line per task whose KILL does not go through, for the cloud's page. */
    List<String> problems() {
        List<String> out = new ArrayList<>();
        for (TrackedTask t : killing.values()) {
            if (t.killProblem != null) {
                out.add(
                        "Task "
                                + t.taskId()
                                + " on "
                                + t.hostname
                                + " cannot be killed yet ("
                                + t.state
                                + "): "
                                + t.killProblem);
            }
        }
        return out;
    }

    private void send(TrackedTask t, long now) {
        if (!core.subscribed) {
            return; // the next SUBSCRIBED sends it
        }
        t.killInFlight = true;
        int attempt = t.killAttempts++;
        core.send(
                MesosCalls.kill(core.frameworkId, t.taskId(), t.agentId),
                (at, failure) -> {
                    t.killInFlight = false;
                    long delay = core.retryDelayMillis(attempt);
                    // also after an accepted KILL: the master may drop it silently, so ask again
                    // until a terminal update arrives
                    t.nextKillMillis = at + delay;
                    if (failure == null) {
                        t.killProblem = null;
                    } else {
                        if (t.killProblem == null) {
                            String note =
                                    "Mesos task "
                                            + t.taskId()
                                            + " cannot be killed: "
                                            + failure.summary()
                                            + "; retrying with backoff until Mesos reports it"
                                            + " gone";
                            LOG.warning(note);
                            core.jenkins.agentNote(t.agentName, note);
                        }
                        t.killProblem =
                                failure.summary() + ", retrying in " + CallSender.inSeconds(delay);
                    }
                });
    }
}
