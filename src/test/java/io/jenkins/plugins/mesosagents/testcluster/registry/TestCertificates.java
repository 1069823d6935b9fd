package io.jenkins.plugins.mesosagents.testcluster.registry;

import okhttp3.OkHttpClient;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * A throw-away certificate authority and a server certificate for 127.0.0.1/localhost, made with
 * openssl in a directory of the test's choosing, plus helpers to trust the CA from OkHttp.
 */
public final class TestCertificates {
    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    /** Creates ca.crt/ca.key and server.crt/server.key in {@code dir}. */
    public static TestCertificates create(Path dir) throws IOException, InterruptedException {
        RequiredTool.require("openssl", "openssl");
        Files.createDirectories(dir);
        openssl(
                dir,
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "ca.key",
                "-out",
                "ca.crt",
                "-days",
                "2",
                "-subj",
                "/CN=mesos-agents test CA");
        openssl(
                dir,
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "server.key",
                "-out",
                "server.csr",
                "-subj",
                "/CN=127.0.0.1");
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        openssl(
                dir,
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca.crt",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                "server.crt",
                "-days",
                "2",
                "-extfile",
                "server.ext");
        return new TestCertificates(dir);
    }

    /**
     * A self-signed RSA key pair for signing tokens: {@code name}.key (PKCS#8) and {@code
     * name}.crt.
     */
    public static void selfSigned(Path dir, String name) throws IOException, InterruptedException {
        RequiredTool.require("openssl", "openssl");
        openssl(
                dir,
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                name + ".key",
                "-out",
                name + ".crt",
                "-days",
                "2",
                "-subj",
                "/CN=" + name);
    }

    static void openssl(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process =
                new ProcessBuilder(command)
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("openssl " + String.join(" ", args) + " failed: " + output);
        }
    }

    public Path caCertificate() {
        return dir.resolve("ca.crt");
    }

    public Path serverCertificate() {
        return dir.resolve("server.crt");
    }

    public Path serverKey() {
        return dir.resolve("server.key");
    }

    public X509TrustManager trustManager() {
        return trustManager(caCertificate());
    }

    public static X509TrustManager trustManager(Path caPem) {
        try (InputStream in = Files.newInputStream(caPem)) {
            X509Certificate ca =
                    (X509Certificate)
                            CertificateFactory.getInstance("X.509").generateCertificate(in);
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("ca", ca);
            TrustManagerFactory factory =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return (X509TrustManager) factory.getTrustManagers()[0];
        } catch (Exception e) {
            throw new IllegalStateException("cannot load " + caPem, e);
        }
    }

    /** An OkHttp client that trusts this CA (and only it). */
    public OkHttpClient.Builder trustingClient(OkHttpClient.Builder builder) {
        X509TrustManager trust = trustManager();
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {trust}, null);
            return builder.sslSocketFactory(context.getSocketFactory(), trust);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static PrivateKey readPkcs8(Path pem) throws IOException {
        String body =
                Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
        } catch (Exception e) {
            throw new IOException("cannot read PKCS#8 RSA key " + pem, e);
        }
    }

    public static byte[] readCertificateDer(Path pem) throws IOException {
        try (InputStream in = Files.newInputStream(pem)) {
            return CertificateFactory.getInstance("X.509").generateCertificate(in).getEncoded();
        } catch (Exception e) {
            throw new IOException("cannot read certificate " + pem, e);
        }
    }
}
