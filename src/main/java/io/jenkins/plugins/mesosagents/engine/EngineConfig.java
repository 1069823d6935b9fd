package io.jenkins.plugins.mesosagents.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Cloud-wide settings of the engine: identity (cloud name, Jenkins URL), caps, and the timing of
 * offer handling, revive, reconciliation and crash-loop backoff. Defaults suit production; tests
 * shorten them.
 */
public record EngineConfig(
        String cloudName,
        String jenkinsUrl,
        int maxAgents,
        double maxCpus,
        double maxMemMb,
        Duration offerHold,
        Duration declineShort,
        Duration declineLong,
        Duration reviveDebounce,
        Duration reconcileInterval,
        Duration reconcileRetryMin,
        Duration reconcileRetryMax,
        int crashLoopThreshold,
        Duration crashBackoffBase,
        Duration crashBackoffMax,
        Duration orphanGrace,
        boolean reserveGpuHosts,
        int diagnosticsHistory,
        Duration persistInterval,
        boolean firstFitBaseline,
        Duration agentReregisterTimeout) {

    public EngineConfig {
        Objects.requireNonNull(cloudName, "cloudName");
        Objects.requireNonNull(jenkinsUrl, "jenkinsUrl");
        if (!jenkinsUrl.endsWith("/")) {
            jenkinsUrl = jenkinsUrl + "/";
        }
    }

    public static Builder builder(String cloudName, String jenkinsUrl) {
        return new Builder(cloudName, jenkinsUrl);
    }

    /** Problems of these settings, each with the field name; empty when valid. */
    public List<TemplateProblem> problems() {
        List<TemplateProblem> p = new ArrayList<>();
        if (!cloudName.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
            p.add(
                    new TemplateProblem(
                            "cloudName",
                            "must be 1-63 letters, digits, '.', '_' or '-'; was '"
                                    + cloudName
                                    + "'"));
        }
        if (!jenkinsUrl.startsWith("http://") && !jenkinsUrl.startsWith("https://")) {
            p.add(
                    new TemplateProblem(
                            "jenkinsUrl",
                            "must be the http(s) URL agents use to reach Jenkins; was '"
                                    + jenkinsUrl
                                    + "'"));
        }
        if (maxAgents < 0 || maxCpus < 0 || maxMemMb < 0) {
            p.add(
                    new TemplateProblem(
                            "caps",
                            "maxAgents, maxCpus and maxMemMb must be 0 (unlimited) or more"));
        }
        if (crashLoopThreshold < 1) {
            p.add(new TemplateProblem("crashLoopThreshold", "must be at least 1"));
        }
        return p;
    }

    /** Collects the optional settings. */
    public static final class Builder {
        private final String cloudName;
        private final String jenkinsUrl;
        private int maxAgents;
        private double maxCpus;
        private double maxMemMb;
        private Duration offerHold = Duration.ofSeconds(2);
        private Duration declineShort = Duration.ofSeconds(5);
        private Duration declineLong = Duration.ofSeconds(600);
        private Duration reviveDebounce = Duration.ofSeconds(1);
        private Duration reconcileInterval = Duration.ofMinutes(15);
        private Duration reconcileRetryMin = Duration.ofSeconds(5);
        private Duration reconcileRetryMax = Duration.ofMinutes(2);
        private int crashLoopThreshold = 3;
        private Duration crashBackoffBase = Duration.ofSeconds(30);
        private Duration crashBackoffMax = Duration.ofMinutes(10);
        private Duration orphanGrace = Duration.ofMinutes(2);
        private boolean reserveGpuHosts = true;
        private int diagnosticsHistory = 20;
        private boolean firstFitBaseline;
        private Duration persistInterval = Duration.ofSeconds(1);
        private Duration agentReregisterTimeout = Duration.ofMinutes(10);

        private Builder(String cloudName, String jenkinsUrl) {
            this.cloudName = cloudName;
            this.jenkinsUrl = jenkinsUrl;
        }

        /** 0 = unlimited for each cap. */
        public Builder caps(int maxAgents, double maxCpus, double maxMemMb) {
            this.maxAgents = maxAgents;
            this.maxCpus = maxCpus;
            this.maxMemMb = maxMemMb;
            return this;
        }

        /**
         * Longest time an unused offer is kept for demand that may arrive; ZERO declines leftovers
         * at once.
         */
        public Builder offerHold(Duration v) {
            offerHold = v;
            return this;
        }

        /** Filter for offers declined while demand is unmet (they come back soon). */
        public Builder declineShort(Duration v) {
            declineShort = v;
            return this;
        }

        /**
         * Filter for offers declined when there is no demand (REVIVE clears it when demand
         * returns).
         */
        public Builder declineLong(Duration v) {
            declineLong = v;
            return this;
        }

        public Builder reviveDebounce(Duration v) {
            reviveDebounce = v;
            return this;
        }

        public Builder reconcileInterval(Duration v) {
            reconcileInterval = v;
            return this;
        }

        public Builder reconcileRetry(Duration min, Duration max) {
            reconcileRetryMin = min;
            reconcileRetryMax = max;
            return this;
        }

        /**
         * After this many consecutive launch failures a template backs off base·2^k, capped at max.
         */
        public Builder crashLoop(int threshold, Duration base, Duration max) {
            crashLoopThreshold = threshold;
            crashBackoffBase = base;
            crashBackoffMax = max;
            return this;
        }

        /** How long a running task may be unknown to Jenkins before it is killed as an orphan. */
        public Builder orphanGrace(Duration v) {
            orphanGrace = v;
            return this;
        }

        public Builder reserveGpuHosts(boolean v) {
            reserveGpuHosts = v;
            return this;
        }

        public Builder diagnosticsHistory(int v) {
            diagnosticsHistory = v;
            return this;
        }

        /**
         * Shortest time between two state saves; changes in between are saved by a later step or
         * tick.
         */
        public Builder persistInterval(Duration v) {
            persistInterval = v;
            return this;
        }

        /**
         * Benchmarks only: match like the incumbent plugin (first fit, one agent per offer) to
         * compare against.
         */
        public Builder firstFitBaseline(boolean v) {
            firstFitBaseline = v;
            return this;
        }

        /**
         * How long a task Mesos calls TASK_UNKNOWN or TASK_GONE_BY_OPERATOR ("may still be
         * running", mesos.proto) is reconciled and waited for before it counts as gone; default the
         * master's minimum {@code agent_reregister_timeout} (Mesos 1.11.0
         * src/master/constants.hpp:79), within which a failed-over master re-learns its tasks.
         */
        public Builder agentReregisterTimeout(Duration v) {
            agentReregisterTimeout = v;
            return this;
        }

        public EngineConfig build() {
            return new EngineConfig(
                    cloudName,
                    jenkinsUrl,
                    maxAgents,
                    maxCpus,
                    maxMemMb,
                    offerHold,
                    declineShort,
                    declineLong,
                    reviveDebounce,
                    reconcileInterval,
                    reconcileRetryMin,
                    reconcileRetryMax,
                    crashLoopThreshold,
                    crashBackoffBase,
                    crashBackoffMax,
                    orphanGrace,
                    reserveGpuHosts,
                    diagnosticsHistory,
                    persistInterval,
                    firstFitBaseline,
                    agentReregisterTimeout);
        }
    }
}
