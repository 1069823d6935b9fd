package io.jenkins.plugins.mesosagents.pool;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The warm pools of one cloud: records when builds arrive for each template, and on each check
 * tells what a template's pool should hold, how many agents to launch to get there, and whether an
 * idle agent is kept or may be released. The adaptive rate is the larger of the rates over {@link
 * #SHORT_WINDOW} (reacts to a burst) and {@link #LONG_WINDOW} (remembers steady demand). Memory is
 * bounded: {@link #ARRIVALS_KEPT} arrival times per template, and templates no longer configured
 * are forgotten by {@link #retain}. Thread-safe (Jenkins' queue listener, periodic work and
 * retention checks call it from their own threads).
 */
public final class WarmPools {
    static final Duration SHORT_WINDOW = Duration.ofMinutes(1);
    static final Duration LONG_WINDOW = Duration.ofMinutes(10);
    static final int ARRIVALS_KEPT = 4096;

    /** Builds queued within this span of each other count as one burst. */
    static final Duration BURST_SPAN = Duration.ofSeconds(2);

    /** Used for time to online until the template has connected an agent. */
    public static final Duration DEFAULT_TIME_TO_ONLINE = Duration.ofSeconds(30);

    private final Clock clock;
    private final Clock windowClock;
    private final PoolPlanner planner = new PoolPlanner();
    private final Map<String, ArrivalRate> arrivals = new HashMap<>();
    private final Map<String, IdleMeter> meters = new HashMap<>();

    /**
     * @param clock measures arrivals and idle time
     * @param windowClock the wall clock (and zone) warm windows are read on; the same clock in
     *     Jenkins, a compressed day in the benchmark
     */
    public WarmPools(Clock clock, Clock windowClock) {
        this.clock = clock;
        this.windowClock = windowClock;
    }

    /** A build that one of this template's agents could run entered the queue. */
    public synchronized void arrived(String template) {
        arrivals.computeIfAbsent(template, t -> new ArrivalRate(ARRIVALS_KEPT, clock.instant()))
                .arrived(clock.instant());
    }

    /** Builds per second recently arriving for the template (the larger of the two windows). */
    public synchronized double arrivalsPerSecond(String template) {
        ArrivalRate rate = arrivals.get(template);
        if (rate == null) {
            return 0;
        }
        Instant now = clock.instant();
        return Math.max(rate.perSecond(now, SHORT_WINDOW), rate.perSecond(now, LONG_WINDOW));
    }

    /** The most builds queued within {@link #BURST_SPAN} over the long window. */
    public synchronized int largestBurst(String template) {
        return burst(template).builds();
    }

    private synchronized Burst burst(String template) {
        ArrivalRate rate = arrivals.get(template);
        if (rate == null) {
            return Burst.NONE;
        }
        Instant now = clock.instant();
        return new Burst(
                rate.largestBurst(now, LONG_WINDOW, BURST_SPAN),
                BURST_SPAN,
                rate.observed(now, LONG_WINDOW));
    }

    /** The pool's target now. {@code timeToOnline} empty: none measured yet. */
    public PoolTarget target(String template, WarmPool pool, Optional<Duration> timeToOnline) {
        return planner.target(
                pool,
                ZonedDateTime.now(windowClock),
                arrivalsPerSecond(template),
                pool.adaptive() ? burst(template) : Burst.NONE,
                timeToOnline.orElse(DEFAULT_TIME_TO_ONLINE));
    }

    /**
     * One check of a template's pool: records its idle agents for the cost meter and says how many
     * agents to launch now.
     */
    public PoolState check(
            String template,
            WarmPool pool,
            int idle,
            int launching,
            Optional<Duration> timeToOnline) {
        PoolTarget target = target(template, pool, timeToOnline);
        double minutes;
        synchronized (this) {
            IdleMeter meter = meters.computeIfAbsent(template, t -> new IdleMeter());
            meter.observe(clock.instant(), idle);
            minutes = meter.idleAgentMinutes();
        }
        return new PoolState(
                template, target, idle, launching, target.missing(idle, launching), minutes);
    }

    /**
     * Whether an idle agent of the template is kept rather than released; {@code idle} counts it.
     */
    public boolean keepsIdle(
            String template, WarmPool pool, int idle, Optional<Duration> timeToOnline) {
        return !pool.isOff() && target(template, pool, timeToOnline).keeps(idle);
    }

    /** Forgets templates that are no longer configured. */
    public synchronized void retain(Collection<String> templates) {
        arrivals.keySet().retainAll(templates);
        meters.keySet().retainAll(templates);
    }
}
