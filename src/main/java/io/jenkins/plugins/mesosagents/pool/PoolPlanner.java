package io.jenkins.plugins.mesosagents.pool;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Locale;

/**
 * Sets a pool's target from its rules. The adaptive estimate treats the pool as stock that is
 * refilled after a delay: while a launched agent takes {@code timeToOnline} to come online, the
 * builds arriving in that time can only be served by agents already idle. With arrivals at rate λ,
 * their number in that time is Poisson with mean m = λ·T, and a build finds an idle agent when
 * fewer than k builds came before it in that time; so k = 1 + the smallest j with P(N ≤ j) ≥ {@link
 * #SERVICE_LEVEL}. Builds that arrive together (several jobs triggered by one push) are not
 * Poisson: the estimate is at least the largest recent burst, so a burst finds an agent for each
 * build, unless the rate explains that burst. Poisson arrivals cluster by chance (at 0.12 builds/s,
 * three builds within 2 s happen about every 8 minutes); such clusters are already in the Poisson
 * estimate, and keeping an agent for each would only add idle cost. A burst is taken as builds
 * queued together when, at rate λ, fewer than 1 − {@link #SERVICE_LEVEL} bursts as large are
 * expected in the observed window. The larger of the minimum, the covering windows and the estimate
 * wins; the maximum caps the result.
 */
public final class PoolPlanner {
    /** Share of builds that should find an idle agent when the rate estimate is right. */
    public static final double SERVICE_LEVEL = 0.95;

    public PoolTarget target(
            WarmPool pool, ZonedDateTime now, double arrivalsPerSecond, Duration timeToOnline) {
        return target(pool, now, arrivalsPerSecond, Burst.NONE, timeToOnline);
    }

    /** The target, with the largest recent burst of builds arriving together. */
    public PoolTarget target(
            WarmPool pool,
            ZonedDateTime now,
            double arrivalsPerSecond,
            Burst largestBurst,
            Duration timeToOnline) {
        if (pool.isOff()) {
            return PoolTarget.NONE;
        }
        PoolTarget best = new PoolTarget(pool.minIdle(), PoolTarget.Source.MINIMUM, "minimum");
        for (WarmWindow w : pool.windows()) {
            if (w.covers(now) && w.agents() > best.agents()) {
                best = new PoolTarget(w.agents(), PoolTarget.Source.WINDOW, "window " + w);
            }
        }
        if (pool.adaptive()) {
            int estimate = adaptive(arrivalsPerSecond, timeToOnline);
            if (estimate > best.agents()) {
                best =
                        new PoolTarget(
                                estimate,
                                PoolTarget.Source.ADAPTIVE,
                                String.format(
                                        Locale.ROOT,
                                        "adaptive: %.2f builds/s × %.1f s to online → %d",
                                        arrivalsPerSecond,
                                        timeToOnline.toMillis() / 1000.0,
                                        estimate));
            }
            if (largestBurst.builds() > best.agents()
                    && !explainedByRate(largestBurst, arrivalsPerSecond)) {
                best =
                        new PoolTarget(
                                largestBurst.builds(),
                                PoolTarget.Source.ADAPTIVE,
                                "adaptive: bursts of " + largestBurst.builds() + " builds at once");
            }
        }
        if (pool.maxIdle() > 0 && best.agents() > pool.maxIdle()) {
            best =
                    new PoolTarget(
                            pool.maxIdle(),
                            best.source(),
                            best.why() + ", capped at the maximum of " + pool.maxIdle());
        }
        return best;
    }

    /**
     * Whether Poisson arrivals at {@code arrivalsPerSecond} would be expected to produce a burst
     * this large somewhere in its window at least 1 − {@link #SERVICE_LEVEL} times. Each of the
     * λ·window arrivals starts such a burst when at least {@code builds} − 1 more follow within the
     * span (the usual approximation of the scan statistic for small probabilities): expected count
     * = λ·window · P(N ≥ builds − 1), N Poisson with mean λ·span.
     */
    static boolean explainedByRate(Burst burst, double arrivalsPerSecond) {
        if (burst.builds() <= 1) {
            return true;
        }
        double mean = arrivalsPerSecond * burst.span().toMillis() / 1000.0;
        double term = Math.exp(-mean);
        double below = 0;
        for (int j = 0; j < burst.builds() - 1; j++) {
            below += term;
            term *= mean / (j + 1);
        }
        double starts = arrivalsPerSecond * burst.window().toMillis() / 1000.0;
        return starts * Math.max(0, 1 - below) >= 1 - SERVICE_LEVEL;
    }

    /** The adaptive estimate alone (see the class comment). */
    static int adaptive(double arrivalsPerSecond, Duration timeToOnline) {
        if (arrivalsPerSecond <= 0) {
            return 0;
        }
        double mean = arrivalsPerSecond * timeToOnline.toMillis() / 1000.0;
        double term = Math.exp(-mean);
        double cdf = term;
        int j = 0;
        // the tail of a Poisson law shrinks fast; the bound only guards a huge, silly mean
        while (cdf < SERVICE_LEVEL && j < 10_000) {
            j++;
            term *= mean / j;
            cdf += term;
        }
        return j + 1;
    }
}
