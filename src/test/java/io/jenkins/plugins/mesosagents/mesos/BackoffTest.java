package io.jenkins.plugins.mesosagents.mesos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

class BackoffTest {
    private static final RandomGenerator NO_JITTER_DRAW = () -> 0L; // nextDouble() == 0.0
    private final Backoff backoff =
            new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), 2.0, 0.5);

    @Test
    void growsExponentiallyUntilTheCap() {
        assertThat(backoff.withJitter(0).delay(0, NO_JITTER_DRAW))
                .isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.withJitter(0).delay(1, NO_JITTER_DRAW))
                .isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.withJitter(0).delay(3, NO_JITTER_DRAW))
                .isEqualTo(Duration.ofMillis(800));
        assertThat(backoff.withJitter(0).delay(5, NO_JITTER_DRAW)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void hugeAttemptNumbersStayAtTheCap() {
        assertThat(backoff.withJitter(0).delay(10_000, NO_JITTER_DRAW))
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.delay(Integer.MAX_VALUE, new SplittableRandom(1)))
                .isLessThanOrEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void jitterShortensWithinTheConfiguredFraction() {
        RandomGenerator random = new SplittableRandom(42);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 1000; i++) {
            long ms = backoff.delay(2, random).toMillis();
            min = Math.min(min, ms);
            max = Math.max(max, ms);
        }
        // base 400 ms, jitter 50 % → [200, 400]; over 1000 draws both ends are approached and the
        // spread is real
        assertThat(min).isGreaterThanOrEqualTo(200).isLessThan(220);
        assertThat(max).isLessThanOrEqualTo(400).isGreaterThan(380);
    }

    @Test
    void jitterAppliesAtTheCapToo() {
        RandomGenerator alwaysAlmostOne =
                new RandomGenerator() {
                    @Override
                    public long nextLong() {
                        return -1L;
                    }

                    @Override
                    public double nextDouble() {
                        return 0.999;
                    }
                };
        assertThat(backoff.delay(20, alwaysAlmostOne).toMillis()).isBetween(1000L, 1010L);
    }

    @Test
    void defaultCapsAtFifteenSeconds() {
        assertThat(Backoff.DEFAULT.withJitter(0).delay(100, NO_JITTER_DRAW))
                .isEqualTo(Duration.ofSeconds(15));
        assertThat(Backoff.DEFAULT.withJitter(0).delay(0, NO_JITTER_DRAW))
                .isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 2, 0))
                .hasMessageContaining("initial delay must be positive");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 0))
                .hasMessageContaining("shorter than the initial delay");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0.5, 0))
                .hasMessageContaining("multiplier");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 2, 1.5))
                .hasMessageContaining("jitter");
        assertThatThrownBy(() -> backoff.delay(-1, NO_JITTER_DRAW)).hasMessageContaining("attempt");
    }
}
