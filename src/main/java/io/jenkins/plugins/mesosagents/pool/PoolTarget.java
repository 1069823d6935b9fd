package io.jenkins.plugins.mesosagents.pool;

/**
 * How many idle agents a template's pool keeps now, which rule set that number, and the reason in
 * words for the cloud page ("window Mon-Fri 08:00-18:00 4", "adaptive: 0.20 builds/s × 12 s to
 * online → 5").
 */
public record PoolTarget(int agents, Source source, String why) {
    /** The rule that set a target. */
    public enum Source {
        OFF,
        MINIMUM,
        WINDOW,
        ADAPTIVE
    }

    public static final PoolTarget NONE = new PoolTarget(0, Source.OFF, "no warm pool");

    /** Agents to launch now so that idle plus launching agents reach the target. */
    public int missing(int idle, int launching) {
        return Math.max(0, agents - idle - launching);
    }

    /** Whether an idle agent is kept rather than released, {@code idle} counting it. */
    public boolean keeps(int idle) {
        return idle <= agents;
    }
}
