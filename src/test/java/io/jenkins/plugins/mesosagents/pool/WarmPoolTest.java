package io.jenkins.plugins.mesosagents.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WarmPoolTest {
    @Test
    void offKeepsNothingAndAnyRuleTurnsItOn() {
        assertThat(WarmPool.OFF.isOff()).isTrue();
        assertThat(WarmPool.of(0, "", false, 0).isOff()).isTrue();
        assertThat(WarmPool.of(0, "Mon 08:00-09:00 0", false, 0).isOff()).isTrue();
        assertThat(WarmPool.of(1, "", false, 0).isOff()).isFalse();
        assertThat(WarmPool.of(0, "Mon 08:00-09:00 2", false, 0).isOff()).isFalse();
        assertThat(WarmPool.of(0, "", true, 3).isOff()).isFalse();
    }

    @Test
    void contradictionsAreRefusedWithTheFix() {
        assertThatThrownBy(() -> WarmPool.of(5, "", false, 2))
                .hasMessageContaining("minimum idle agents (5) is above the maximum (2)");
        assertThatThrownBy(() -> WarmPool.of(0, "* 00:00-24:00 3", false, 2))
                .hasMessageContaining("keeps more than the maximum of 2");
        assertThatThrownBy(() -> WarmPool.of(0, "", true, 0))
                .hasMessageContaining("adaptive warm pool needs a maximum");
        assertThatThrownBy(() -> WarmPool.of(-1, "", false, 0)).hasMessageContaining("0 or more");
    }
}
