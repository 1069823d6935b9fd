package io.jenkins.plugins.mesosagents.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockStatic;
import static org.mockito.Mockito.never;

import hudson.util.FormValidation;

import io.jenkins.plugins.mesosagents.mesos.MesosCredentials;
import io.jenkins.plugins.mesosagents.testcluster.mesos.AgentConfig;
import io.jenkins.plugins.mesosagents.testcluster.mesos.MesosSimConfig;
import io.jenkins.plugins.mesosagents.testcluster.mesos.MesosSimulator;

import jenkins.model.Jenkins;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.MockedStatic;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Optional;

/**
 * The cloud form with a DC/OS service account: "Test connection" through Admin Router against the
 * simulated one names the missing permission and how to grant it, and the service-account field
 * says at once when the master URL has no login next to it. Jenkins' statics are Mockito mocks; the
 * probe, the connection rules and the cluster are real.
 */
class DcosConnectionFormTest {
    private static KeyPair keys;

    @TempDir Path work;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        keys = generator.generateKeyPair();
    }

    private static MesosCredentials account() {
        return new MesosCredentials.DcosServiceAccount(
                "jenkins-sa", keys.getPrivate(), Optional.empty());
    }

    @Test
    void testConnectionThroughAdminRouterNamesTheMissingPermissionAndHowToGrantIt()
            throws Exception {
        MesosCloudDescriptor descriptor =
                mock(MesosCloudDescriptor.class, CALLS_REAL_METHODS);
        FormValidation refused = mock(FormValidation.class);
        FormValidation connected = mock(FormValidation.class);
        try (MesosSimulator sim =
                        MesosSimulator.start(
                                MesosSimConfig.builder(work)
                                        .agent(AgentConfig.of("a1.local", 2, 2048))
                                        .serviceAccount("jenkins-sa", keys.getPublic())
                                        .build());
                MockedStatic<Jenkins> statics = mockStatic(Jenkins.class);
                MockedStatic<FormValidation> validations = mockStatic(FormValidation.class);
                MockedStatic<CloudSessions> sessions =
                        mockStatic(CloudSessions.class, CALLS_REAL_METHODS)) {
            statics.when(Jenkins::get).thenReturn(mock(Jenkins.class));
            validations.when(() -> FormValidation.error(anyString())).thenReturn(refused);
            validations.when(() -> FormValidation.ok(anyString())).thenReturn(connected);
            sessions.when(() -> CloudSessions.credentials(any(), eq("dcos-sa")))
                    .thenReturn(account());
            String gateway = sim.gatewayUrl().orElseThrow().toString();

            sim.grantMesosThroughAdminRouter("jenkins-sa", false);
            assertThat(descriptor.doTestConnection(gateway, "", "dcos-sa", "")).isSameAs(refused);
            validations.verify(
                    () ->
                            FormValidation.error(
                                    contains(
                                            "service account 'jenkins-sa' access to Mesos (HTTP 403"
                                                + " Access Denied): it lacks the permission"
                                                + " dcos:adminrouter:ops:mesos (action full)")));
            validations.verify(
                    () ->
                            FormValidation.error(
                                    contains(
                                            "dcos security org users grant jenkins-sa"
                                                    + " dcos:adminrouter:ops:mesos full")));
            validations.verify(() -> FormValidation.error(contains("may still")), never());

            sim.grantMesosThroughAdminRouter("jenkins-sa", true);
            assertThat(descriptor.doTestConnection(gateway, "", "dcos-sa", "")).isSameAs(connected);
            validations.verify(() -> FormValidation.ok(contains("1 agents")));
        }
    }

    @Test
    void theServiceAccountFieldSaysWhenTheMasterUrlHasNoLoginNextToIt() {
        MesosCloudDescriptor descriptor =
                mock(MesosCloudDescriptor.class, CALLS_REAL_METHODS);
        FormValidation error = mock(FormValidation.class);
        FormValidation ok = mock(FormValidation.class);
        try (MockedStatic<Jenkins> statics = mockStatic(Jenkins.class);
                MockedStatic<FormValidation> validations = mockStatic(FormValidation.class);
                MockedStatic<CloudSessions> sessions =
                        mockStatic(CloudSessions.class, CALLS_REAL_METHODS)) {
            statics.when(Jenkins::get).thenReturn(mock(Jenkins.class));
            validations.when(() -> FormValidation.error(anyString())).thenReturn(error);
            validations.when(FormValidation::ok).thenReturn(ok);
            sessions.when(() -> CloudSessions.credentials(any(), eq("dcos-sa")))
                    .thenReturn(account());

            assertThat(descriptor.doCheckDcosCredentialsId("dcos-sa", "http://m1:5050"))
                    .isSameAs(error);
            validations.verify(
                    () ->
                            FormValidation.error(
                                    contains(
                                            "'jenkins-sa' has no login_endpoint, and"
                                                    + " http://m1:5050 is a Mesos master's own"
                                                    + " address")));
            assertThat(descriptor.doCheckDcosCredentialsId("dcos-sa", "zk://zk1:2181/mesos"))
                    .isSameAs(error);
            assertThat(descriptor.doCheckDcosCredentialsId("dcos-sa", "https://dcos.example/mesos"))
                    .isSameAs(ok);
            assertThat(descriptor.doCheckDcosCredentialsId("", "http://m1:5050")).isSameAs(ok);
        }
    }
}
