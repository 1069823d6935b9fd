package io.jenkins.plugins.mesosagents.testcluster.mesos;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One simulated agent: its hostname, unreserved resources, statically reserved resources per role,
 * attributes (written as on the agent's {@code --attributes} flag: numbers are scalars, {@code
 * [a-b]} ranges, {@code {x,y}} sets, anything else text), fault domain and the Unix users that
 * exist on it.
 */
public record AgentConfig(
        String hostname,
        double cpus,
        double mem,
        double disk,
        double gpus,
        String ports,
        Map<String, String> attributes,
        String region,
        String zone,
        Map<String, Reservation> reserved,
        List<String> users) {

    /**
     * Resources statically reserved for one role (agent flag {@code
     * --resources="cpus(role):2;..."}).
     */
    public record Reservation(double cpus, double mem, double disk, double gpus, String ports) {}

    public AgentConfig {
        attributes = Map.copyOf(attributes == null ? Map.of() : attributes);
        reserved = Map.copyOf(reserved == null ? Map.of() : reserved);
        users = List.copyOf(users == null ? List.of() : users);
        ports = ports == null ? "" : ports;
        ResourceBag.parsePorts(ports);
        reserved.values().forEach(r -> ResourceBag.parsePorts(r.ports()));
    }

    /** An agent that accepts tasks of any user. */
    public AgentConfig(
            String hostname,
            double cpus,
            double mem,
            double disk,
            double gpus,
            String ports,
            Map<String, String> attributes,
            String region,
            String zone,
            Map<String, Reservation> reserved) {
        this(hostname, cpus, mem, disk, gpus, ports, attributes, region, zone, reserved, List.of());
    }

    /**
     * An agent with the given size and the usual 31000-32000 port range, no attributes, no domain.
     */
    public static AgentConfig of(String hostname, double cpus, double mem) {
        return new AgentConfig(
                hostname, cpus, mem, 10_000, 0, "31000-32000", Map.of(), null, null, Map.of());
    }

    public AgentConfig withAttributes(Map<String, String> attrs) {
        return new AgentConfig(
                hostname, cpus, mem, disk, gpus, ports, attrs, region, zone, reserved, users);
    }

    public AgentConfig withDomain(String newRegion, String newZone) {
        return new AgentConfig(
                hostname,
                cpus,
                mem,
                disk,
                gpus,
                ports,
                attributes,
                newRegion,
                newZone,
                reserved,
                users);
    }

    public AgentConfig withGpus(double newGpus) {
        return new AgentConfig(
                hostname,
                cpus,
                mem,
                disk,
                newGpus,
                ports,
                attributes,
                region,
                zone,
                reserved,
                users);
    }

    public AgentConfig withReservation(String role, Reservation reservation) {
        Map<String, Reservation> r = new LinkedHashMap<>(reserved);
        r.put(role, reservation);
        return new AgentConfig(
                hostname, cpus, mem, disk, gpus, ports, attributes, region, zone, r, users);
    }

    /**
     * The Unix users that exist on this agent (cluster.json {@code "users"}); a task of any other
     * user is dropped as a real agent does when it cannot chown the sandbox. Empty: every user
     * exists.
     */
    public AgentConfig withUsers(List<String> newUsers) {
        return new AgentConfig(
                hostname,
                cpus,
                mem,
                disk,
                gpus,
                ports,
                attributes,
                region,
                zone,
                reserved,
                newUsers);
    }

    static AgentConfig fromJson(JsonNode n, String where) {
        SimConfigJson.requireOnly(
                n,
                where,
                Set.of(
                        "hostname",
                        "cpus",
                        "mem",
                        "disk",
                        "gpus",
                        "ports",
                        "attributes",
                        "region",
                        "zone",
                        "reserved",
                        "users"));
        if (!n.hasNonNull("hostname")) {
            throw new IllegalArgumentException(
                    where + ": \"hostname\" is required (e.g. \"agent1.local\")");
        }
        Map<String, String> attrs = new LinkedHashMap<>();
        if (n.has("attributes")) {
            Iterator<Map.Entry<String, JsonNode>> it = n.get("attributes").fields();
            it.forEachRemaining(e -> attrs.put(e.getKey(), e.getValue().asText()));
        }
        Map<String, Reservation> reserved = new LinkedHashMap<>();
        if (n.has("reserved")) {
            Iterator<Map.Entry<String, JsonNode>> it = n.get("reserved").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String w = where + ".reserved." + e.getKey();
                JsonNode r = e.getValue();
                SimConfigJson.requireOnly(r, w, Set.of("cpus", "mem", "disk", "gpus", "ports"));
                reserved.put(
                        e.getKey(),
                        new Reservation(
                                r.path("cpus").asDouble(0),
                                r.path("mem").asDouble(0),
                                r.path("disk").asDouble(0),
                                r.path("gpus").asDouble(0),
                                r.path("ports").asText("")));
            }
        }
        List<String> users = new ArrayList<>();
        n.path("users").forEach(u -> users.add(u.asText()));
        try {
            return new AgentConfig(
                    n.get("hostname").asText(),
                    n.path("cpus").asDouble(4),
                    n.path("mem").asDouble(8192),
                    n.path("disk").asDouble(20_000),
                    n.path("gpus").asDouble(0),
                    n.path("ports").asText("31000-32000"),
                    attrs,
                    n.hasNonNull("region") ? n.get("region").asText() : null,
                    n.hasNonNull("zone") ? n.get("zone").asText() : null,
                    reserved,
                    users);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }
}
