package io.jenkins.plugins.mesosagents.engine;

import java.util.Objects;

/**
 * The Jenkins node name of a planned agent and the inbound secret Jenkins computed for that name.
 */
public record AgentIdentity(String name, SecretValue secret) {
    public AgentIdentity {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(secret, "secret");
    }
}
