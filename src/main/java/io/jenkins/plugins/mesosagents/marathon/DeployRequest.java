package io.jenkins.plugins.mesosagents.marathon;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one deploy needs. The definition comes either as JSON text ({@code definitionJson},
 * e.g. the workspace's marathon.json, named {@code sourceName} in messages) or as a map. A null
 * {@code timeout}, {@code settleTime} or {@code rollbackTimeout} is derived from the app's health
 * checks, upgrade strategy and instance count ({@link RolloutTiming}). See docs/marathon-deploy.md
 * for each field's meaning and default.
 */
public record DeployRequest(
        String definitionJson,
        Map<String, ?> definitionMap,
        String sourceName,
        Map<String, String> environment,
        Overrides overrides,
        boolean force,
        boolean partialUpdate,
        Duration timeout,
        boolean rollbackOnFailure,
        int maxTaskFailures,
        Duration pollInterval,
        Path renderedFile,
        boolean dryRun,
        Duration settleTime,
        Duration rollbackTimeout) {

    public static final String DEFAULT_FILE = "marathon.json";

    /** A common explicit deadline; without one the deadline is derived ({@link RolloutTiming}). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);
    public static final int DEFAULT_MAX_TASK_FAILURES = 3;

    public DeployRequest {
        if ((definitionJson == null) == (definitionMap == null)) {
            throw new IllegalArgumentException(
                    "Give the app definition either as JSON text or as a map (exactly one)");
        }
        Objects.requireNonNull(sourceName, "sourceName");
        environment = Map.copyOf(environment == null ? Map.of() : environment);
        overrides = overrides == null ? Overrides.NONE : overrides;
        Objects.requireNonNull(pollInterval, "pollInterval");
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException(
                    "The deploy timeout must be positive (or left out to derive it), got "
                            + timeout);
        }
        if (settleTime != null && settleTime.isNegative()) {
            throw new IllegalArgumentException(
                    "The settle time must be 0 (no settling) or more, got " + settleTime);
        }
        if (rollbackTimeout != null && (rollbackTimeout.isNegative() || rollbackTimeout.isZero())) {
            throw new IllegalArgumentException(
                    "The rollback timeout must be positive (or left out to derive it), got "
                            + rollbackTimeout);
        }
        if (maxTaskFailures < 0) {
            throw new IllegalArgumentException(
                    "maxTaskFailures must be 0 (never fail early) or more, got " + maxTaskFailures);
        }
    }

    public static Builder fromJson(String json, String sourceName) {
        return new Builder(json, null, sourceName);
    }

    public static Builder fromMap(Map<String, ?> definition) {
        return new Builder(null, new LinkedHashMap<>(definition), "(app definition map)");
    }

    /** Builder with the defaults documented in docs/marathon-deploy.md. */
    public static final class Builder {
        private final String json;
        private final Map<String, ?> map;
        private final String sourceName;
        private Map<String, String> environment = Map.of();
        private Overrides overrides = Overrides.NONE;
        private boolean force;
        private boolean partialUpdate;
        private Duration timeout;
        private Duration settleTime;
        private Duration rollbackTimeout;
        private boolean rollbackOnFailure = true;
        private int maxTaskFailures = DEFAULT_MAX_TASK_FAILURES;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private Path renderedFile;
        private boolean dryRun;

        private Builder(String json, Map<String, ?> map, String sourceName) {
            this.json = json;
            this.map = map;
            this.sourceName = sourceName;
        }

        public Builder environment(Map<String, String> environment) {
            this.environment = environment;
            return this;
        }

        public Builder overrides(Overrides overrides) {
            this.overrides = overrides;
            return this;
        }

        public Builder force(boolean force) {
            this.force = force;
            return this;
        }

        public Builder partialUpdate(boolean partialUpdate) {
            this.partialUpdate = partialUpdate;
            return this;
        }

        /** The rollout deadline; null (the default) derives it from the app definition. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /**
         * How long to keep watching after Marathon finished the deployment; null (the default)
         * derives it from the health checks, zero skips settling.
         */
        public Builder settleTime(Duration settleTime) {
            this.settleTime = settleTime;
            return this;
        }

        /** How long to wait for a rollback to finish; null (the default) derives it. */
        public Builder rollbackTimeout(Duration rollbackTimeout) {
            this.rollbackTimeout = rollbackTimeout;
            return this;
        }

        public Builder rollbackOnFailure(boolean rollbackOnFailure) {
            this.rollbackOnFailure = rollbackOnFailure;
            return this;
        }

        public Builder maxTaskFailures(int maxTaskFailures) {
            this.maxTaskFailures = maxTaskFailures;
            return this;
        }

        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
            return this;
        }

        public Builder renderedFile(Path renderedFile) {
            this.renderedFile = renderedFile;
            return this;
        }

        public Builder dryRun(boolean dryRun) {
            this.dryRun = dryRun;
            return this;
        }

        public DeployRequest build() {
            return new DeployRequest(
                    json,
                    map,
                    sourceName,
                    environment,
                    overrides,
                    force,
                    partialUpdate,
                    timeout,
                    rollbackOnFailure,
                    maxTaskFailures,
                    pollInterval,
                    renderedFile,
                    dryRun,
                    settleTime,
                    rollbackTimeout);
        }
    }
}
