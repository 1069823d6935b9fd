package io.jenkins.plugins.mesosagents.steps;

import io.jenkins.plugins.mesosagents.image.registry.RegistryCredentials;

import java.io.Serializable;

/**
 * A registry login resolved on the controller from a Jenkins credential, small enough to travel to
 * the agent over the remoting channel (where the image is built and pushed). Never printed: {@code
 * toString()} hides the secret.
 */
record RegistryLogin(String registry, String username, String secret, boolean bearer)
        implements Serializable {
    RegistryCredentials credentials() {
        return bearer
                ? RegistryCredentials.bearer(secret)
                : RegistryCredentials.basic(username, secret);
    }

    @Override
    public String toString() {
        return "RegistryLogin["
                + registry
                + (bearer ? ", bearer token" : ", user " + username)
                + ", secret=****]";
    }
}
