package io.jenkins.plugins.mesosagents.mesos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mesosagents.settings.CloudSettings;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

/**
 * A failover timeout of 0 is valid to Mesos (master.cpp:2614 only refuses one that is not a
 * Duration) but removes the framework, and kills every task, the moment its stream breaks: the
 * identity refuses it, and the cloud settings (and so the form check) with it.
 */
class FrameworkIdentityFailoverTest {

    @Test
    void aZeroFailoverTimeoutIsRefusedWithWhatToDo() {
        assertThatThrownBy(
                        () ->
                                FrameworkIdentity.builder("jenkins", "nobody")
                                        .failoverTimeout(Duration.ZERO)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("greater than 0")
                .hasMessageContaining("kill");
    }

    @Test
    void cloudSettingsWithZeroHoursAreRefusedByTheSameRule() {
        assertThatThrownBy(
                        () ->
                                CloudSettings.builder("c")
                                        .failoverTimeoutHours(0)
                                        .build()
                                        .framework(List.of(), "jenkins")
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("greater than 0");
        assertThat(
                        CloudSettings.builder("c")
                                .failoverTimeoutHours(1)
                                .build()
                                .framework(List.of(), "jenkins")
                                .build()
                                .failoverTimeout())
                .isEqualTo(Duration.ofHours(1));
    }
}
