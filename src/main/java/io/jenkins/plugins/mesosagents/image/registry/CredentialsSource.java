package io.jenkins.plugins.mesosagents.image.registry;

import java.io.IOException;

/**
 * Where a {@link RegistryClient} gets its credentials each time it needs to authenticate, so that
 * expiring credentials (ECR) can be refreshed. Returns null for anonymous access.
 */
@FunctionalInterface
public interface CredentialsSource {
    RegistryCredentials credentials() throws IOException;

    static CredentialsSource anonymous() {
        return () -> null;
    }

    static CredentialsSource of(RegistryCredentials credentials) {
        return () -> credentials;
    }
}
