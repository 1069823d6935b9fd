package io.jenkins.plugins.mesosagents.marathon;

/** What a deployable call started: the deployment id and the version Marathon gave the change. */
public record DeploymentResult(String deploymentId, String version) {}
