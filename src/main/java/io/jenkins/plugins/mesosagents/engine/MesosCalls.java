package io.jenkins.plugins.mesosagents.engine;

import com.google.protobuf.ByteString;

import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.scheduler.Protos.Call;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/** Builds the scheduler calls the engine sends; every call carries the framework id. */
final class MesosCalls {
    private MesosCalls() {}

    static Filters refuse(Duration d) {
        return Filters.newBuilder().setRefuseSeconds(d.toMillis() / 1000.0).build();
    }

    private static Call.Builder call(FrameworkID fw, Call.Type type) {
        return Call.newBuilder().setFrameworkId(fw).setType(type);
    }

    static Call accept(FrameworkID fw, OfferID offer, List<TaskInfo> tasks, Filters filters) {
        return call(fw, Call.Type.ACCEPT)
                .setAccept(
                        Call.Accept.newBuilder()
                                .addOfferIds(offer)
                                .addOperations(
                                        Offer.Operation.newBuilder()
                                                .setType(Offer.Operation.Type.LAUNCH)
                                                .setLaunch(
                                                        Offer.Operation.Launch.newBuilder()
                                                                .addAllTaskInfos(tasks)))
                                .setFilters(filters))
                .build();
    }

    static Call decline(FrameworkID fw, Collection<OfferID> offers, Filters filters) {
        return call(fw, Call.Type.DECLINE)
                .setDecline(Call.Decline.newBuilder().addAllOfferIds(offers).setFilters(filters))
                .build();
    }

    static Call suppress(FrameworkID fw, Collection<String> roles) {
        return call(fw, Call.Type.SUPPRESS)
                .setSuppress(Call.Suppress.newBuilder().addAllRoles(roles))
                .build();
    }

    static Call revive(FrameworkID fw, Collection<String> roles) {
        return call(fw, Call.Type.REVIVE)
                .setRevive(Call.Revive.newBuilder().addAllRoles(roles))
                .build();
    }

    static Call kill(FrameworkID fw, String taskId, String agentId) {
        Call.Kill.Builder k =
                Call.Kill.newBuilder().setTaskId(TaskID.newBuilder().setValue(taskId));
        if (agentId != null && !agentId.isEmpty()) {
            k.setAgentId(AgentID.newBuilder().setValue(agentId));
        }
        return call(fw, Call.Type.KILL).setKill(k).build();
    }

    static Call acknowledge(FrameworkID fw, AgentID agent, TaskID task, ByteString uuid) {
        return call(fw, Call.Type.ACKNOWLEDGE)
                .setAcknowledge(
                        Call.Acknowledge.newBuilder()
                                .setAgentId(agent)
                                .setTaskId(task)
                                .setUuid(uuid))
                .build();
    }

    /**
     * Explicit reconciliation of the given (taskId, agentId) pairs; an empty list asks for all
     * tasks.
     */
    static Call reconcile(FrameworkID fw, Collection<String[]> tasks) {
        Call.Reconcile.Builder r = Call.Reconcile.newBuilder();
        for (String[] t : tasks) {
            Call.Reconcile.Task.Builder rt =
                    Call.Reconcile.Task.newBuilder().setTaskId(TaskID.newBuilder().setValue(t[0]));
            if (t[1] != null && !t[1].isEmpty()) {
                rt.setAgentId(AgentID.newBuilder().setValue(t[1]));
            }
            r.addTasks(rt);
        }
        return call(fw, Call.Type.RECONCILE).setReconcile(r).build();
    }

    static Call acceptInverseOffers(FrameworkID fw, Collection<OfferID> ids) {
        return call(fw, Call.Type.ACCEPT_INVERSE_OFFERS)
                .setAcceptInverseOffers(
                        Call.AcceptInverseOffers.newBuilder().addAllInverseOfferIds(ids))
                .build();
    }
}
