package io.jenkins.plugins.mesosagents.steps;

import hudson.ProxyConfiguration;

import io.jenkins.plugins.mesosagents.image.registry.RegistryConnection;

import jenkins.model.Jenkins;

import java.net.Proxy;

/**
 * How the controller reaches a registry for the API steps: through Jenkins' proxy (Manage Jenkins →
 * System → HTTP Proxy, honouring its "no proxy" hosts) with its login, trusting the step's extra
 * CA certificates, and insecure only when the step says so.
 */
final class RegistryConnections {
    private RegistryConnections() {}

    static RegistryConnection forHost(String host, boolean insecure, String caCertificates) {
        RegistryConnection connection =
                RegistryConnection.DIRECT
                        .withInsecure(insecure)
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
