package io.jenkins.plugins.mesosagents.testcluster.mesos;

import io.jenkins.plugins.mesosagents.testcluster.mesos.Entities.Agent;
import io.jenkins.plugins.mesosagents.testcluster.mesos.Entities.AgentState;
import io.jenkins.plugins.mesosagents.testcluster.mesos.Entities.Framework;
import io.jenkins.plugins.mesosagents.testcluster.mesos.Entities.Task;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A master failover the way a real new leader sees it. Mesos 1.11.0 keeps only agents in its
 * registry, not tasks: a new leader puts every admitted agent in {@code slaves.recovered}
 * (src/master/master.cpp:1696-1705) and learns an agent's tasks only when that agent reregisters
 * ({@code __reregisterSlave}, master.cpp:6893-7110, which erases it from {@code slaves.recovered});
 * an agent that lost its master pauses its status-update retries (src/slave/slave.cpp:1451-1453)
 * and resumes them on reregistration (slave.cpp:1830-1832). Until then the master drops KILL,
 * ACKNOWLEDGE and explicit reconciliation for those tasks as {@link Master} describes, and implicit
 * reconciliation leaves them out. Unreachable and gone agents stay what the registry says.
 *
 * <p>Frameworks stay known to the simulator across the failover; a real new leader recovers a
 * framework from its SUBSCRIBE under the same id (master.cpp:2802-2813), which schedulers cannot
 * tell apart.
 *
 * <p>Off unless a window is set ({@link MesosSimConfig#amnesia()} or {@code POST /sim/amnesia}); a
 * failover without it keeps the simulator's older behaviour of a leader that knows everything at
 * once. Loop-confined.
 */
final class AmnesiaFailover {
    private static final Logger LOG = Logger.getLogger(AmnesiaFailover.class.getName());

    private final Master master;
    private final Map<String, ScheduledFuture<?>> reregistrations = new HashMap<>();
    private AmnesiaWindow window;

    AmnesiaFailover(Master master, AmnesiaWindow window) {
        this.master = master;
        this.window = window;
    }

    /** Turns amnesia on for later failovers ({@code null}: off). */
    void window(AmnesiaWindow w) {
        window = w;
    }

    AmnesiaWindow window() {
        return window;
    }

    /** True while some agent has not reregistered with the current leader. */
    boolean anyRecovered() {
        return !reregistrations.isEmpty();
    }

    /** A new leader took over: it knows the registry's agents but none of their tasks. */
    void failedOver() {
        if (window == null) {
            return;
        }
        reregistrations.values().forEach(f -> f.cancel(false));
        reregistrations.clear();
        List<Agent> recovered = new ArrayList<>();
        for (Agent a : master.agents.values()) {
            if (a.state == AgentState.ACTIVE || a.state == AgentState.RECOVERED) {
                a.state = AgentState.RECOVERED;
                recovered.add(a);
            }
        }
        for (Framework fw : master.frameworks.values()) {
            for (Task t : fw.tasks.values()) {
                if (t.agent.state == AgentState.RECOVERED && t.retry != null) {
                    t.retry.cancel(false); // paused until the agent reregisters
                    t.retry = null;
                }
            }
        }
        for (int i = 0; i < recovered.size(); i++) {
            Agent a = recovered.get(i);
            long delay = window.delayOf(i, recovered.size()).toMillis();
            reregistrations.put(
                    a.id, master.loop.schedule(() -> reregister(a), delay, TimeUnit.MILLISECONDS));
        }
        LOG.fine(() -> recovered.size() + " agents must reregister with the new leader");
    }

    /** The agent reregisters: the master learns its tasks and its paused updates flow again. */
    private void reregister(Agent agent) {
        reregistrations.remove(agent.id);
        if (agent.state != AgentState.RECOVERED) {
            return;
        }
        agent.state = AgentState.ACTIVE;
        for (Framework fw : master.frameworks.values()) {
            for (Task t : List.copyOf(fw.tasks.values())) {
                if (t.agent == agent) {
                    t.masterState = t.agentState;
                    if (!t.pending.isEmpty()) {
                        t.retryMillis = master.config.statusUpdateRetryInterval().toMillis();
                        master.forwardHead(t);
                    } else if (Entities.isTerminal(t.agentState)) {
                        fw.complete(t);
                    }
                }
            }
        }
        master.allocator.allocateSoon();
    }

    /**
     * The agent will not reregister on its own: it became unreachable (it is marked so, as a real
     * master does with agents that miss {@code agent_reregister_timeout}, master.cpp:1995-2050) or
     * gone. Its tasks stay unknown until it heals.
     */
    void lost(Agent agent) {
        ScheduledFuture<?> f = reregistrations.remove(agent.id);
        if (f != null) {
            f.cancel(false);
        }
    }

    void shutdown() {
        reregistrations.values().forEach(f -> f.cancel(false));
        reregistrations.clear();
    }
}
