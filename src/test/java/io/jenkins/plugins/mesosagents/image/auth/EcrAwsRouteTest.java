package io.jenkins.plugins.mesosagents.image.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mesosagents.image.registry.RegistryConnection;
import io.jenkins.plugins.mesosagents.image.registry.RegistryCredentials;

import okhttp3.OkHttpClient;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The route of an ECR login's AWS calls: the ECR API and STS are called through the HTTP client the
 * source is given (Jenkins' proxy with its login, in the steps), and nothing on that route writes
 * request headers (the session token) to a log. {@link AwsStandIn} plays the proxy too, reached for
 * endpoints on hosts that do not resolve, so a call that bypasses the proxy fails.
 */
class EcrAwsRouteTest {
    private final AwsStandIn aws = startAws();

    private static AwsStandIn startAws() {
        try {
            return AwsStandIn.start();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterEach
    void stop() throws Exception {
        aws.close();
    }

    @Test
    void theEcrAndStsCallsGoThroughTheGivenProxyWithItsLogin() throws Exception {
        aws.requireProxyLogin("corp", "corp-pw");
        OkHttpClient viaProxy =
                EcrCredentialsSource.DIRECT_HTTP
                        .newBuilder()
                        .proxy(aws.proxy())
                        .proxyAuthenticator(RegistryConnection.proxyLogin("corp", "corp-pw"))
                        .build();
        AwsIdentity identity =
                AwsIdentity.keys(() -> new AwsCredentials("AKIDBASE", "base-secret", null))
                        .assumingRole(AwsStandIn.ROLE)
                        .withStsEndpoint(URI.create("http://sts.corp-aws.invalid"));

        RegistryCredentials credentials =
                new EcrCredentialsSource(
                                "http://ecr.corp-aws.invalid",
                                "us-east-1",
                                identity,
                                Clock.systemUTC(),
                                Duration.ofHours(1))
                        .withHttpClient(viaProxy)
                        .credentials();

        assertThat(credentials.username()).isEqualTo("AWS");
        assertThat(credentials.secret()).isEqualTo("ecr-password");
        assertThat(aws.assumeRoleCall())
                .containsEntry(":target", "http://sts.corp-aws.invalid/")
                .containsKey("Proxy-Authorization");
        assertThat(aws.ecrCall())
                .containsEntry(":target", "http://ecr.corp-aws.invalid/")
                .containsKey("Proxy-Authorization");
        assertThat(aws.ecrCall().get("Authorization")).contains("Credential=ASIAROLE/");
        assertThat(aws.proxyRefusals()).isPositive(); // the login was asked for, then given
    }

    @Test
    void noRequestHeaderOfTheAwsCallsReachesALogEvenAtFinest() throws Exception {
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler capture =
                new Handler() {
                    @Override
                    public void publish(LogRecord record) {
                        logged.add(record.getLoggerName() + " " + record.getMessage());
                    }

                    @Override
                    public void flush() {}

                    @Override
                    public void close() {}
                };
        capture.setLevel(Level.ALL);
        // the JDK's HTTP client logs every request header here at FINE; OkHttp has no such log
        Logger jdkHttp = Logger.getLogger("sun.net.www.protocol.http.HttpURLConnection");
        Logger okHttp = Logger.getLogger("okhttp3");
        Logger aws = Logger.getLogger("software.amazon.awssdk");
        List<Logger> loggers = List.of(jdkHttp, okHttp, aws);
        List<Level> before = loggers.stream().map(Logger::getLevel).toList();
        for (Logger logger : loggers) {
            logger.setLevel(Level.ALL);
            logger.addHandler(capture);
        }
        try {
            AwsIdentity identity =
                    AwsIdentity.keys(
                            () -> new AwsCredentials("ASIAKEYS", "keys-secret", "keys-session"));
            new EcrCredentialsSource(
                            this.aws.endpoint(),
                            "us-east-1",
                            identity,
                            Clock.systemUTC(),
                            Duration.ofHours(1))
                    .credentials();
        } finally {
            for (int i = 0; i < loggers.size(); i++) {
                loggers.get(i).removeHandler(capture);
                loggers.get(i).setLevel(before.get(i));
            }
        }

        assertThat(this.aws.ecrCall()).containsEntry("X-Amz-Security-Token", "keys-session");
        assertThat(logged).noneMatch(line -> line.contains("keys-session"));
        assertThat(logged).noneMatch(line -> line.contains("Credential=ASIAKEYS"));
    }
}
