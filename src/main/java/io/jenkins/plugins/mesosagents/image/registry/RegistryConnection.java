package io.jenkins.plugins.mesosagents.image.registry;

import okhttp3.Authenticator;
import okhttp3.Credentials;
import okhttp3.OkHttpClient;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Proxy;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * How to reach a registry: through an HTTP proxy (with optional Basic proxy login), trusting extra
 * CA certificates (PEM) besides the JVM's, and whether it is insecure. Insecure means what it means
 * to buildah, skopeo and podman ({@code --tls-verify=false}, containers/image
 * docker/docker_client.go L941-944): TLS without verifying the certificate, and plain HTTP when the
 * registry does not speak TLS. {@link #toString()} hides the proxy password.
 */
public record RegistryConnection(
        Proxy proxy,
        String proxyUser,
        String proxyPassword,
        String caCertificates,
        boolean insecure) {
    public static final RegistryConnection DIRECT =
            new RegistryConnection(Proxy.NO_PROXY, null, null, null, false);

    public RegistryConnection {
        proxy = proxy == null ? Proxy.NO_PROXY : proxy;
    }

    public RegistryConnection withInsecure(boolean value) {
        return new RegistryConnection(proxy, proxyUser, proxyPassword, caCertificates, value);
    }

    public RegistryConnection withCaCertificates(String pem) {
        return new RegistryConnection(proxy, proxyUser, proxyPassword, pem, insecure);
    }

    public RegistryConnection withProxy(Proxy value, String user, String password) {
        return new RegistryConnection(value, user, password, caCertificates, insecure);
    }

    /** {@code base} configured for this connection (shares its pool and dispatcher). */
    public OkHttpClient httpClient(OkHttpClient base) {
        OkHttpClient.Builder builder = base.newBuilder().proxy(proxy);
        Authenticator login = proxyLogin(proxyUser, proxyPassword);
        if (login != null) {
            builder.proxyAuthenticator(login);
        }
        try {
            if (insecure) {
                X509TrustManager trustAll = new TrustAll();
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {trustAll}, new SecureRandom());
                builder.sslSocketFactory(context.getSocketFactory(), trustAll)
                        .hostnameVerifier((host, session) -> true);
            } else if (caCertificates != null && !caCertificates.isBlank()) {
                X509TrustManager trust = trustManager(caCertificates);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {trust}, new SecureRandom());
                builder.sslSocketFactory(context.getSocketFactory(), trust);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available in this JVM: " + e, e);
        }
        return builder.build();
    }

    /**
     * Answers a proxy's 407 with a Basic login, once (a refused login is not sent again); null
     * without a user or password.
     */
    public static Authenticator proxyLogin(String user, String password) {
        if (user == null || user.isBlank() || password == null) {
            return null;
        }
        String header = Credentials.basic(user, password, StandardCharsets.UTF_8);
        return (route, response) ->
                response.request().header("Proxy-Authorization") != null
                        ? null
                        : response.request()
                                .newBuilder()
                                .header("Proxy-Authorization", header)
                                .build();
    }

    /** The JVM's trusted CAs plus the given PEM certificates. */
    static X509TrustManager trustManager(String pem) throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TrustManagerFactory system =
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        system.init((KeyStore) null);
        int n = 0;
        for (TrustManager manager : system.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                for (X509Certificate ca : x509.getAcceptedIssuers()) {
                    store.setCertificateEntry("system-" + n++, ca);
                }
            }
        }
        Collection<? extends Certificate> extra =
                CertificateFactory.getInstance("X.509")
                        .generateCertificates(
                                new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        if (extra.isEmpty()) {
            throw new IllegalArgumentException(
                    "The CA certificates for the registry contain no PEM certificate"
                            + " (-----BEGIN CERTIFICATE-----)");
        }
        for (Certificate ca : extra) {
            store.setCertificateEntry("extra-" + n++, ca);
        }
        TrustManagerFactory factory =
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("no X509TrustManager in this JVM");
    }

    @Override
    public String toString() {
        return "RegistryConnection[proxy="
                + proxy
                + (proxyUser == null ? "" : ", proxyUser=" + proxyUser + ", password hidden")
                + (caCertificates == null ? "" : ", extra CA certificates")
                + ", insecure="
                + insecure
                + "]";
    }

    /** Accepts every certificate: only for registries explicitly marked insecure. */
    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
