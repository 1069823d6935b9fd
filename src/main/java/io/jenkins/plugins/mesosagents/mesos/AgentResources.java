package io.jenkins.plugins.mesosagents.mesos;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scalar resources one Mesos agent has in total, as the master's {@code /master/state} lists
 * them per agent: {@code unreserved_resources} and {@code reserved_resources} by role (apache/mesos
 * 1.11.0 src/master/readonly_handler.cpp:289-306; reservations of roles the reader may not view are
 * left out there). What an agent can ever give a role is its unreserved resources plus what is
 * reserved for that role.
 */
public record AgentResources(
        String hostname,
        Map<String, Double> unreserved,
        Map<String, Map<String, Double>> reservedByRole) {
    public AgentResources {
        unreserved = Map.copyOf(unreserved);
        Map<String, Map<String, Double>> copy = new HashMap<>();
        reservedByRole.forEach((role, amounts) -> copy.put(role, Map.copyOf(amounts)));
        reservedByRole = Map.copyOf(copy);
    }

    /** Scalar name (cpus, mem, disk, gpus, ...) to the amount the role could ever be offered. */
    public Map<String, Double> forRole(String role) {
        Map<String, Double> total = new LinkedHashMap<>(unreserved);
        reservedByRole
                .getOrDefault(role, Map.of())
                .forEach((k, v) -> total.merge(k, v, Double::sum));
        return total;
    }

    /** The agents of a {@code /master/state} document; agents without the fields have none. */
    static List<AgentResources> fromState(JsonNode state) {
        List<AgentResources> agents = new ArrayList<>();
        for (JsonNode slave : state.path("slaves")) {
            Map<String, Map<String, Double>> reserved = new HashMap<>();
            slave.path("reserved_resources")
                    .fields()
                    .forEachRemaining(e -> reserved.put(e.getKey(), scalars(e.getValue())));
            agents.add(
                    new AgentResources(
                            slave.path("hostname").asText(""),
                            scalars(slave.path("unreserved_resources")),
                            reserved));
        }
        return agents;
    }

    private static Map<String, Double> scalars(JsonNode resources) {
        Map<String, Double> amounts = new LinkedHashMap<>();
        resources
                .fields()
                .forEachRemaining(
                        e -> {
                            if (e.getValue().isNumber()) {
                                amounts.put(e.getKey(), e.getValue().asDouble());
                            }
                        });
        return amounts;
    }
}
