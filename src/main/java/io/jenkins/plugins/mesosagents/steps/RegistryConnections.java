package io.jenkins.plugins.mesosagents.steps;

import hudson.ProxyConfiguration;

import io.jenkins.plugins.mesosagents.image.registry.RegistryConnection;

import jenkins.model.Jenkins;

import java.net.Proxy;

/**
 * How the controller reaches a registry for the API steps: through Jenkins' proxy (Manage Jenkins →
 * System → HTTP Proxy, honouring its "no proxy" hosts) with its login, trusting the step's extra CA
 * certificates, and insecure when the step says so or the registry is listed in the global {@value
 * #INSECURE_REGISTRIES} system property (comma-separated {@code host[:port]}).
 */
final class RegistryConnections {
    static final String INSECURE_REGISTRIES = "io.jenkins.plugins.mesosagents.insecureRegistries";

    private RegistryConnections() {}

    /** Whether the step or the global setting marks {@code host} (host[:port]) insecure. */
    static boolean insecure(String host, boolean step) {
        if (step) {
            return true;
        }
        String listed = System.getProperty(INSECURE_REGISTRIES, "");
        for (String entry : listed.split(",")) {
            if (!entry.isBlank() && entry.trim().equalsIgnoreCase(host)) {
                return true;
            }
        }
        return false;
    }

    static RegistryConnection forHost(String host, boolean insecure, String caCertificates) {
        RegistryConnection connection =
                RegistryConnection.DIRECT
                        .withInsecure(insecure(host, insecure))
                        .withCaCertificates(
                                caCertificates == null || caCertificates.isBlank()
                                        ? null
                                        : caCertificates);
        ProxyConfiguration proxy = Jenkins.get().getProxy();
        if (proxy == null) {
            return connection;
        }
        String hostOnly = host.replaceFirst(":[0-9]+$", "");
        Proxy chosen = proxy.createProxy(hostOnly);
        String password =
                proxy.getSecretPassword() == null ? null : proxy.getSecretPassword().getPlainText();
        return connection.withProxy(chosen, proxy.getUserName(), password);
    }
}
