package io.jenkins.plugins.mesosagents.accounting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

class UsageWindowTest {
    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

    @Test
    void ranksJobsAndTheirFoldersByCpuSeconds() {
        UsageWindow w = new UsageWindow(Duration.ofHours(1), 24, 50);
        w.record("team-a/app/main", 100, 10, T0);
        w.record("team-a/app/pr-1", 30, 3, T0.plusSeconds(60));
        w.record("team-b/lib", 120, 12, T0.plusSeconds(120));
        w.record("root-job", 5, 1, T0.plusSeconds(180));

        assertThat(w.topJobs(T0.plusSeconds(200), 10))
                .extracting(UsageWindow.Ranked::name, UsageWindow.Ranked::cpuSeconds)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("team-b/lib", 120.0),
                        org.assertj.core.groups.Tuple.tuple("team-a/app/main", 100.0),
                        org.assertj.core.groups.Tuple.tuple("team-a/app/pr-1", 30.0),
                        org.assertj.core.groups.Tuple.tuple("root-job", 5.0));
        assertThat(w.topFolders(T0.plusSeconds(200), 10))
                .extracting(UsageWindow.Ranked::name, UsageWindow.Ranked::cpuSeconds)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("team-a", 130.0),
                        org.assertj.core.groups.Tuple.tuple("team-a/app", 130.0),
                        org.assertj.core.groups.Tuple.tuple("team-b", 120.0));
        assertThat(w.topFolders(T0.plusSeconds(200), 10).get(0).gbSeconds()).isEqualTo(13.0);
        assertThat(w.topJobs(T0.plusSeconds(200), 2)).hasSize(2);
        assertThat(w.topJobs(T0, 10).get(0).approximate()).isFalse();
    }

    @Test
    void usageOlderThanTheWindowDropsOut() {
        UsageWindow w = new UsageWindow(Duration.ofHours(1), 24, 50);
        w.record("old", 1000, 1, T0);
        w.record("new", 1, 1, T0.plus(Duration.ofHours(23)));
        assertThat(w.topJobs(T0.plus(Duration.ofHours(23)), 10))
                .extracting(UsageWindow.Ranked::name)
                .containsExactly("old", "new");
        assertThat(w.topJobs(T0.plus(Duration.ofHours(24)), 10))
                .extracting(UsageWindow.Ranked::name)
                .containsExactly("new");
        // a late report for a bucket the ring already reused is dropped, not counted as new
        w.record("late", 5, 1, T0.plus(Duration.ofHours(23)));
        w.record("newer", 5, 1, T0.plus(Duration.ofHours(47)));
        w.record("late", 5, 1, T0.plus(Duration.ofHours(23)));
        assertThat(w.topJobs(T0.plus(Duration.ofHours(47)), 10))
                .extracting(UsageWindow.Ranked::name)
                .containsExactly("newer");
    }

    /**
     * The memory bound: however many distinct jobs report, at most buckets × 2 × names counters
     * exist, and a job that used much more than the rest is still ranked first (Space-Saving's
     * guarantee), marked approximate only if its counter inherited a count.
     */
    @Test
    void memoryStaysBoundedForAnyNumberOfJobsAndTheHeavyJobStaysOnTop() {
        UsageWindow w = new UsageWindow(Duration.ofMinutes(10), 6, 20);
        assertThat(w.maxCounters()).isEqualTo(6 * 2 * 20);
        int distinct = 100_000;
        for (int i = 0; i < distinct; i++) {
            Instant at = T0.plusMillis(i * 36L); // spread over one hour: all six buckets
            w.record("folder-" + (i % 997) + "/job-" + i, 1, 0.5, at);
            if (i % 50 == 0) {
                w.record("big/heavy", 40, 20, at);
            }
            assertThat(w.counters()).isLessThanOrEqualTo(w.maxCounters());
        }
        assertThat(w.counters()).isEqualTo(w.maxCounters());
        List<UsageWindow.Ranked> top = w.topJobs(T0.plus(Duration.ofMinutes(59)), 3);
        assertThat(top.get(0).name()).isEqualTo("big/heavy");
        // the true count is 2000 reports × 40; Space-Saving never under-counts a tracked name
        assertThat(top.get(0).cpuSeconds()).isGreaterThanOrEqualTo(2000 * 40);
        assertThat(top.get(0).cpuSeconds() - top.get(0).overCount()).isLessThanOrEqualTo(2000 * 40);
        assertThat(w.topFolders(T0.plus(Duration.ofMinutes(59)), 1).get(0).name()).isEqualTo("big");
    }

    @Test
    void refusesAWindowWithoutRoom() {
        assertThatThrownBy(() -> new UsageWindow(Duration.ZERO, 24, 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UsageWindow(Duration.ofHours(1), 24, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void foldersOfAJobAreItsPathPrefixes() {
        assertThat(UsageWindow.folders("a/b/c")).containsExactly("a", "a/b");
        assertThat(UsageWindow.folders("top")).isEmpty();
    }
}
