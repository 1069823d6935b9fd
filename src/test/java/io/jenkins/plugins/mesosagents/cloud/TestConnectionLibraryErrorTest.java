package io.jenkins.plugins.mesosagents.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockStatic;

import hudson.util.FormValidation;

import jenkins.model.Jenkins;

import org.junit.jupiter.api.Test;
import org.mockito.MockedStatic;

/**
 * "Test connection" with a library that fails to link (e.g. a zk:// master without Netty on the
 * class path): Stapler turns an {@code Error} out of a web method into HTTP 500, so the form must
 * answer with a validation error that names the missing class instead.
 */
class TestConnectionLibraryErrorTest {
    @Test
    void aMissingClassBecomesAFormErrorNotAnHttp500() {
        Jenkins jenkins = mock(Jenkins.class);
        MesosCloudDescriptor descriptor =
                mock(MesosCloudDescriptor.class, CALLS_REAL_METHODS);
        FormValidation error = mock(FormValidation.class);
        try (MockedStatic<Jenkins> statics = mockStatic(Jenkins.class);
                MockedStatic<FormValidation> validations = mockStatic(FormValidation.class);
                MockedStatic<CloudSessions> sessions = mockStatic(CloudSessions.class)) {
            statics.when(Jenkins::get).thenReturn(jenkins);
            validations.when(() -> FormValidation.error(anyString())).thenReturn(error);
            sessions.when(() -> CloudSessions.probe(anyString(), any(), any(), any()))
                    .thenThrow(new NoClassDefFoundError("io/netty/handler/ssl/SslContext"));

            assertThat(descriptor.doTestConnection("zk://zk1:2181/mesos", "", "", ""))
                    .isSameAs(error);
            validations.verify(
                    () ->
                            FormValidation.error(
                                    contains(
                                            "missing class io.netty.handler.ssl.SslContext: the"
                                                    + " plugin's packaging is broken, report it")));
        }
    }
}
