package io.jenkins.plugins.mesosagents.marathon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A Marathon app definition. The whole JSON object is kept as given (fields unknown to this plugin
 * are preserved); accessors read the few fields the deploy needs. Treat the node as read-only: use
 * {@link #copy()}.
 */
public record AppDefinition(ObjectNode json) {
    private static final ObjectMapper PRETTY =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The id as Marathon stores it: always absolute ({@code web} → {@code /web}). */
    public String id() {
        String id = json.path("id").asText("");
        return id.startsWith("/") ? id : "/" + id;
    }

    /** {@code instances}, default 1 like Marathon. */
    public int instances() {
        return json.path("instances").asInt(1);
    }

    public boolean hasHealthChecks() {
        return json.path("healthChecks").size() > 0;
    }

    /** {@code container.docker.image} or null. */
    public String image() {
        JsonNode image = json.path("container").path("docker").path("image");
        return image.isTextual() ? image.asText() : null;
    }

    public AppDefinition copy() {
        return new AppDefinition(json.deepCopy());
    }

    /** Pretty-printed JSON, as written to the rendered file. */
    public String toPrettyJson() {
        try {
            return PRETTY.writeValueAsString(json) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
