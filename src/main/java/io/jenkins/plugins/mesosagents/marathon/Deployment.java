package io.jenkins.plugins.mesosagents.marathon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/** One entry of {@code GET /v2/deployments}; the full JSON is kept so that no field is lost. */
public record Deployment(ObjectNode json) {

    public String id() {
        return json.path("id").asText();
    }

    public String version() {
        return json.path("version").asText();
    }

    public List<String> affectedApps() {
        List<String> apps = new ArrayList<>();
        for (JsonNode app : json.path("affectedApps")) {
            apps.add(app.asText());
        }
        return apps;
    }

    /** "StartApplication /foo, ScaleApplication /bar" for messages. */
    public String currentActions() {
        List<String> actions = new ArrayList<>();
        for (JsonNode action : json.path("currentActions")) {
            actions.add(
                    action.path("action").asText()
                            + " "
                            + action.path("app").asText(action.path("pod").asText()));
        }
        return String.join(", ", actions);
    }
}
