package io.jenkins.plugins.mesosagents.engine;

/**
 * Names a new agent of a template and supplies its secret (Jenkins: a unique node name and {@code
 * JnlpAgentReceiver.SLAVE_SECRET.mac(name)}). Called on the engine's loop, once per admitted agent.
 */
@FunctionalInterface
public interface AgentNamer {
    AgentIdentity next(AgentTemplate template);
}
