package io.jenkins.plugins.mesosagents.pool;

import java.util.List;

/**
 * A template's warm-pool settings: keep at least {@code minIdle} idle agents; during a {@link
 * WarmWindow} keep its number instead when larger; when {@code adaptive}, keep what the template's
 * recent demand needs to start most builds at once; never keep more than {@code maxIdle} (0: no
 * ceiling beyond the template's instance cap). {@link #OFF} keeps nothing warm, as before pools.
 */
public record WarmPool(int minIdle, List<WarmWindow> windows, boolean adaptive, int maxIdle) {
    public static final WarmPool OFF = new WarmPool(0, List.of(), false, 0);

    public WarmPool {
        windows = List.copyOf(windows);
        if (minIdle < 0) {
            throw new InvalidWarmPoolException(
                    "minimum idle agents is " + minIdle + "; use 0 or more");
        }
        if (maxIdle < 0) {
            throw new InvalidWarmPoolException(
                    "maximum idle agents is " + maxIdle + "; use 0 (no maximum) or more");
        }
        if (maxIdle > 0 && minIdle > maxIdle) {
            throw new InvalidWarmPoolException(
                    "minimum idle agents ("
                            + minIdle
                            + ") is above the maximum ("
                            + maxIdle
                            + "); raise the maximum or lower the minimum");
        }
        for (WarmWindow w : windows) {
            if (maxIdle > 0 && w.agents() > maxIdle) {
                throw new InvalidWarmPoolException(
                        "the warm window '"
                                + w
                                + "' keeps more than the maximum of "
                                + maxIdle
                                + " idle agents; raise the maximum or lower the window");
            }
        }
        if (adaptive && maxIdle == 0) {
            throw new InvalidWarmPoolException(
                    "an adaptive warm pool needs a maximum of idle agents (it bounds what the pool"
                            + " may cost); set one, e.g. 4");
        }
    }

    /** Whether this pool keeps anything warm at any time. */
    public boolean isOff() {
        return minIdle == 0 && !adaptive && windows.stream().allMatch(w -> w.agents() == 0);
    }

    /**
     * The pool from its form and JCasC fields.
     *
     * @throws InvalidWarmPoolException naming the field and what to change
     */
    public static WarmPool of(int minIdle, String windows, boolean adaptive, int maxIdle) {
        return new WarmPool(minIdle, WarmWindow.parseAll(windows), adaptive, maxIdle);
    }
}
