package io.jenkins.plugins.mesosagents.testcluster.mesos;

import io.jenkins.plugins.mesosagents.testcluster.mesos.Entities.Agent;
import io.jenkins.plugins.mesosagents.testcluster.mesos.Entities.Framework;

import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.Attribute;
import org.apache.mesos.v1.Protos.DomainInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo.Capability.Type;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.URL;
import org.apache.mesos.v1.Protos.Value;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * Renders offers the way the master does for a given framework: unreserved and statically reserved
 * resources, reservation format by RESERVATION_REFINEMENT, allocation_info only for MULTI_ROLE
 * frameworks, attributes in the agent flag syntax, and the agent's fault domain.
 */
final class OfferBuilder {
    Offer build(
            String offerId,
            Framework fw,
            Agent agent,
            String role,
            Map<String, ResourceBag> pools) {
        boolean multiRole = fw.has(Type.MULTI_ROLE);
        Offer.Builder o =
                Offer.newBuilder()
                        .setId(OfferID.newBuilder().setValue(offerId))
                        .setFrameworkId(fw.info.getId())
                        .setAgentId(AgentID.newBuilder().setValue(agent.id))
                        .setHostname(agent.config.hostname())
                        .setUrl(
                                URL.newBuilder()
                                        .setScheme("http")
                                        .setAddress(
                                                org.apache.mesos.v1.Protos.Address.newBuilder()
                                                        .setHostname(agent.config.hostname())
                                                        .setIp("127.0.0.1")
                                                        .setPort(5051))
                                        .setPath("/slave(1)"));
        if (agent.config.region() != null) {
            DomainInfo.FaultDomain.Builder fd =
                    DomainInfo.FaultDomain.newBuilder()
                            .setRegion(
                                    DomainInfo.FaultDomain.RegionInfo.newBuilder()
                                            .setName(agent.config.region()));
            fd.setZone(
                    DomainInfo.FaultDomain.ZoneInfo.newBuilder()
                            .setName(
                                    agent.config.zone() == null
                                            ? agent.config.region()
                                            : agent.config.zone()));
            o.setDomain(DomainInfo.newBuilder().setFaultDomain(fd));
        }
        if (multiRole) {
            o.setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole(role));
        }
        pools.forEach((pool, bag) -> o.addAllResources(resources(fw, pool, role, bag)));
        agent.config.attributes().forEach((k, v) -> o.addAttributes(attribute(k, v)));
        return o.build();
    }

    static List<Resource> resources(Framework fw, String pool, String role, ResourceBag bag) {
        List<Resource> out = new ArrayList<>();
        bag.scalarMillis()
                .forEach(
                        (name, millis) ->
                                out.add(
                                        decorate(
                                                fw,
                                                pool,
                                                role,
                                                Resource.newBuilder()
                                                        .setName(name)
                                                        .setType(Value.Type.SCALAR)
                                                        .setScalar(
                                                                Value.Scalar.newBuilder()
                                                                        .setValue(
                                                                                millis
                                                                                        / 1000.0)))));
        if (!bag.ports().isEmpty()) {
            out.add(
                    decorate(
                            fw,
                            pool,
                            role,
                            Resource.newBuilder()
                                    .setName("ports")
                                    .setType(Value.Type.RANGES)
                                    .setRanges(ranges(bag.ports()))));
        }
        return out;
    }

    private static Resource decorate(Framework fw, String pool, String role, Resource.Builder r) {
        if (fw.has(Type.RESERVATION_REFINEMENT)) {
            if (!pool.equals("*")) {
                r.addReservations(
                        Resource.ReservationInfo.newBuilder()
                                .setType(Resource.ReservationInfo.Type.STATIC)
                                .setRole(pool));
            }
        } else {
            r.setRole(pool);
        }
        if (fw.has(Type.MULTI_ROLE)) {
            r.setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole(role));
        }
        return r.build();
    }

    static Value.Ranges ranges(BitSet ports) {
        Value.Ranges.Builder rs = Value.Ranges.newBuilder();
        for (int b = ports.nextSetBit(0); b >= 0; ) {
            int e = ports.nextClearBit(b) - 1;
            rs.addRange(Value.Range.newBuilder().setBegin(b).setEnd(e));
            b = ports.nextSetBit(e + 1);
        }
        return rs.build();
    }

    static Attribute attribute(String name, String text) {
        Attribute.Builder a = Attribute.newBuilder().setName(name);
        String v = text.trim();
        if (v.matches("-?\\d+(\\.\\d+)?")) {
            return a.setType(Value.Type.SCALAR)
                    .setScalar(Value.Scalar.newBuilder().setValue(Double.parseDouble(v)))
                    .build();
        }
        if (v.startsWith("[") && v.endsWith("]")) {
            return a.setType(Value.Type.RANGES)
                    .setRanges(ranges(ResourceBag.parsePorts(v)))
                    .build();
        }
        if (v.startsWith("{") && v.endsWith("}")) {
            Value.Set.Builder set = Value.Set.newBuilder();
            for (String item : v.substring(1, v.length() - 1).split(",")) {
                if (!item.isBlank()) {
                    set.addItem(item.trim());
                }
            }
            return a.setType(Value.Type.SET).setSet(set).build();
        }
        return a.setType(Value.Type.TEXT).setText(Value.Text.newBuilder().setValue(v)).build();
    }
}
