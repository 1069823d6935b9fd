package io.jenkins.plugins.mesosagents.testcluster.mesos;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Message;

import io.jenkins.plugins.mesosagents.testcluster.mesos.Entities.Agent;
import io.jenkins.plugins.mesosagents.testcluster.mesos.Entities.Framework;
import io.jenkins.plugins.mesosagents.testcluster.mesos.Entities.OfferEntry;
import io.jenkins.plugins.mesosagents.testcluster.mesos.Entities.Task;

import org.apache.mesos.v1.Protos.MasterInfo;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders a {@code /master/state}-like document (the fields frameworks and dashboards read: leader,
 * agents, frameworks with their tasks and offers). Simulator-only details live under {@code
 * "simulator"} keys.
 */
final class StateRenderer {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Master master;

    StateRenderer(Master master) {
        this.master = master;
    }

    String render(MasterInfo self, MasterInfo leader) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("version", "1.11.0");
        root.put("id", self.getId());
        root.put("pid", self.getPid());
        root.put("hostname", self.getHostname());
        if (leader != null) {
            root.put("leader", leader.getPid());
            root.set("leader_info", proto(leader));
        }
        root.put("elected", leader != null && leader.getId().equals(self.getId()));
        long active =
                master.agents.values().stream()
                        .filter(a -> a.state == Entities.AgentState.ACTIVE)
                        .count();
        root.put("activated_slaves", active);
        root.put(
                "unreachable_slaves",
                master.agents.values().stream()
                        .filter(a -> a.state == Entities.AgentState.UNREACHABLE)
                        .count());
        ArrayNode slaves = root.putArray("slaves");
        for (Agent a : master.agents.values()) {
            if (a.state == Entities.AgentState.GONE) {
                continue;
            }
            ObjectNode s = slaves.addObject();
            s.put("id", a.id);
            s.put("hostname", a.config.hostname());
            s.put("active", a.state == Entities.AgentState.ACTIVE);
            ObjectNode res = s.putObject("resources");
            a.totals.get("*").scalarMillis().forEach((k, v) -> res.put(k, v / 1000.0));
            // real masters also write unreserved_resources (and "resources" is the total with
            // reservations): apache/mesos 1.11.0 src/master/readonly_handler.cpp:289-306
            ObjectNode unreserved = s.putObject("unreserved_resources");
            a.totals.get("*").scalarMillis().forEach((k, v) -> unreserved.put(k, v / 1000.0));
            ObjectNode reserved = s.putObject("reserved_resources");
            a.totals.forEach(
                    (role, bag) -> {
                        if (!role.equals("*")) {
                            ObjectNode r = reserved.putObject(role);
                            bag.scalarMillis().forEach((k, v) -> r.put(k, v / 1000.0));
                        }
                    });
            ObjectNode attrs = s.putObject("attributes");
            a.config.attributes().forEach(attrs::put);
            if (a.config.region() != null) {
                s.putObject("domain")
                        .putObject("fault_domain")
                        .putObject("region")
                        .put("name", a.config.region());
            }
        }
        ArrayNode frameworks = root.putArray("frameworks");
        for (Framework fw : master.frameworks.values()) {
            ObjectNode f = frameworks.addObject();
            f.put("id", fw.id);
            f.put("name", fw.info.getName());
            f.put("user", fw.info.getUser());
            f.put("principal", fw.info.getPrincipal());
            f.put("active", fw.subscription != null);
            f.put("connected", fw.subscription != null);
            f.put("failover_timeout", fw.info.getFailoverTimeout());
            f.put("checkpoint", fw.info.getCheckpoint());
            ArrayNode roles = f.putArray("roles");
            fw.roles().forEach(roles::add);
            ArrayNode caps = f.putArray("capabilities");
            fw.info.getCapabilitiesList().forEach(c -> caps.add(c.getType().name()));
            ArrayNode suppressed = f.putArray("suppressed_roles");
            fw.suppressedRoles.forEach(suppressed::add);
            ArrayNode tasks = f.putArray("tasks");
            ArrayNode unreachable = f.putArray("unreachable_tasks");
            ArrayNode completedTasks = f.putArray("completed_tasks");
            List<Task> all = new ArrayList<>(fw.tasks.values());
            all.addAll(fw.completedTasks);
            for (Task t : all) {
                if (t.agent.state == Entities.AgentState.RECOVERED) {
                    continue; // a new leader with amnesia does not know it yet
                }
                ObjectNode tn =
                        (fw.tasks.get(t.id()) != t
                                        ? completedTasks
                                        : t.masterState
                                                        == org.apache.mesos.v1.Protos.TaskState
                                                                .TASK_UNREACHABLE
                                                ? unreachable
                                                : tasks)
                                .addObject();
                tn.put("id", t.id());
                tn.put("name", t.info.getName());
                tn.put("framework_id", fw.id);
                tn.put("slave_id", t.agent.id);
                tn.put("state", t.masterState.name());
                if (t.latest != null) {
                    tn.putArray("statuses").add(proto(t.latest));
                }
                if (t.info.hasLabels()) {
                    // apache/mesos 1.11.0 src/common/http.cpp:1137-1139 and :941-946
                    ArrayNode labels = tn.putArray("labels");
                    t.info.getLabels().getLabelsList().forEach(l -> labels.add(proto(l)));
                }
                if (t.info.hasContainer()) {
                    tn.set("container", proto(t.info.getContainer()));
                }
                ObjectNode sim = tn.putObject("simulator");
                sim.put("sandbox", t.sandbox.toString());
                sim.put("pid", t.pid);
                sim.put("unacknowledged_updates", t.pending.size());
            }
            ArrayNode offers = f.putArray("offers");
            for (OfferEntry o : master.allocator.offers.values()) {
                if (o.frameworkId.equals(fw.id)) {
                    offers.add(proto(o.proto));
                }
            }
        }
        ArrayNode completed = root.putArray("completed_frameworks");
        master.removedFrameworks.forEach(id -> completed.addObject().put("id", id));
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode proto(Message m) {
        try {
            return MAPPER.readTree(WireCodec.toJson(m));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
