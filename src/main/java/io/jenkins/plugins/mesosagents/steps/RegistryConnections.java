package io.jenkins.plugins.mesosagents.steps;

import hudson.ProxyConfiguration;

import io.jenkins.plugins.mesosagents.image.auth.EcrCredentialsSource;
import io.jenkins.plugins.mesosagents.image.registry.RegistryConnection;

import jenkins.model.Jenkins;

import okhttp3.Authenticator;
import okhttp3.OkHttpClient;

import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;

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

    /**
     * How the controller calls the AWS APIs an ECR login needs (ECR, STS): through Jenkins' proxy
     * with its login, the proxy chosen per host so that its "no proxy" hosts (e.g. VPC endpoints)
     * are reached directly.
     */
    static OkHttpClient awsApi() {
        ProxyConfiguration proxy = Jenkins.get().getProxy();
        if (proxy == null) {
            return EcrCredentialsSource.DIRECT_HTTP;
        }
        OkHttpClient.Builder builder =
                EcrCredentialsSource.DIRECT_HTTP
                        .newBuilder()
                        .proxySelector(
                                new ProxySelector() {
                                    @Override
                                    public List<Proxy> select(URI uri) {
                                        return List.of(proxy.createProxy(uri.getHost()));
                                    }

                                    @Override
                                    public void connectFailed(
                                            URI uri, SocketAddress address, IOException e) {
                                        // one proxy per host: nothing else to try
                                    }
                                });
        Authenticator login = RegistryConnection.proxyLogin(proxy.getUserName(), password(proxy));
        if (login != null) {
            builder.proxyAuthenticator(login);
        }
        return builder.build();
    }

    private static String password(ProxyConfiguration proxy) {
        return proxy.getSecretPassword() == null ? null : proxy.getSecretPassword().getPlainText();
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
        return connection.withProxy(chosen, proxy.getUserName(), password(proxy));
    }
}
