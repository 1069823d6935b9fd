package io.jenkins.plugins.mesosagents.mesos;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.ServiceConfigurationError;

class LibraryErrorsTest {
    @Test
    void aMissingClassIsNamedAsAPackagingProblem() {
        assertThat(
                        LibraryErrors.describe(
                                new NoClassDefFoundError("io/netty/handler/ssl/SslContext")))
                .isEqualTo(
                        "missing class io.netty.handler.ssl.SslContext: the plugin's packaging is"
                                + " broken, report it");
    }

    @Test
    void aClassThatFailedToInitializeEarlierIsNamed() {
        assertThat(
                        LibraryErrors.describe(
                                new NoClassDefFoundError(
                                        "Could not initialize class org.apache.zookeeper.Foo")))
                .startsWith("class org.apache.zookeeper.Foo failed to initialize earlier")
                .endsWith("the plugin's packaging is broken, report it");
    }

    @Test
    void aFailedInitializerNamesItsCause() {
        assertThat(
                        LibraryErrors.describe(
                                new ExceptionInInitializerError(
                                        new IllegalStateException("no provider"))))
                .contains("IllegalStateException: no provider")
                .endsWith("the plugin's packaging is broken, report it");
    }

    @Test
    void anIncompatibleLibraryVersionIsNamed() {
        assertThat(LibraryErrors.describe(new NoSuchMethodError("'void okhttp3.Foo.bar()'")))
                .isEqualTo(
                        "incompatible library version (NoSuchMethodError: 'void"
                            + " okhttp3.Foo.bar()'): the plugin's packaging is broken, report it");
    }

    @Test
    void onlyLinkageAndServiceErrorsCount() {
        assertThat(LibraryErrors.isLibraryError(new NoClassDefFoundError("x"))).isTrue();
        assertThat(LibraryErrors.isLibraryError(new ServiceConfigurationError("x"))).isTrue();
        assertThat(LibraryErrors.isLibraryError(new OutOfMemoryError())).isFalse();
        assertThat(LibraryErrors.isLibraryError(new IllegalStateException())).isFalse();
    }
}
