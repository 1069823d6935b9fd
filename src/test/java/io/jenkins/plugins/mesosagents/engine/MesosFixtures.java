package io.jenkins.plugins.mesosagents.engine;

import com.google.protobuf.ByteString;

import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.Attribute;
import org.apache.mesos.v1.Protos.DomainInfo;
import org.apache.mesos.v1.Protos.DurationInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.InverseOffer;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.TimeInfo;
import org.apache.mesos.v1.Protos.Unavailability;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.scheduler.Protos.Event;

import java.nio.ByteBuffer;
import java.util.UUID;

/** Builders for real Mesos protobuf offers and events used by the engine tests. */
final class MesosFixtures {
    static final String FRAMEWORK = "fw-1";

    private MesosFixtures() {}

    /** Builds an offer; chain the mutators then {@link OfferBuilder#build()}. */
    static OfferBuilder offer(String id, String host, double cpus, double mem) {
        return new OfferBuilder(id, host, cpus, mem);
    }

    static final class OfferBuilder {
        final Offer.Builder b;
        private final String role;

        OfferBuilder(String id, String host, double cpus, double mem) {
            this(id, host, cpus, mem, "*");
        }

        OfferBuilder(String id, String host, double cpus, double mem, String role) {
            this.role = role;
            b =
                    Offer.newBuilder()
                            .setId(OfferID.newBuilder().setValue(id))
                            .setFrameworkId(FrameworkID.newBuilder().setValue(FRAMEWORK))
                            .setAgentId(AgentID.newBuilder().setValue("agent-" + host))
                            .setHostname(host)
                            .setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole(role));
            scalar("cpus", cpus);
            scalar("mem", mem);
        }

        OfferBuilder role(String newRole) {
            b.setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole(newRole));
            for (int i = 0; i < b.getResourcesCount(); i++) {
                b.setResources(
                        i,
                        b.getResources(i).toBuilder()
                                .setAllocationInfo(
                                        Resource.AllocationInfo.newBuilder().setRole(newRole)));
            }
            return this;
        }

        OfferBuilder scalar(String name, double v) {
            b.addResources(
                    Resource.newBuilder()
                            .setName(name)
                            .setType(Value.Type.SCALAR)
                            .setScalar(Value.Scalar.newBuilder().setValue(v))
                            .setAllocationInfo(
                                    Resource.AllocationInfo.newBuilder()
                                            .setRole(b.getAllocationInfo().getRole())));
            return this;
        }

        OfferBuilder reservedScalar(String name, double v, String reservedRole) {
            b.addResources(
                    Resource.newBuilder()
                            .setName(name)
                            .setType(Value.Type.SCALAR)
                            .setScalar(Value.Scalar.newBuilder().setValue(v))
                            .addReservations(
                                    Resource.ReservationInfo.newBuilder()
                                            .setType(Resource.ReservationInfo.Type.STATIC)
                                            .setRole(reservedRole))
                            .setAllocationInfo(
                                    Resource.AllocationInfo.newBuilder()
                                            .setRole(b.getAllocationInfo().getRole())));
            return this;
        }

        OfferBuilder ports(long begin, long end) {
            b.addResources(
                    Resource.newBuilder()
                            .setName("ports")
                            .setType(Value.Type.RANGES)
                            .setRanges(
                                    Value.Ranges.newBuilder()
                                            .addRange(
                                                    Value.Range.newBuilder()
                                                            .setBegin(begin)
                                                            .setEnd(end)))
                            .setAllocationInfo(
                                    Resource.AllocationInfo.newBuilder()
                                            .setRole(b.getAllocationInfo().getRole())));
            return this;
        }

        OfferBuilder text(String name, String value) {
            b.addAttributes(
                    Attribute.newBuilder()
                            .setName(name)
                            .setType(Value.Type.TEXT)
                            .setText(Value.Text.newBuilder().setValue(value)));
            return this;
        }

        OfferBuilder domain(String region, String zone) {
            b.setDomain(
                    DomainInfo.newBuilder()
                            .setFaultDomain(
                                    DomainInfo.FaultDomain.newBuilder()
                                            .setRegion(
                                                    DomainInfo.FaultDomain.RegionInfo.newBuilder()
                                                            .setName(region))
                                            .setZone(
                                                    DomainInfo.FaultDomain.ZoneInfo.newBuilder()
                                                            .setName(zone))));
            return this;
        }

        OfferBuilder unavailable() {
            b.setUnavailability(
                    Unavailability.newBuilder().setStart(TimeInfo.newBuilder().setNanoseconds(1)));
            return this;
        }

        Offer build() {
            return b.build();
        }
    }

    static Event subscribed() {
        return subscribed("");
    }

    static Event subscribed(String masterRegion) {
        MasterInfo.Builder master = MasterInfo.newBuilder().setId("m1").setIp(0).setPort(5050);
        if (!masterRegion.isEmpty()) {
            master.setDomain(
                    DomainInfo.newBuilder()
                            .setFaultDomain(
                                    DomainInfo.FaultDomain.newBuilder()
                                            .setRegion(
                                                    DomainInfo.FaultDomain.RegionInfo.newBuilder()
                                                            .setName(masterRegion))
                                            .setZone(
                                                    DomainInfo.FaultDomain.ZoneInfo.newBuilder()
                                                            .setName(masterRegion + "-a"))));
        }
        return Event.newBuilder()
                .setType(Event.Type.SUBSCRIBED)
                .setSubscribed(
                        Event.Subscribed.newBuilder()
                                .setFrameworkId(FrameworkID.newBuilder().setValue(FRAMEWORK))
                                .setHeartbeatIntervalSeconds(15)
                                .setMasterInfo(master))
                .build();
    }

    static Event offers(Offer... offers) {
        Event.Offers.Builder o = Event.Offers.newBuilder();
        for (Offer offer : offers) {
            o.addOffers(offer);
        }
        return Event.newBuilder().setType(Event.Type.OFFERS).setOffers(o).build();
    }

    static Event rescind(String offerId) {
        return Event.newBuilder()
                .setType(Event.Type.RESCIND)
                .setRescind(
                        Event.Rescind.newBuilder()
                                .setOfferId(OfferID.newBuilder().setValue(offerId)))
                .build();
    }

    static TaskStatus.Builder status(String taskId, String host, TaskState state) {
        return TaskStatus.newBuilder()
                .setTaskId(TaskID.newBuilder().setValue(taskId))
                .setState(state)
                .setAgentId(AgentID.newBuilder().setValue("agent-" + host))
                .setSource(TaskStatus.Source.SOURCE_EXECUTOR);
    }

    static Event update(TaskStatus.Builder status) {
        return Event.newBuilder()
                .setType(Event.Type.UPDATE)
                .setUpdate(Event.Update.newBuilder().setStatus(status))
                .build();
    }

    /** An agent-generated update: it carries a uuid and must be acknowledged. */
    static Event update(String taskId, String host, TaskState state) {
        UUID u = UUID.randomUUID();
        ByteBuffer bb =
                ByteBuffer.allocate(16)
                        .putLong(u.getMostSignificantBits())
                        .putLong(u.getLeastSignificantBits());
        return update(status(taskId, host, state).setUuid(ByteString.copyFrom(bb.array())));
    }

    /**
     * A master-generated update (reconciliation answer, invalid offer): no uuid, must not be
     * acknowledged.
     */
    static Event masterUpdate(
            String taskId, String host, TaskState state, TaskStatus.Reason reason) {
        return update(
                status(taskId, host, state)
                        .setSource(TaskStatus.Source.SOURCE_MASTER)
                        .setReason(reason));
    }

    static Event inverseOffer(String id, String host) {
        return Event.newBuilder()
                .setType(Event.Type.INVERSE_OFFERS)
                .setInverseOffers(
                        Event.InverseOffers.newBuilder()
                                .addInverseOffers(
                                        InverseOffer.newBuilder()
                                                .setId(OfferID.newBuilder().setValue(id))
                                                .setFrameworkId(
                                                        FrameworkID.newBuilder()
                                                                .setValue(FRAMEWORK))
                                                .setAgentId(
                                                        AgentID.newBuilder()
                                                                .setValue("agent-" + host))
                                                .setUnavailability(
                                                        Unavailability.newBuilder()
                                                                .setStart(
                                                                        TimeInfo.newBuilder()
                                                                                .setNanoseconds(
                                                                                        1_700_000_000_000_000_000L))
                                                                .setDuration(
                                                                        DurationInfo.newBuilder()
                                                                                .setNanoseconds(
                                                                                        3_600_000_000_000L)))))
                .build();
    }
}
