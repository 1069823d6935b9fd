package io.jenkins.plugins.mesosagents.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockStatic;
import static org.mockito.Mockito.verify;

import hudson.util.FormValidation;

import io.jenkins.plugins.mesosagents.settings.CloudSettings;

import jenkins.model.Jenkins;

import org.junit.jupiter.api.Test;
import org.mockito.MockedStatic;
import org.springframework.security.access.AccessDeniedException;

/**
 * The cloud's form validation, against Mockito doubles of the Jenkins API (no Jenkins runs in this
 * build).
 */
class MesosCloudTest {
    @Test
    void frameworkUserDefaultsToJenkinsAsDocumented() {
        // docs/cloud.md: the framework user is `jenkins` unless set, not the controller's own user
        assertThat(MesosCloud.effectiveFrameworkUser("")).isEqualTo("jenkins");
        assertThat(MesosCloud.effectiveFrameworkUser("ci-bot")).isEqualTo("ci-bot");
    }

    @Test
    void encodingIsProtobufUnlessJsonIsChosenAndRejectsAnythingElse() {
        MesosCloud cloud = mock(MesosCloud.class, CALLS_REAL_METHODS);
        assertThat(cloud.getEncoding()).isEqualTo("PROTOBUF"); // also an old config.xml without it
        cloud.setEncoding(" json ");
        assertThat(cloud.getEncoding()).isEqualTo("JSON");
        cloud.setEncoding("");
        assertThat(cloud.getEncoding()).isEqualTo("PROTOBUF");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cloud.setEncoding("xml"))
                .hasMessageContaining("Unknown Mesos encoding 'xml': use PROTOBUF or JSON");
        assertThat(cloud.getEncoding()).isEqualTo("PROTOBUF");
    }

    @Test
    void acceptsHttpAndZooKeeperMasters() {
        assertThat(CloudSettings.masterUrlProblems("http://m1:5050, https://m2:5050")).isEmpty();
        assertThat(CloudSettings.masterUrlProblems("zk://zk1:2181,zk2:2181/mesos")).isEmpty();
    }

    @Test
    void namesEveryBadMasterAndSaysWhatToWrite() {
        assertThat(CloudSettings.masterUrlProblems(""))
                .singleElement()
                .asString()
                .contains("Enter at least one Mesos master");
        assertThat(CloudSettings.masterUrlProblems("mesos-master:5050 ftp://x:1 http://:5050"))
                .hasSize(3)
                .anySatisfy(p -> assertThat(p).contains("'mesos-master:5050'").contains("http://"))
                .anySatisfy(p -> assertThat(p).contains("'ftp://x:1'"))
                .anySatisfy(p -> assertThat(p).contains("'http://:5050'").contains("no host name"));
    }

    @Test
    void formCheckRequiresAdministerAndReportsProblems() {
        Jenkins jenkins = mock(Jenkins.class);
        MesosCloudDescriptor descriptor =
                mock(MesosCloudDescriptor.class, CALLS_REAL_METHODS);
        FormValidation error = mock(FormValidation.class);
        try (MockedStatic<Jenkins> statics = mockStatic(Jenkins.class);
                MockedStatic<FormValidation> validations = mockStatic(FormValidation.class)) {
            statics.when(Jenkins::get).thenReturn(jenkins);
            validations.when(() -> FormValidation.error(anyString())).thenReturn(error);
            assertThat(descriptor.doCheckMasterUrls("localhost:5050")).isSameAs(error);
            verify(jenkins).checkPermission(Jenkins.ADMINISTER);
            validations.verify(
                    () ->
                            FormValidation.error(
                                    contains("'localhost:5050': use http://, https:// or zk://")));

            doThrow(new AccessDeniedException("no")).when(jenkins).checkPermission(any());
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> descriptor.doCheckMasterUrls("http://m:5050"))
                    .isInstanceOf(AccessDeniedException.class);
        }
    }
}
