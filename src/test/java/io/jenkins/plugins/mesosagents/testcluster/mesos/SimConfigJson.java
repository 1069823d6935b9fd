package io.jenkins.plugins.mesosagents.testcluster.mesos;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Strictness helpers for the cluster config file: an unknown key is a typo the user must hear
 * about.
 */
final class SimConfigJson {
    private SimConfigJson() {}

    static void requireOnly(JsonNode node, String where, Set<String> allowed) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(
                    where + " must be a JSON object, got " + node.getNodeType());
        }
        List<String> unknown = new ArrayList<>();
        node.fieldNames()
                .forEachRemaining(
                        k -> {
                            if (!allowed.contains(k)) {
                                unknown.add(k);
                            }
                        });
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(
                    where
                            + ": unknown key(s) "
                            + unknown
                            + "; allowed: "
                            + allowed.stream().sorted().toList());
        }
    }
}
