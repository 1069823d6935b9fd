package io.jenkins.plugins.mesosagents.testcluster.registry;

import okhttp3.OkHttpClient;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Debian {@code docker-registry} (distribution 2.8) on 127.0.0.1 and a free port, with its
 * own temporary storage, for tests and the test cluster. Either htpasswd (Basic) auth or token auth
 * through a {@link TokenIssuer}; TLS with a generated CA unless plain HTTP is asked for. Close it
 * to stop the process and delete its files.
 */
public final class LocalRegistry implements AutoCloseable {
    private final Path dir;
    private final Process process;
    private final int port;
    private final TestCertificates certificates;
    private final TokenIssuer tokenIssuer;

    private LocalRegistry(
            Path dir,
            Process process,
            int port,
            TestCertificates certificates,
            TokenIssuer issuer) {
        this.dir = dir;
        this.process = process;
        this.port = port;
        this.certificates = certificates;
        this.tokenIssuer = issuer;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Configures and starts a registry. */
    public static final class Builder {
        private final Map<String, String> htpasswdUsers = new LinkedHashMap<>();
        private boolean tls = true;
        private TokenIssuer tokenIssuer;

        /** Adds a Basic (htpasswd, bcrypt) user; every authenticated user may pull and push. */
        public Builder user(String name, String password) {
            htpasswdUsers.put(name, password);
            return this;
        }

        /** Uses token auth with this issuer instead of htpasswd. */
        public Builder tokenAuth(TokenIssuer issuer) {
            this.tokenIssuer = issuer;
            return this;
        }

        public Builder tls(boolean enabled) {
            this.tls = enabled;
            return this;
        }

        public LocalRegistry start() throws IOException, InterruptedException {
            Path binary = RequiredTool.require("docker-registry", "docker-registry");
            Path dir = Files.createTempDirectory("local-registry-");
            TestCertificates certificates =
                    tls ? TestCertificates.create(dir.resolve("tls")) : null;
            StringBuilder auth = new StringBuilder();
            if (tokenIssuer != null) {
                auth.append("auth:\n  token:\n    realm: ")
                        .append(tokenIssuer.realm())
                        .append("\n    service: ")
                        .append(TokenIssuer.SERVICE)
                        .append("\n    issuer: ")
                        .append(TokenIssuer.ISSUER)
                        .append("\n    rootcertbundle: ")
                        .append(tokenIssuer.rootCertificateBundle())
                        .append('\n');
            } else if (!htpasswdUsers.isEmpty()) {
                RequiredTool.require("htpasswd", "apache2-utils");
                Path htpasswd = dir.resolve("htpasswd");
                Files.writeString(htpasswd, "");
                for (Map.Entry<String, String> user : htpasswdUsers.entrySet()) {
                    run(
                            dir,
                            "htpasswd",
                            "-bB",
                            htpasswd.toString(),
                            user.getKey(),
                            user.getValue());
                }
                auth.append("auth:\n  htpasswd:\n    realm: mesos-agents-test\n    path: ")
                        .append(htpasswd)
                        .append('\n');
            }
            IOException last = null;
            for (int attempt = 0; attempt < 3; attempt++) {
                int port = freePort();
                String config =
                        "version: 0.1\nlog:\n  level: warn\n  accesslog:\n    disabled: true\n"
                                + "storage:\n  filesystem:\n    rootdirectory: "
                                + dir.resolve("data")
                                + "\n  delete:\n    enabled: true\n"
                                + "http:\n  addr: 127.0.0.1:"
                                + port
                                + "\n  secret: test-secret-"
                                + port
                                + "\n"
                                + (certificates == null
                                        ? ""
                                        : "  tls:\n    certificate: "
                                                + certificates.serverCertificate()
                                                + "\n    key: "
                                                + certificates.serverKey()
                                                + "\n")
                                + auth;
                Path configFile = dir.resolve("config.yml");
                Files.writeString(configFile, config);
                Path log = dir.resolve("registry-" + attempt + ".log");
                Process process =
                        new ProcessBuilder(binary.toString(), "serve", configFile.toString())
                                .redirectErrorStream(true)
                                .redirectOutput(log.toFile())
                                .start();
                if (awaitListening(process, port)) {
                    return new LocalRegistry(dir, process, port, certificates, tokenIssuer);
                }
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                last =
                        new IOException(
                                "docker-registry did not start on port "
                                        + port
                                        + ": "
                                        + Files.readString(log));
            }
            deleteRecursively(dir);
            throw last;
        }
    }

    private static boolean awaitListening(Process process, int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline && process.isAlive()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket =
                new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process process =
                new ProcessBuilder(command)
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }

    /** {@code 127.0.0.1:<port>}: the registry part of image references. */
    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    public boolean tls() {
        return certificates != null;
    }

    public String baseUrl() {
        return (tls() ? "https://" : "http://") + hostPort();
    }

    public TokenIssuer tokenIssuer() {
        return tokenIssuer;
    }

    /** The generated CA's certificate, or null for plain HTTP. */
    public Path caCertificate() {
        return certificates == null ? null : certificates.caCertificate();
    }

    /**
     * A directory in the layout buildah and skopeo expect for {@code --cert-dir} (a {@code ca.crt}
     * in it).
     */
    public Path certDir() throws IOException {
        Path certDir = dir.resolve("cert-dir");
        if (!Files.exists(certDir)) {
            Files.createDirectories(certDir);
            if (certificates != null) {
                Files.copy(certificates.caCertificate(), certDir.resolve("ca.crt"));
            }
        }
        return certDir;
    }

    /** An OkHttp client that trusts this registry's CA. */
    public OkHttpClient.Builder httpClient() {
        OkHttpClient.Builder builder = new OkHttpClient.Builder();
        return certificates == null ? builder : certificates.trustingClient(builder);
    }

    public Path storageDirectory() {
        return dir.resolve("data");
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        deleteRecursively(dir);
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /**
     * Starts a registry for people and demos: htpasswd user {@code demo} / {@code demo-password}
     * (or the values of {@code -Duser}, {@code -Dpassword}), TLS unless {@code --plain-http}, and
     * prints {@code REGISTRY=127.0.0.1:PORT}, the credentials and the CA file. Runs until its
     * standard input closes or it is terminated.
     */
    public static void main(String[] args) throws Exception {
        boolean plain = java.util.Arrays.asList(args).contains("--plain-http");
        String user = System.getProperty("user", "demo");
        String password = System.getProperty("password", "demo-password");
        LocalRegistry registry = builder().user(user, password).tls(!plain).start();
        Thread stopper =
                new Thread(
                        () -> {
                            try {
                                registry.close();
                            } catch (Exception ignored) {
                                // exiting anyway
                            }
                        });
        Runtime.getRuntime().addShutdownHook(stopper);
        System.out.println("REGISTRY=" + registry.hostPort());
        System.out.println("REGISTRY_USER=" + user);
        System.out.println("REGISTRY_PASSWORD=" + password);
        if (!plain) {
            System.out.println("REGISTRY_CA=" + registry.caCertificate());
            System.out.println("REGISTRY_CERT_DIR=" + registry.certDir());
        }
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for EOF
        }
    }
}
