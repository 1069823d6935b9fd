package io.jenkins.plugins.mesosagents.marathon;

import static io.jenkins.plugins.mesosagents.marathon.DeployFixture.app;
import static io.jenkins.plugins.mesosagents.marathon.DeployFixture.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mesosagents.testcluster.marathon.MarathonSimulator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

class MarathonAuthTest {
    private static KeyPair serviceAccountKey;
    private static KeyPair otherKey;
    private DeployFixture fixture;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        serviceAccountKey = generator.generateKeyPair();
        otherKey = generator.generateKeyPair();
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static MarathonSimulator.Builder simulator() {
        return MarathonSimulator.builder().stepInterval(Duration.ofMillis(20));
    }

    @Test
    void basicAuthWrongPasswordIs401WithoutTheSecretAndRightPasswordWorks() throws Exception {
        fixture =
                new DeployFixture(
                        simulator().basicAuth("jenkins", "s3cret-pw").build(),
                        MarathonAuth.basic("jenkins", "wrong-pw"));
        assertThatThrownBy(fixture.client::info)
                .isInstanceOfSatisfying(
                        MarathonException.class, e -> assertThat(e.status()).isEqualTo(401))
                .hasMessageContaining("answered 401 to GET /v2/info: Invalid username or password.")
                .hasMessageContaining(
                        "The credentials (HTTP Basic as user 'jenkins') were not accepted")
                .hasMessageNotContaining("wrong-pw");

        MarathonClient right =
                new MarathonClient(
                        fixture.client.baseUrl(),
                        MarathonAuth.basic("jenkins", "s3cret-pw"),
                        fixture.http);
        assertThat(right.info().path("name").asText()).isEqualTo("marathon");
        assertThat(MarathonAuth.basic("jenkins", "s3cret-pw").toString())
                .doesNotContain("s3cret-pw");
        assertThatThrownBy(() -> MarathonAuth.basic("a:b", "x"))
                .hasMessageContaining("may not contain ':'");
    }

    @Test
    void fixedTokenIsSentAsTokenHeaderAndA401NamesTheMode() throws Exception {
        fixture =
                new DeployFixture(
                        simulator().dcosToken("fixed-token-123").build(),
                        MarathonAuth.token("not-the-token"));
        assertThatThrownBy(fixture.client::deployments)
                .isInstanceOfSatisfying(
                        MarathonException.class, e -> assertThat(e.status()).isEqualTo(401))
                .hasMessageContaining("The credentials (a DC/OS token) were not accepted")
                .hasMessageNotContaining("not-the-token");

        MarathonClient right =
                new MarathonClient(
                        fixture.client.baseUrl(),
                        MarathonAuth.token("token=fixed-token-123"),
                        fixture.http);
        assertThat(right.deployments()).isEmpty();
        assertThat(MarathonAuth.token("fixed-token-123").toString())
                .doesNotContain("fixed-token-123");
    }

    @Test
    void serviceAccountLogsInDeploysAndLogsInAgainAfterA401() throws Exception {
        fixture =
                new DeployFixture(
                        simulator()
                                .dcosServiceAccount("jenkins-sa", serviceAccountKey.getPublic())
                                .build(),
                        MarathonAuth.none());
        DcosServiceAccountAuth current =
                DcosServiceAccountAuth.fromJson(
                        secretJson("jenkins-sa", pkcs8Pem(serviceAccountKey)),
                        fixture.client.baseUrl(),
                        Clock.systemUTC());
        MarathonClient client = new MarathonClient(fixture.client.baseUrl(), current, fixture.http);
        MarathonDeployer deployer =
                new MarathonDeployer(client, Clock.systemUTC(), Sleeper.SYSTEM, fixture.lines::add);

        DeployResult result =
                deployer.deploy(request(app("/secure/web", "shop:1", 1, true)).build());
        assertThat(result.deploymentId()).isNotBlank();
        assertThat(fixture.marathon.logins()).isEqualTo(1);

        fixture.marathon.expireTokens();
        assertThat(client.app("/secure/web")).isPresent();
        assertThat(fixture.marathon.logins()).isEqualTo(2);
        assertThat(current.toString()).contains("jenkins-sa").doesNotContain("PRIVATE");
    }

    @Test
    void serviceAccountWithTheWrongKeyFailsTheLoginClearly() throws Exception {
        fixture =
                new DeployFixture(
                        simulator()
                                .dcosServiceAccount("jenkins-sa", serviceAccountKey.getPublic())
                                .build(),
                        MarathonAuth.none());
        DcosServiceAccountAuth wrongKey =
                DcosServiceAccountAuth.fromJson(
                        secretJson("jenkins-sa", pkcs8Pem(otherKey)),
                        fixture.client.baseUrl(),
                        Clock.systemUTC());
        MarathonClient client =
                new MarathonClient(fixture.client.baseUrl(), wrongKey, fixture.http);

        assertThatThrownBy(client::info)
                .isInstanceOfSatisfying(
                        MarathonException.class, e -> assertThat(e.status()).isEqualTo(401))
                .hasMessageContaining(
                        "DC/OS login of service account 'jenkins-sa' at "
                                + fixture.client.baseUrl().resolve("/acs/api/v1/auth/login"))
                .hasMessageContaining("check the uid and that the private key belongs to it")
                .hasMessageNotContaining("PRIVATE KEY");
        // no login at all: Marathon itself answers 401 naming the service account
        assertThatThrownBy(fixture.client::info)
                .hasMessageContaining("answered 401")
                .hasMessageContaining("no credentials");
    }

    @Test
    void pkcs1KeysAndBadSecretsAreHandled() throws Exception {
        fixture =
                new DeployFixture(
                        simulator().dcosServiceAccount("sa", serviceAccountKey.getPublic()).build(),
                        MarathonAuth.none());
        // PKCS#1 is what `openssl genrsa` (1.x) and the DC/OS CLI write
        String pkcs1 =
                "-----BEGIN RSA PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder().encodeToString(pkcs1Der(serviceAccountKey))
                        + "\n-----END RSA PRIVATE KEY-----\n";
        DcosServiceAccountAuth auth =
                DcosServiceAccountAuth.fromJson(
                        secretJson("sa", pkcs1), fixture.client.baseUrl(), Clock.systemUTC());
        assertThat(
                        new MarathonClient(fixture.client.baseUrl(), auth, fixture.http)
                                .info()
                                .path("elected")
                                .asBoolean())
                .isTrue();

        assertThatThrownBy(
                        () ->
                                DcosServiceAccountAuth.fromJson(
                                        "{\"uid\": \"sa\", \"private_key\": \"sekrit\"",
                                        fixture.client.baseUrl(),
                                        Clock.systemUTC()))
                .hasMessageContaining("not valid JSON (line 1, column")
                .hasMessageNotContaining("sekrit");
        assertThatThrownBy(
                        () ->
                                DcosServiceAccountAuth.fromJson(
                                        "{\"uid\": \"sa\", \"private_key\": \"sekrit\"}",
                                        fixture.client.baseUrl(),
                                        Clock.systemUTC()))
                .hasMessageContaining("Not a PEM RSA private key")
                .hasMessageNotContaining("sekrit");
        assertThatThrownBy(
                        () ->
                                DcosServiceAccountAuth.fromJson(
                                        "{\"uid\": \"sa\"}",
                                        fixture.client.baseUrl(),
                                        Clock.systemUTC()))
                .hasMessageContaining("needs the fields \"uid\" and \"private_key\"");
    }

    private static String secretJson(String uid, String pem) {
        return "{\"uid\": \""
                + uid
                + "\", \"scheme\": \"RS256\", \"private_key\": \""
                + pem.replace("\r\n", "\n").replace("\n", "\\n")
                + "\"}";
    }

    private static String pkcs8Pem(KeyPair key) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(key.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    /**
     * Extracts the PKCS#1 RSAPrivateKey from the PKCS#8 encoding (the OCTET STRING after the
     * algorithm).
     */
    private static byte[] pkcs1Der(KeyPair key) {
        byte[] pkcs8 = key.getPrivate().getEncoded();
        int at =
                26; // SEQUENCE(4) + INTEGER 0 (3) + AlgorithmIdentifier (15) + OCTET STRING tag and
        // 3-byte length (4)
        return java.util.Arrays.copyOfRange(pkcs8, at, pkcs8.length);
    }
}
