package io.jenkins.plugins.mesosagents.testcluster.marathon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.util.Map;

/** One HTTP answer of the simulator: status, JSON body (null: none) and extra headers. */
record SimResponse(int status, JsonNode body, Map<String, String> headers) {

    static SimResponse json(int status, JsonNode body) {
        return new SimResponse(status, body, Map.of());
    }

    static SimResponse message(int status, String message) {
        return json(status, JsonNodeFactory.instance.objectNode().put("message", message));
    }
}
