package io.jenkins.plugins.mesosagents.mesos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jenkins.plugins.mesosagents.dcos.Pem;

import okhttp3.Credentials;
import okhttp3.HttpUrl;

import org.apache.mesos.v1.Protos.OfferID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

class AuthAndTlsTest {
    private static final String SECRET = "wr0ng-S3CRET-value";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private final RecordingListener listener = new RecordingListener();
    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final Logger packageLogger = Logger.getLogger("io.jenkins.plugins.mesosagents");
    private Level previousLevel;
    private final Handler capture =
            new Handler() {
                private final SimpleFormatter formatter = new SimpleFormatter();

                @Override
                public void publish(LogRecord record) {
                    logLines.add(formatter.format(record));
                }

                @Override
                public void flush() {}

                @Override
                public void close() {}
            };

    @BeforeEach
    void captureLogs() {
        previousLevel = packageLogger.getLevel();
        packageLogger.setLevel(Level.ALL);
        packageLogger.addHandler(capture);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
        packageLogger.removeHandler(capture);
        packageLogger.setLevel(previousLevel);
    }

    private FakeMaster master() throws Exception {
        FakeMaster master = new FakeMaster();
        cleanup.add(master);
        return master;
    }

    private SchedulerConnection start(SchedulerConfig config) {
        SchedulerConnection connection = SchedulerConnection.start(config, listener);
        cleanup.add(connection);
        return connection;
    }

    private static SchedulerConfig.Builder config(HttpUrl master, FrameworkIdentity identity) {
        return SchedulerConfig.builder(new StaticMasterDetector(List.of(master)), identity)
                .backoff(SchedulerConnectionTest.FAST)
                .requestTimeout(Duration.ofSeconds(5));
    }

    private void assertNoLeak(String... secrets) {
        List<String> everything = new ArrayList<>(logLines);
        everything.addAll(listener.log);
        for (String secret : secrets) {
            assertThat(everything)
                    .as("log lines and listener callbacks")
                    .noneMatch(line -> line.contains(secret));
        }
    }

    @Test
    void basicAuthSucceedsWithTheRightSecretAndReports401WithoutLeakingIt() throws Exception {
        FakeMaster master = master();
        String expected = Credentials.basic("jenkins", "right-secret");
        master.authorizationCheck = expected::equals;
        FrameworkIdentity identity =
                FrameworkIdentity.builder("jenkins", "jenkins").principal("jenkins").build();

        MesosCredentials wrong = new MesosCredentials.Basic("jenkins", SECRET);
        SchedulerConfig wrongConfig = config(master.url(), identity).credentials(wrong).build();
        start(wrongConfig);
        assertThat(listener.await("error")).contains("HTTP 401").contains("authentication failed");
        assertThat(master.nextSubscribe().authorization())
                .isEqualTo(Credentials.basic("jenkins", SECRET));
        assertThat(wrong.toString()).isEqualTo("Basic[principal=jenkins, secret=****]");
        assertThat(wrongConfig.toString()).doesNotContain(SECRET).contains("secret=****");
        cleanup.remove(cleanup.size() - 1).close();
        assertNoLeak(SECRET, Credentials.basic("jenkins", SECRET).substring("Basic ".length()));

        start(
                config(master.url(), identity)
                        .credentials(new MesosCredentials.Basic("jenkins", "right-secret"))
                        .build());
        listener.await("subscribed");
        master.subscribes.clear();
    }

    @Test
    void rejectsCredentialsTheMasterCouldNeverParse() {
        assertThatThrownBy(() -> new MesosCredentials.Basic("jenkins", "pass:word"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("contains ':'")
                .hasMessageContaining("splits on ':'")
                .hasMessageNotContaining("pass:word");
        assertThatThrownBy(() -> new MesosCredentials.Basic("jen:kins", "secret"))
                .hasMessageContaining("contains ':'");
        FrameworkIdentity other =
                FrameworkIdentity.builder("jenkins", "jenkins").principal("someone-else").build();
        assertThatThrownBy(
                        () ->
                                config(HttpUrl.get("http://127.0.0.1:1"), other)
                                        .credentials(new MesosCredentials.Basic("jenkins", SECRET))
                                        .build())
                .hasMessageContaining("differs from the credentials' principal 'jenkins'")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void throughAdminRouterTheLoginDefaultsToTheClusterUrl() {
        assertThat(
                        io.jenkins.plugins.mesosagents.dcos.ServiceAccount.defaultLoginUrl(
                                okhttp3.HttpUrl.get("https://dcos.example/mesos")))
                .hasToString("https://dcos.example/acs/api/v1/auth/login");
    }

    @Test
    void withoutLoginEndpointOnlyAGatewayUrlHasALoginSoOtherMasterUrlsAreRefusedAtOnce()
            throws Exception {
        PrivateKey key = rsaKeys().getPrivate();
        MesosCredentials.DcosServiceAccount account =
                new MesosCredentials.DcosServiceAccount("jenkins-sa", key, Optional.empty());
        FrameworkIdentity identity = FrameworkIdentity.builder("jenkins", "nobody").build();
        for (String direct : List.of("http://10.0.0.1:5050", "https://master.mesos:5050/")) {
            assertThatThrownBy(
                            () ->
                                    SchedulerConfig.builder(
                                                    StaticMasterDetector.parse(direct), identity)
                                            .credentials(account)
                                            .build())
                    .as(direct)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'jenkins-sa'")
                    .hasMessageContaining("login_endpoint")
                    .hasMessageContaining("https://<cluster>/mesos")
                    .hasMessageContaining("https://<cluster>/acs/api/v1/auth/login");
        }
        // through Admin Router the cluster URL serves the login: no login_endpoint needed
        SchedulerConfig.builder(StaticMasterDetector.parse("https://dcos.example/mesos"), identity)
                .credentials(account)
                .build();
        SchedulerConfig.builder(StaticMasterDetector.parse("http://10.0.0.1:5050"), identity)
                .credentials(
                        new MesosCredentials.DcosServiceAccount(
                                "jenkins-sa",
                                key,
                                Optional.of(
                                        HttpUrl.get("https://dcos.example/acs/api/v1/auth/login"))))
                .build();
    }

    @Test
    void aLoginOnTheMastersPortSaysToSetTheAdminRouterLoginEndpoint() throws Exception {
        // a real master serves no /acs (DC/OS has the login behind Admin Router on port 80/443)
        FakeMaster master = master();
        start(
                config(master.url(), FrameworkIdentity.builder("jenkins", "nobody").build())
                        .credentials(
                                new MesosCredentials.DcosServiceAccount(
                                        "jenkins-sa",
                                        rsaKeys().getPrivate(),
                                        Optional.of(
                                                master.url().resolve("/acs/api/v1/auth/login"))))
                        .build());

        assertThat(listener.await("disconnected"))
                .contains("404")
                .contains("login_endpoint")
                .contains("/acs/api/v1/auth/login");
    }

    @Test
    void anAdminRouter403NamesThePermissionTheServiceAccountLacks() throws Exception {
        KeyPair keys = rsaKeys();
        FakeMaster master = master();
        master.createContext(
                "/acs/api/v1/auth/login",
                exchange -> {
                    FakeMaster.reply(exchange, 200, "{\"token\":\"dcos-token\"}");
                    exchange.close();
                });
        // Admin Router's own refusal page: it does not say which permission is missing
        master.onSubscribe(
                (request, stream) ->
                        stream.reject(
                                403,
                                "<html><body><h1>403 Forbidden</h1></body></html>",
                                Map.of()));
        start(
                config(master.url(), FrameworkIdentity.builder("jenkins", "nobody").build())
                        .credentials(
                                new MesosCredentials.DcosServiceAccount(
                                        "jenkins-sa",
                                        keys.getPrivate(),
                                        Optional.of(master.url().resolve("/acs/api/v1/auth/login"))))
                        .build());

        assertThat(listener.await("error"))
                .contains("403")
                .contains("jenkins-sa")
                .contains("dcos:adminrouter:ops:mesos");
        assertNoLeak("dcos-token");
    }

    @Test
    void dcosServiceAccountLogsInWithASignedTokenAndLogsInAgainAfter401() throws Exception {
        KeyPair keys = rsaKeys();
        FakeMaster master = master();
        AtomicInteger logins = new AtomicInteger();
        List<String> loginTokens = new CopyOnWriteArrayList<>();
        String[] valid = new String[1];
        master.createContext(
                "/acs/api/v1/auth/login",
                exchange -> {
                    JsonNode body = JSON.readTree(exchange.getRequestBody());
                    String jwt = body.get("token").asText();
                    loginTokens.add(jwt);
                    boolean ok =
                            "application/json"
                                            .equals(
                                                    exchange.getRequestHeaders()
                                                            .getFirst("Content-Type")
                                                            .split(";")[0])
                                    && body.get("uid").asText().equals("jenkins-sa")
                                    && verifyRs256(jwt, keys, "jenkins-sa");
                    if (ok) {
                        valid[0] = "dcos-token-" + logins.incrementAndGet();
                        FakeMaster.reply(exchange, 200, "{\"token\":\"" + valid[0] + "\"}");
                    } else {
                        exchange.getResponseHeaders().add("WWW-Authenticate", "acsjwt");
                        FakeMaster.reply(exchange, 401, "{\"code\":\"ERR_INVALID_CREDENTIALS\"}");
                    }
                    exchange.close();
                });
        master.authorizationCheck = header -> header != null && header.equals("token=" + valid[0]);
        PrivateKey key =
                Pem.rsaPrivateKey(
                        pkcs1Pem(keys)); // the "BEGIN RSA PRIVATE KEY" form, as DC/OS tools write
        MesosCredentials account =
                new MesosCredentials.DcosServiceAccount("jenkins-sa", key, Optional.empty());
        // as Admin Router: Mesos under /mesos, the login on the same (cluster) URL
        master.servePrefix("/mesos");
        SchedulerConnection connection =
                start(
                        config(
                                        master.url().resolve("/mesos"),
                                        FrameworkIdentity.builder("jenkins", "nobody").build())
                                .credentials(account)
                                .build());

        listener.await("subscribed");
        assertThat(master.nextSubscribe().authorization()).isEqualTo("token=dcos-token-1");
        valid[0] = "expired"; // the master stops accepting token 1

        connection
                .decline(List.of(OfferID.newBuilder().setValue("o1").build()), null)
                .get(10, TimeUnit.SECONDS);
        assertThat(master.nextCall().authorization())
                .isEqualTo("token=dcos-token-1"); // refused with 401
        assertThat(master.nextCall().authorization())
                .isEqualTo("token=dcos-token-2"); // retried after a new login
        assertThat(logins.get()).isEqualTo(2);
        assertThat(account.toString())
                .doesNotContain(
                        Base64.getEncoder().encodeToString(key.getEncoded()).substring(0, 40))
                .contains("privateKey=****");
        assertNoLeak(loginTokens.get(0), loginTokens.get(1), "dcos-token-1", "dcos-token-2");
    }

    @Test
    void dcosLoginFailureIsReportedWithoutTheToken() throws Exception {
        FakeMaster master = master();
        List<String> loginTokens = new CopyOnWriteArrayList<>();
        master.createContext(
                "/acs/api/v1/auth/login",
                exchange -> {
                    loginTokens.add(JSON.readTree(exchange.getRequestBody()).get("token").asText());
                    FakeMaster.reply(exchange, 401, "{\"code\":\"ERR_INVALID_CREDENTIALS\"}");
                    exchange.close();
                });
        MesosCredentials account =
                new MesosCredentials.DcosServiceAccount(
                        "jenkins-sa",
                        rsaKeys().getPrivate(),
                        Optional.of(master.url().resolve("/acs/api/v1/auth/login")));
        start(
                config(master.url(), FrameworkIdentity.builder("jenkins", "nobody").build())
                        .credentials(account)
                        .build());

        assertThat(listener.await("disconnected"))
                .contains("DC/OS login of service account 'jenkins-sa'")
                .contains("HTTP 401")
                .contains("ERR_INVALID_CREDENTIALS");
        assertThat(loginTokens).isNotEmpty();
        assertNoLeak(loginTokens.get(0), loginTokens.get(0).split("\\.")[2]);
    }

    @Test
    void trustsACustomCaBundleForHttpsMasters(@TempDir Path dir) throws Exception {
        TestCertificates certificates = TestCertificates.create(dir);
        FakeMaster master = new FakeMaster(certificates.serverContext());
        cleanup.add(master);
        FrameworkIdentity identity = FrameworkIdentity.builder("jenkins", "jenkins").build();

        start(
                config(master.url(), identity)
                        .build()); // JDK trust store: the self-signed CA is unknown
        assertThat(listener.await("disconnected"))
                .containsAnyOf("PKIX", "SSLHandshake", "certification path");
        cleanup.remove(cleanup.size() - 1).close();

        SchedulerConnection connection =
                start(config(master.url(), identity).caBundlePem(certificates.caPem()).build());
        assertThat(listener.await("subscribed")).contains("https://127.0.0.1:" + master.port());
        connection.reconcileAll().get(10, TimeUnit.SECONDS);
        assertThat(master.nextCall().streamIdHeader()).isEqualTo(master.streamId);
    }

    @Test
    void refusesBadPem() {
        assertThatThrownBy(() -> Pem.trustManager("not a certificate"))
                .hasMessageContaining("CA bundle");
        assertThatThrownBy(
                        () ->
                                Pem.rsaPrivateKey(
                                        "-----BEGIN PRIVATE KEY-----\n"
                                                + "AAAA\n"
                                                + "-----END PRIVATE KEY-----"))
                .hasMessageContaining("could not be read as an RSA key")
                .hasMessageNotContaining("AAAA");
        assertThatThrownBy(() -> Pem.rsaPrivateKey("ssh-rsa AAAAB3Nza"))
                .hasMessageContaining("Not a PEM RSA private key");
    }

    static KeyPair rsaKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    /**
     * PKCS#1 = the OCTET STRING inside the PKCS#8 structure the JDK produces (26-byte header for
     * 2048-bit keys).
     */
    static String pkcs1Pem(KeyPair keys) {
        byte[] pkcs8 = keys.getPrivate().getEncoded();
        byte[] pkcs1 = Arrays.copyOfRange(pkcs8, 26, pkcs8.length);
        return "-----BEGIN RSA PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(pkcs1)
                + "\n-----END RSA PRIVATE KEY-----\n";
    }

    static boolean verifyRs256(String jwt, KeyPair keys, String uid) {
        try {
            String[] parts = jwt.split("\\.");
            JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(keys.getPublic());
            verifier.update((parts[0] + "." + parts[1]).getBytes(UTF_8));
            long now = System.currentTimeMillis() / 1000;
            return header.get("alg").asText().equals("RS256")
                    && claims.get("uid").asText().equals(uid)
                    && claims.get("exp").asLong() > now
                    && claims.get("exp").asLong() <= now + 600
                    && verifier.verify(Base64.getUrlDecoder().decode(parts[2]));
        } catch (Exception e) {
            return false;
        }
    }
}
