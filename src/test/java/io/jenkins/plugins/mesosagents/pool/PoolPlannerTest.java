package io.jenkins.plugins.mesosagents.pool;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

class PoolPlannerTest {
    private final PoolPlanner planner = new PoolPlanner();
    private static final ZonedDateTime MONDAY_10 =
            ZonedDateTime.of(LocalDateTime.of(2026, 12, 7, 10, 0), ZoneOffset.UTC);
    private static final ZonedDateTime SUNDAY_10 = MONDAY_10.minusDays(1);

    @Test
    void offHasNoTarget() {
        assertThat(planner.target(WarmPool.OFF, MONDAY_10, 5, Duration.ofSeconds(10)))
                .isEqualTo(PoolTarget.NONE);
    }

    @Test
    void minimumHoldsOutsideWindowsAndTheLargerWindowWinsInside() {
        WarmPool pool = WarmPool.of(1, "Mon-Fri 08:00-18:00 4\nMon 09:00-11:00 6", false, 0);
        PoolTarget inside = planner.target(pool, MONDAY_10, 0, Duration.ofSeconds(10));
        assertThat(inside.agents()).isEqualTo(6);
        assertThat(inside.source()).isEqualTo(PoolTarget.Source.WINDOW);
        assertThat(inside.why()).isEqualTo("window Mon 09:00-11:00 6");
        PoolTarget weekend = planner.target(pool, SUNDAY_10, 0, Duration.ofSeconds(10));
        assertThat(weekend.agents()).isEqualTo(1);
        assertThat(weekend.source()).isEqualTo(PoolTarget.Source.MINIMUM);
    }

    @Test
    void adaptiveFollowsRateTimesTimeToOnlineAndIsCapped() {
        WarmPool pool = WarmPool.of(0, "", true, 8);
        // no demand: nothing warm
        assertThat(planner.target(pool, MONDAY_10, 0, Duration.ofSeconds(10)).agents()).isZero();
        // 0.1 builds/s, 10 s to online: mean 1 arrival; P(N<=2)=0.92, P(N<=3)=0.98 -> 1+3
        PoolTarget modest = planner.target(pool, MONDAY_10, 0.1, Duration.ofSeconds(10));
        assertThat(modest.agents()).isEqualTo(4);
        assertThat(modest.source()).isEqualTo(PoolTarget.Source.ADAPTIVE);
        assertThat(modest.why()).isEqualTo("adaptive: 0.10 builds/s × 10.0 s to online → 4");
        // a rare build still keeps one agent warm (it must find one)
        assertThat(planner.target(pool, MONDAY_10, 0.001, Duration.ofSeconds(10)).agents())
                .isEqualTo(1);
        PoolTarget storm = planner.target(pool, MONDAY_10, 5, Duration.ofSeconds(10));
        assertThat(storm.agents()).isEqualTo(8);
        assertThat(storm.why()).endsWith("capped at the maximum of 8");
    }

    @Test
    void adaptiveEstimateIsThePoissonQuantilePlusOne() {
        // cross-checked by summing the Poisson law by hand: mean 4 -> P(N<=7)=0.949, P(N<=8)=0.979
        assertThat(PoolPlanner.adaptive(0.4, Duration.ofSeconds(10))).isEqualTo(9);
        // mean 0.05: P(N<=0)=0.951 -> one agent
        assertThat(PoolPlanner.adaptive(0.005, Duration.ofSeconds(10))).isEqualTo(1);
        assertThat(PoolPlanner.adaptive(0, Duration.ofSeconds(10))).isZero();
    }

    @Test
    void aBurstTheRateExplainsIsNoReasonToKeepMoreAgents() {
        WarmPool pool = WarmPool.of(0, "", true, 8);
        Duration tenMinutes = Duration.ofMinutes(10);
        // 0.12 builds/s for ten minutes: 72 arrivals, each followed by 3 more within 2 s with
        // P(N >= 3 | mean 0.24) = 0.00195: 0.14 such bursts expected, so a burst of 4 is chance
        Burst chance = new Burst(4, Duration.ofSeconds(2), tenMinutes);
        assertThat(PoolPlanner.explainedByRate(chance, 0.12)).isTrue();
        PoolTarget steady = planner.target(pool, MONDAY_10, 0.12, chance, Duration.ofMillis(600));
        assertThat(steady.agents()).isEqualTo(2);
        assertThat(steady.why()).startsWith("adaptive: 0.12 builds/s");
        // five at once at that rate: 72 * P(N >= 4 | 0.24) = 0.008 expected, builds queued together
        Burst five = new Burst(5, Duration.ofSeconds(2), tenMinutes);
        assertThat(PoolPlanner.explainedByRate(five, 0.12)).isFalse();
        assertThat(planner.target(pool, MONDAY_10, 0.12, five, Duration.ofMillis(600)).why())
                .isEqualTo("adaptive: bursts of 5 builds at once");
        // four builds of one push on a quiet label (0.05/s): 30 * P(N >= 3 | 0.1) = 0.005
        Burst push = new Burst(4, Duration.ofSeconds(2), tenMinutes);
        assertThat(planner.target(pool, MONDAY_10, 0.05, push, Duration.ofMillis(600)).agents())
                .isEqualTo(4);
        // a single build is never a burst
        assertThat(PoolPlanner.explainedByRate(new Burst(1, Duration.ofSeconds(2), tenMinutes), 0))
                .isTrue();
    }
}
