package io.jenkins.plugins.mesosagents.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockStatic;
import static org.mockito.Mockito.when;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.IdCredentials;

import hudson.AbortException;
import hudson.ProxyConfiguration;
import hudson.model.Run;
import hudson.util.Secret;

import io.jenkins.plugins.mesosagents.image.registry.RegistryConnection;
import io.jenkins.plugins.mesosagents.image.registry.RegistryCredentials;

import jenkins.model.Jenkins;

import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.MockedConstruction;
import org.mockito.MockedStatic;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.nio.file.Path;

/** Secret text access tokens with a username, and Jenkins' proxy for the registry API steps. */
class RegistryLoginsTest {
    @TempDir Path workspace;
    private StepDoubles pipeline;
    private MockedStatic<CredentialsProvider> credentials;
    private MockedStatic<Jenkins> jenkins;
    private MockedConstruction<AbortException> aborts;
    private final Jenkins instance = mock(Jenkins.class);

    @BeforeEach
    void doubles() throws Exception {
        pipeline = new StepDoubles(workspace);
        StringCredentials token = mock(StringCredentials.class);
        Secret secret = mock(Secret.class);
        when(secret.getPlainText()).thenReturn("ghp_personal_access_token");
        when(token.getSecret()).thenReturn(secret);
        IdCredentials userPass = StepDoubles.usernamePassword("bob", "pw");
        credentials = mockStatic(CredentialsProvider.class);
        credentials
                .when(
                        () ->
                                CredentialsProvider.findCredentialById(
                                        eq("pat"), eq(IdCredentials.class), any(Run.class)))
                .thenReturn(token);
        credentials
                .when(
                        () ->
                                CredentialsProvider.findCredentialById(
                                        eq("userpass"), eq(IdCredentials.class), any(Run.class)))
                .thenReturn(userPass);
        jenkins = mockStatic(Jenkins.class);
        jenkins.when(Jenkins::get).thenReturn(instance);
        aborts = StepDoubles.abortExceptions();
    }

    @AfterEach
    void close() {
        aborts.close();
        jenkins.close();
        credentials.close();
    }

    @Test
    void aSecretTextTokenWithAUsernameIsAPasswordLogin() throws Exception {
        RegistryLogin login =
                StepCredentials.registryLogin(pipeline.run, "ghcr.io", "pat", "octocat");

        assertThat(login.credentials())
                .isEqualTo(RegistryCredentials.basic("octocat", "ghp_personal_access_token"));
        assertThat(login.toString()).doesNotContain("ghp_");
        // without a username it stays a registry bearer token
        assertThat(StepCredentials.registryLogin(pipeline.run, "ghcr.io", "pat", "").bearer())
                .isTrue();
    }

    @Test
    void aUsernameNextToAUsernamePasswordCredentialIsRefused() {
        assertThatThrownBy(
                        () ->
                                StepCredentials.registryLogin(
                                        pipeline.run, "ghcr.io", "userpass", "octocat"))
                .isInstanceOf(AbortException.class)
                .hasMessageContaining("give 'username' only with 'Secret text'");
    }

    @Test
    void theApiStepsUseJenkinsProxyForTheRegistryHost() {
        ProxyConfiguration proxy = mock(ProxyConfiguration.class);
        Proxy http = new Proxy(Proxy.Type.HTTP, new InetSocketAddress("127.0.0.1", 3128));
        when(proxy.createProxy("registry.example.com")).thenReturn(http);
        when(proxy.getUserName()).thenReturn("corp");
        Secret password = mock(Secret.class);
        when(password.getPlainText()).thenReturn("corp-pw");
        when(proxy.getSecretPassword()).thenReturn(password);
        when(instance.getProxy()).thenReturn(proxy);

        RegistryConnection connection =
                RegistryConnections.forHost("registry.example.com:5000", true, "");

        assertThat(connection.proxy()).isEqualTo(http);
        assertThat(connection.proxyUser()).isEqualTo("corp");
        assertThat(connection.proxyPassword()).isEqualTo("corp-pw");
        assertThat(connection.insecure()).isTrue();
        assertThat(connection.caCertificates()).isNull();
    }

    @Test
    void withoutAJenkinsProxyTheConnectionIsDirect() {
        when(instance.getProxy()).thenReturn(null);
        assertThat(RegistryConnections.forHost("r.example.com", false, "").proxy())
                .isEqualTo(Proxy.NO_PROXY);
    }

    @Test
    void theGlobalSettingMarksListedRegistriesInsecureForEveryStep() {
        when(instance.getProxy()).thenReturn(null);
        String before = System.getProperty(RegistryConnections.INSECURE_REGISTRIES);
        System.setProperty(
                RegistryConnections.INSECURE_REGISTRIES, "nexus.corp:8443, registry.lan");
        try {
            assertThat(RegistryConnections.forHost("nexus.corp:8443", false, "").insecure())
                    .isTrue();
            assertThat(RegistryConnections.forHost("nexus.corp", false, "").insecure()).isFalse();
            BuildImageStep step = new BuildImageStep(java.util.List.of("registry.lan/app:1"));
            assertThat(
                            step.builderSpec(
                                            "",
                                            java.util.Map.of(),
                                            java.util.List.of("registry.lan"))
                                    .insecure())
                    .isTrue();
            assertThat(
                            step.builderSpec("", java.util.Map.of(), java.util.List.of("other.lan"))
                                    .insecure())
                    .isFalse();
        } finally {
            if (before == null) {
                System.clearProperty(RegistryConnections.INSECURE_REGISTRIES);
            } else {
                System.setProperty(RegistryConnections.INSECURE_REGISTRIES, before);
            }
        }
    }
}
