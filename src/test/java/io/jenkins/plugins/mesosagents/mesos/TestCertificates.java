package io.jenkins.plugins.mesosagents.mesos;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed certificate for 127.0.0.1 made with the JDK's own keytool (no extra test
 * dependency): the server's SSLContext and the PEM a client must trust.
 */
record TestCertificates(SSLContext serverContext, String caPem) {
    private static final char[] PASSWORD = "changeit".toCharArray();

    static TestCertificates create(Path dir) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        if (!Files.isExecutable(keytool)) {
            throw new AssertionError(
                    "keytool not found at "
                            + keytool
                            + "; install the Debian package openjdk-17-jdk-headless");
        }
        Path keystore = dir.resolve("master.p12");
        run(
                List.of(
                        keytool.toString(),
                        "-genkeypair",
                        "-alias",
                        "master",
                        "-keyalg",
                        "RSA",
                        "-keysize",
                        "2048",
                        "-dname",
                        "CN=127.0.0.1",
                        "-ext",
                        "SAN=ip:127.0.0.1",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        keystore.toString(),
                        "-storepass",
                        "changeit",
                        "-keypass",
                        "changeit"));
        String pem =
                run(
                        List.of(
                                keytool.toString(),
                                "-exportcert",
                                "-rfc",
                                "-alias",
                                "master",
                                "-keystore",
                                keystore.toString(),
                                "-storepass",
                                "changeit"));
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD);
        }
        KeyManagerFactory keys =
                KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return new TestCertificates(context, pem);
    }

    private static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("keytool did not finish: " + command);
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("keytool failed (" + process.exitValue() + "): " + output);
        }
        return output;
    }
}
