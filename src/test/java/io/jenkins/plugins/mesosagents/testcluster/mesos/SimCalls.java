package io.jenkins.plugins.mesosagents.testcluster.mesos;

import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.DurationInfo;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo.Capability;
import org.apache.mesos.v1.Protos.KillPolicy;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.scheduler.Protos.Call;

import java.util.List;

/** Builders for the calls the simulator tests send. */
final class SimCalls {
    private SimCalls() {}

    static FrameworkInfo framework(String name, Capability.Type... caps) {
        FrameworkInfo.Builder b =
                FrameworkInfo.newBuilder()
                        .setUser("jenkins")
                        .setName(name)
                        .setFailoverTimeout(60)
                        .setCheckpoint(true)
                        .setPrincipal("jenkins");
        boolean multiRole = false;
        for (Capability.Type t : caps) {
            b.addCapabilities(Capability.newBuilder().setType(t));
            multiRole |= t == Capability.Type.MULTI_ROLE;
        }
        if (multiRole) {
            b.addRoles("ci");
        }
        return b.build();
    }

    static Call.Builder call(SimClient c, Call.Type type) {
        return Call.newBuilder()
                .setType(type)
                .setFrameworkId(FrameworkID.newBuilder().setValue(c.frameworkId));
    }

    static Resource scalar(String name, double v, String role) {
        Resource.Builder r =
                Resource.newBuilder()
                        .setName(name)
                        .setType(Value.Type.SCALAR)
                        .setScalar(Value.Scalar.newBuilder().setValue(v));
        if (role != null) {
            r.setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole(role));
        }
        return r.build();
    }

    static TaskInfo shellTask(String id, Offer offer, String command) {
        String role = offer.hasAllocationInfo() ? offer.getAllocationInfo().getRole() : null;
        return TaskInfo.newBuilder()
                .setName(id)
                .setTaskId(TaskID.newBuilder().setValue(id))
                .setAgentId(offer.getAgentId())
                .addResources(scalar("cpus", 0.1, role))
                .addResources(scalar("mem", 32, role))
                .setCommand(CommandInfo.newBuilder().setValue(command))
                .build();
    }

    static Call launch(SimClient c, Offer offer, TaskInfo... tasks) {
        return call(c, Call.Type.ACCEPT)
                .setAccept(
                        Call.Accept.newBuilder()
                                .addOfferIds(offer.getId())
                                .addOperations(
                                        Offer.Operation.newBuilder()
                                                .setType(Offer.Operation.Type.LAUNCH)
                                                .setLaunch(
                                                        Offer.Operation.Launch.newBuilder()
                                                                .addAllTaskInfos(List.of(tasks))))
                                .setFilters(Filters.newBuilder().setRefuseSeconds(0)))
                .build();
    }

    static Call decline(SimClient c, OfferID id, double refuseSeconds) {
        return call(c, Call.Type.DECLINE)
                .setDecline(
                        Call.Decline.newBuilder()
                                .addOfferIds(id)
                                .setFilters(Filters.newBuilder().setRefuseSeconds(refuseSeconds)))
                .build();
    }

    static Call ack(SimClient c, TaskStatus s) {
        return call(c, Call.Type.ACKNOWLEDGE)
                .setAcknowledge(
                        Call.Acknowledge.newBuilder()
                                .setAgentId(s.getAgentId())
                                .setTaskId(s.getTaskId())
                                .setUuid(s.getUuid()))
                .build();
    }

    static Call kill(SimClient c, String taskId, AgentID agent, long graceMillis) {
        Call.Kill.Builder k =
                Call.Kill.newBuilder()
                        .setTaskId(TaskID.newBuilder().setValue(taskId))
                        .setAgentId(agent);
        if (graceMillis >= 0) {
            k.setKillPolicy(
                    KillPolicy.newBuilder()
                            .setGracePeriod(
                                    DurationInfo.newBuilder()
                                            .setNanoseconds(graceMillis * 1_000_000)));
        }
        return call(c, Call.Type.KILL).setKill(k).build();
    }

    static Call reconcile(SimClient c, String... taskIdsThenAgentIds) {
        Call.Reconcile.Builder r = Call.Reconcile.newBuilder();
        for (int i = 0; i < taskIdsThenAgentIds.length; i += 2) {
            Call.Reconcile.Task.Builder t =
                    Call.Reconcile.Task.newBuilder()
                            .setTaskId(TaskID.newBuilder().setValue(taskIdsThenAgentIds[i]));
            if (i + 1 < taskIdsThenAgentIds.length && taskIdsThenAgentIds[i + 1] != null) {
                t.setAgentId(AgentID.newBuilder().setValue(taskIdsThenAgentIds[i + 1]));
            }
            r.addTasks(t);
        }
        return call(c, Call.Type.RECONCILE).setReconcile(r).build();
    }
}
