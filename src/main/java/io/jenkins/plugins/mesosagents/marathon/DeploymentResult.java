package io.jenkins.plugins.mesosagents.marathon;

/**
 * What a deployable call started: the deployment id, the version Marathon gave the change, and
 * whether the call created the app (HTTP 201) rather than changing an existing one.
 */
public record DeploymentResult(String deploymentId, String version, boolean created) {}
