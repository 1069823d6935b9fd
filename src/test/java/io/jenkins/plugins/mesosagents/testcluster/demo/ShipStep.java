package io.jenkins.plugins.mesosagents.testcluster.demo;

/**
 * One step of the ship stage: how long it took in milliseconds, the image digest and Marathon
 * deployment id it produced (empty when none), a sentence on what happened, and whether that was
 * the expected outcome.
 */
record ShipStep(
        String name, long millis, String digest, String deploymentId, String detail, boolean ok) {}
