package io.jenkins.plugins.mesosagents.mesos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Framework roles follow Mesos 1.11 {@code roles::validate} (src/common/roles.cpp:85-140). */
class FrameworkIdentityRolesTest {
    @Test
    void hierarchicalRolesAreAccepted() {
        FrameworkIdentity id =
                FrameworkIdentity.builder("jenkins", "jenkins").role("eng/ci").role("*").build();
        assertThat(id.toFrameworkInfo(java.util.Optional.empty()).getRolesList())
                .containsExactly("eng/ci", "*");
    }

    @Test
    void invalidRolesAreRefusedInTheMastersWords() {
        assertThatThrownBy(
                        () ->
                                FrameworkIdentity.builder("jenkins", "jenkins")
                                        .role("eng//ci")
                                        .build())
                .hasMessageContaining("Role 'eng//ci' cannot contain two adjacent slashes");
        assertThatThrownBy(() -> FrameworkIdentity.builder("jenkins", "jenkins").role("").build())
                .hasMessageContaining("Role names cannot be the empty string");
        assertThatThrownBy(
                        () -> FrameworkIdentity.builder("jenkins", "jenkins").role("a/-b").build())
                .hasMessageContaining(
                        "Role component '-b' is invalid because it starts with a dash");
    }
}
