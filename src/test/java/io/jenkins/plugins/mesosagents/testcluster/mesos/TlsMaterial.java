package io.jenkins.plugins.mesosagents.testcluster.mesos;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A private CA and a server certificate for 127.0.0.1/localhost, made with the JDK's keytool in the
 * cluster's work dir (reused when present), so clients can be tested with a custom CA bundle
 * ({@code ca.pem}).
 */
record TlsMaterial(Path caPem, SSLContext serverContext) {
    private static final String PASS = "test-cluster";

    static TlsMaterial createIn(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path ca = dir.resolve("ca.p12");
        Path server = dir.resolve("server.p12");
        Path caPem = dir.resolve("ca.pem");
        if (!Files.exists(server) || !Files.exists(caPem)) {
            Files.deleteIfExists(ca);
            Files.deleteIfExists(server);
            keytool(
                    dir,
                    "-genkeypair",
                    "-keyalg",
                    "RSA",
                    "-keysize",
                    "2048",
                    "-alias",
                    "ca",
                    "-dname",
                    "CN=test-cluster CA",
                    "-ext",
                    "bc:c",
                    "-validity",
                    "3650",
                    "-keystore",
                    "ca.p12");
            keytool(
                    dir,
                    "-exportcert",
                    "-rfc",
                    "-alias",
                    "ca",
                    "-keystore",
                    "ca.p12",
                    "-file",
                    "ca.pem");
            keytool(
                    dir,
                    "-genkeypair",
                    "-keyalg",
                    "RSA",
                    "-keysize",
                    "2048",
                    "-alias",
                    "server",
                    "-dname",
                    "CN=127.0.0.1",
                    "-validity",
                    "3650",
                    "-keystore",
                    "server.p12");
            keytool(
                    dir,
                    "-certreq",
                    "-alias",
                    "server",
                    "-keystore",
                    "server.p12",
                    "-file",
                    "server.csr");
            keytool(
                    dir,
                    "-gencert",
                    "-rfc",
                    "-alias",
                    "ca",
                    "-keystore",
                    "ca.p12",
                    "-infile",
                    "server.csr",
                    "-outfile",
                    "server.pem",
                    "-ext",
                    "SAN=ip:127.0.0.1,dns:localhost",
                    "-ext",
                    "eku=serverAuth",
                    "-validity",
                    "3650");
            keytool(
                    dir,
                    "-importcert",
                    "-noprompt",
                    "-alias",
                    "ca",
                    "-file",
                    "ca.pem",
                    "-keystore",
                    "server.p12");
            keytool(
                    dir,
                    "-importcert",
                    "-alias",
                    "server",
                    "-file",
                    "server.pem",
                    "-keystore",
                    "server.p12");
        }
        try (InputStream in = Files.newInputStream(server)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASS.toCharArray());
            KeyManagerFactory kmf =
                    KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, PASS.toCharArray());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return new TlsMaterial(caPem, ctx);
        } catch (GeneralSecurityException e) {
            throw new IOException(
                    "cannot load the generated server key store " + server + ": " + e.getMessage(),
                    e);
        }
    }

    private static void keytool(Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC", "-J-Xshare:auto"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-storepass", PASS, "-storetype", "PKCS12"));
        Process p =
                new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("keytool " + args[0] + " failed: " + out.trim());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running keytool", e);
        }
    }
}
