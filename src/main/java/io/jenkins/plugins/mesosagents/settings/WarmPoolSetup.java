package io.jenkins.plugins.mesosagents.settings;

import io.jenkins.plugins.mesosagents.engine.TemplateProblem;
import io.jenkins.plugins.mesosagents.pool.InvalidWarmPoolException;
import io.jenkins.plugins.mesosagents.pool.WarmPool;

import java.util.List;

/**
 * A template's warm pool as configured: the fields of the form's "Keep agents warm" section (and
 * of its JCasC {@code warmPool:} block), named exactly like them. {@link #toWarmPool} is the one
 * place they become the {@link WarmPool} the cloud keeps.
 */
public record WarmPoolSetup(int minIdle, String windows, boolean adaptive, int maxIdle) {
    public WarmPoolSetup {
        windows = windows == null ? "" : windows;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The pool, or null with the problem (named {@code warmPool.<field>}) added to {@code
     * problems}.
     */
    public WarmPool toWarmPool(List<TemplateProblem> problems) {
        try {
            return WarmPool.of(minIdle, windows, adaptive, maxIdle);
        } catch (InvalidWarmPoolException e) {
            problems.add(new TemplateProblem("warmPool." + field(e.getMessage()), e.getMessage()));
            return null;
        }
    }

    /** The form field a pool problem is about, from the words its message starts with. */
    private static String field(String message) {
        if (message.startsWith("warm windows") || message.startsWith("the warm window")) {
            return "windows";
        }
        if (message.startsWith("minimum")) {
            return "minIdle";
        }
        return "maxIdle";
    }

    /** Builds a setup; every field has the form's default. */
    public static final class Builder {
        private int minIdle;
        private String windows = "";
        private boolean adaptive;
        private int maxIdle;

        private Builder() {}

        public Builder minIdle(int v) {
            this.minIdle = v;
            return this;
        }

        public Builder windows(String v) {
            this.windows = v;
            return this;
        }

        public Builder adaptive(boolean v) {
            this.adaptive = v;
            return this;
        }

        public Builder maxIdle(int v) {
            this.maxIdle = v;
            return this;
        }

        public WarmPoolSetup build() {
            return new WarmPoolSetup(minIdle, windows, adaptive, maxIdle);
        }
    }
}
