package io.jenkins.plugins.mesosagents.engine;

import java.util.concurrent.CompletableFuture;

/**
 * An admitted agent waiting for an offer. Loop-confined. It is matched against offers only once
 * {@link #nodeReady}: a Jenkins cloud admits agents before Jenkins has added their nodes, and an
 * inbound agent connecting to a node that does not exist yet is refused.
 */
final class PendingAgent {
    final String name;
    final AgentTemplate template;
    final SecretValue secret;
    final long requestedAtMillis;
    final long deadlineMillis;
    final CompletableFuture<LaunchedAgent> running = new CompletableFuture<>();
    boolean nodeReady;

    PendingAgent(
            String name,
            AgentTemplate template,
            SecretValue secret,
            long requestedAtMillis,
            boolean nodeReady) {
        this.name = name;
        this.template = template;
        this.secret = secret;
        this.requestedAtMillis = requestedAtMillis;
        this.deadlineMillis = requestedAtMillis + template.launchTimeout().toMillis();
        this.nodeReady = nodeReady;
    }

    @Override
    public String toString() {
        return "pending agent " + name + " (" + template.name() + ")";
    }
}
