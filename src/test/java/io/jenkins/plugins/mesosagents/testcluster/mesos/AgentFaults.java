package io.jenkins.plugins.mesosagents.testcluster.mesos;

import io.jenkins.plugins.mesosagents.testcluster.mesos.Entities.Agent;
import io.jenkins.plugins.mesosagents.testcluster.mesos.Entities.AgentState;
import io.jenkins.plugins.mesosagents.testcluster.mesos.Entities.Framework;
import io.jenkins.plugins.mesosagents.testcluster.mesos.Entities.Task;

import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.TimeInfo;
import org.apache.mesos.v1.scheduler.Protos.Event;

import java.util.List;

/**
 * What the master does when an agent is partitioned (tasks UNREACHABLE, or LOST for frameworks that
 * are not PARTITION_AWARE; processes keep running), heals (its real task states and held-back
 * updates reach the master) or is marked gone (tasks GONE_BY_OPERATOR/LOST, processes killed).
 * Master-generated updates carry no uuid.
 */
final class AgentFaults {
    private final Master master;

    AgentFaults(Master master) {
        this.master = master;
    }

    void partitionAgent(Agent agent) {
        if (agent.state == AgentState.RECOVERED) {
            // not reregistered after an amnesia failover: the master knows none of its tasks
            master.amnesia.lost(agent);
            agent.state = AgentState.UNREACHABLE;
            agent.unreachableSinceMillis = System.currentTimeMillis();
            return;
        }
        if (agent.state != AgentState.ACTIVE) {
            return;
        }
        agent.state = AgentState.UNREACHABLE;
        agent.unreachableSinceMillis = System.currentTimeMillis();
        agentLost(
                agent,
                TaskState.TASK_UNREACHABLE,
                TaskStatus.Reason.REASON_AGENT_REMOVED,
                "Agent " + agent.config.hostname() + " is unreachable");
    }

    void removeAgent(Agent agent) {
        if (agent.state == AgentState.GONE) {
            return;
        }
        master.amnesia.lost(agent);
        agent.state = AgentState.GONE;
        agentLost(
                agent,
                TaskState.TASK_GONE_BY_OPERATOR,
                TaskStatus.Reason.REASON_AGENT_REMOVED_BY_OPERATOR,
                "Agent " + agent.config.hostname() + " has been marked gone");
        for (Framework fw : master.frameworks.values()) {
            for (Task t : List.copyOf(fw.tasks.values())) {
                if (t.agent == agent) {
                    if (t.retry != null) {
                        t.retry.cancel(false);
                    }
                    if (t.process != null) {
                        TaskProcess p = t.process;
                        master.io.execute(p::killNow);
                    }
                    fw.tasks.remove(t.id());
                }
            }
        }
    }

    private void agentLost(Agent agent, TaskState state, TaskStatus.Reason reason, String message) {
        master.allocator.offers.values().stream()
                .filter(o -> o.agentId.equals(agent.id))
                .toList()
                .forEach(master.allocator::rescind);
        for (Framework fw : master.frameworks.values()) {
            for (Task t : fw.tasks.values()) {
                if (t.agent == agent && !Entities.isTerminal(t.masterState)) {
                    t.masterState = state;
                    TaskStatus.Builder s =
                            TaskStatus.newBuilder()
                                    .setTaskId(t.info.getTaskId())
                                    .setState(Master.visibleState(fw, state))
                                    .setSource(TaskStatus.Source.SOURCE_MASTER)
                                    .setReason(reason)
                                    .setMessage(message)
                                    .setAgentId(AgentID.newBuilder().setValue(agent.id))
                                    .setTimestamp(Master.now());
                    if (state == TaskState.TASK_UNREACHABLE) {
                        s.setUnreachableTime(
                                TimeInfo.newBuilder()
                                        .setNanoseconds(agent.unreachableSinceMillis * 1_000_000));
                    }
                    master.send(fw, s.build());
                }
            }
            if (fw.subscription != null) {
                fw.subscription.send(
                        Event.newBuilder()
                                .setType(Event.Type.FAILURE)
                                .setFailure(
                                        Event.Failure.newBuilder()
                                                .setAgentId(
                                                        AgentID.newBuilder().setValue(agent.id)))
                                .build());
            }
        }
    }

    /**
     * The partitioned agent reregisters: the master learns its tasks' real states and pending
     * updates flow.
     */
    void healAgent(Agent agent) {
        if (agent.state != AgentState.UNREACHABLE) {
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
}
