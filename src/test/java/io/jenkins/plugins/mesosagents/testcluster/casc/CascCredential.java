package io.jenkins.plugins.mesosagents.testcluster.casc;

import io.jenkins.plugins.mesosagents.engine.SecretValue;

/**
 * One credential of the JCasC {@code credentials:} section, as the credentials plugin's JCasC
 * symbols name them: {@code usernamePassword} (UsernamePasswordCredentialsImpl) and {@code string}
 * (StringCredentialsImpl). Secrets are {@link SecretValue}s, so they never print.
 */
public sealed interface CascCredential {
    String id();

    /** {@code usernamePassword: {id, username, password}}. */
    record UsernamePassword(String id, String username, SecretValue password)
            implements CascCredential {}

    /** {@code string: {id, secret}} ("Secret text"). */
    record SecretText(String id, SecretValue secret) implements CascCredential {}
}
