package io.jenkins.plugins.mesosagents.engine;

import java.util.concurrent.CompletableFuture;

/** An admitted agent waiting for an offer. Loop-confined. */
final class PendingAgent {
    final String name;
    final AgentTemplate template;
    final SecretValue secret;
    final long requestedAtMillis;
    final long deadlineMillis;
    final CompletableFuture<LaunchedAgent> running = new CompletableFuture<>();

    PendingAgent(String name, AgentTemplate template, SecretValue secret, long requestedAtMillis) {
        this.name = name;
        this.template = template;
        this.secret = secret;
        this.requestedAtMillis = requestedAtMillis;
        this.deadlineMillis = requestedAtMillis + template.launchTimeout().toMillis();
    }

    @Override
    public String toString() {
        return "pending agent " + name + " (" + template.name() + ")";
    }
}
