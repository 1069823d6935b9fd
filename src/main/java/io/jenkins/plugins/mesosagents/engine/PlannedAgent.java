package io.jenkins.plugins.mesosagents.engine;

import java.util.concurrent.CompletableFuture;

/**
 * An admitted request for one agent. {@code running} completes when its task is RUNNING, or
 * exceptionally with a {@link LaunchFailedException} saying why — it never stays pending past the
 * template's launch timeout.
 */
public record PlannedAgent(
        String name, String templateName, CompletableFuture<LaunchedAgent> running) {}
