package io.jenkins.plugins.mesosagents.mesos;

import okhttp3.OkHttpClient;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Everything a {@link SchedulerConnection} needs, built OkHttp-style: {@code
 * SchedulerConfig.builder(detector, identity).encoding(JSON).credentials(...).build()}. Immutable.
 */
public final class SchedulerConfig {
    /** The response timeout the scheduler HTTP API docs suggest. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(75);

    /** How long a call other than SUBSCRIBE may take before it counts as unanswered. */
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(10);

    /**
     * "If a scheduler doesn't receive a bunch (e.g., 5) of these heartbeats … it should …
     * resubscribe."
     */
    public static final int DEFAULT_MISSED_HEARTBEATS = 5;

    final MasterDetector masters;
    final FrameworkIdentity framework;
    final Encoding encoding;
    final Optional<MesosCredentials> credentials;
    final Optional<String> caBundlePem;
    final FrameworkIdStore frameworkIdStore;
    final Backoff backoff;
    final Duration requestTimeout;
    final Duration callTimeout;
    final int missedHeartbeats;
    final int maxRecordBytes;
    final Set<String> initiallySuppressedRoles;
    final Optional<OkHttpClient> httpClient;
    final Clock clock;
    final RandomGenerator random;

    private SchedulerConfig(Builder b) {
        masters = Objects.requireNonNull(b.masters, "masters");
        framework = Objects.requireNonNull(b.framework, "framework");
        encoding = b.encoding;
        credentials = Optional.ofNullable(b.credentials);
        caBundlePem = Optional.ofNullable(b.caBundlePem);
        frameworkIdStore = b.frameworkIdStore;
        backoff = b.backoff;
        requestTimeout = b.requestTimeout;
        callTimeout = b.callTimeout;
        missedHeartbeats = b.missedHeartbeats;
        maxRecordBytes = b.maxRecordBytes;
        initiallySuppressedRoles = Set.copyOf(b.initiallySuppressedRoles);
        httpClient = Optional.ofNullable(b.httpClient);
        clock = b.clock;
        random = b.random;
        credentials.ifPresent(
                c ->
                        framework
                                .principal()
                                .ifPresent(
                                        p -> {
                                            if (!p.equals(c.principal())) {
                                                throw new IllegalArgumentException(
                                                        "Framework principal '"
                                                                + p
                                                                + "' differs from the credentials'"
                                                                + " principal '"
                                                                + c.principal()
                                                                + "'; the master rejects such a"
                                                                + " SUBSCRIBE (400)");
                                            }
                                        }));
        credentials
                .filter(MesosCredentials.DcosServiceAccount.class::isInstance)
                .flatMap(c -> ((MesosCredentials.DcosServiceAccount) c).loginProblem(masters))
                .ifPresent(
                        problem -> {
                            masters.close(); // nobody will own a started ZooKeeper detector
                            throw new IllegalArgumentException(problem);
                        });
        if (!framework.roles().containsAll(initiallySuppressedRoles)) {
            throw new IllegalArgumentException(
                    "Suppressed roles "
                            + initiallySuppressedRoles
                            + " must be among the framework's roles "
                            + framework.roles());
        }
    }

    /** The connection built from this config owns {@code masters} and closes it when it closes. */
    public static Builder builder(MasterDetector masters, FrameworkIdentity framework) {
        return new Builder(masters, framework);
    }

    public FrameworkIdentity framework() {
        return framework;
    }

    public Encoding encoding() {
        return encoding;
    }

    @Override
    public String toString() {
        return "SchedulerConfig[masters="
                + masters
                + ", framework="
                + framework.name()
                + ", encoding="
                + encoding
                + ", credentials="
                + credentials.map(Object::toString).orElse("none")
                + ", tls="
                + (caBundlePem.isPresent() ? "custom CA" : "default")
                + "]";
    }

    /** Builder; only the detector and the identity are required. */
    public static final class Builder {
        private final MasterDetector masters;
        private final FrameworkIdentity framework;
        private Encoding encoding = Encoding.PROTOBUF;
        private MesosCredentials credentials;
        private String caBundlePem;
        private FrameworkIdStore frameworkIdStore = FrameworkIdStore.inMemory();
        private Backoff backoff = Backoff.DEFAULT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration callTimeout = DEFAULT_CALL_TIMEOUT;
        private int missedHeartbeats = DEFAULT_MISSED_HEARTBEATS;
        private int maxRecordBytes = RecordIoDecoder.DEFAULT_MAX_RECORD_BYTES;
        private final Set<String> initiallySuppressedRoles = new LinkedHashSet<>();
        private OkHttpClient httpClient;
        private Clock clock = Clock.systemUTC();
        private RandomGenerator random = RandomGenerator.getDefault();

        private Builder(MasterDetector masters, FrameworkIdentity framework) {
            this.masters = masters;
            this.framework = framework;
        }

        public Builder encoding(Encoding value) {
            encoding = Objects.requireNonNull(value);
            return this;
        }

        public Builder credentials(MesosCredentials value) {
            credentials = value;
            return this;
        }

        /**
         * Trust exactly the CA certificates of this PEM bundle for https masters (instead of the
         * JDK's).
         */
        public Builder caBundlePem(String pem) {
            caBundlePem = pem;
            return this;
        }

        public Builder frameworkIdStore(FrameworkIdStore value) {
            frameworkIdStore = Objects.requireNonNull(value);
            return this;
        }

        public Builder backoff(Backoff value) {
            backoff = Objects.requireNonNull(value);
            return this;
        }

        /**
         * Whole-call timeout of every call other than SUBSCRIBE (default 10 s): the master answers
         * a call at once (202) and acts on it afterwards, so a call that takes longer hangs, and
         * its failure says that it may or may not have taken effect.
         */
        public Builder callTimeout(Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("callTimeout must be positive, was " + value);
            }
            callTimeout = value;
            return this;
        }

        /** Connect timeout and the wait for the SUBSCRIBE response (default 75 s). */
        public Builder requestTimeout(Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("requestTimeout must be positive, was " + value);
            }
            requestTimeout = value;
            return this;
        }

        /** Reconnect when no event arrived for this many heartbeat intervals (default 5). */
        public Builder missedHeartbeats(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("missedHeartbeats must be >= 1, was " + value);
            }
            missedHeartbeats = value;
            return this;
        }

        public Builder maxRecordBytes(int value) {
            if (value <= 0) {
                throw new IllegalArgumentException("maxRecordBytes must be positive, was " + value);
            }
            maxRecordBytes = value;
            return this;
        }

        /**
         * Roles to subscribe suppressed (no offers until REVIVE), e.g. when there is no demand at
         * start.
         */
        public Builder initiallySuppressedRoles(Set<String> roles) {
            initiallySuppressedRoles.addAll(roles);
            return this;
        }

        /**
         * A client to share thread pools with; the connection derives its own from it (it is not
         * closed).
         */
        public Builder httpClient(OkHttpClient value) {
            httpClient = value;
            return this;
        }

        public Builder clock(Clock value) {
            clock = Objects.requireNonNull(value);
            return this;
        }

        public Builder random(RandomGenerator value) {
            random = Objects.requireNonNull(value);
            return this;
        }

        public SchedulerConfig build() {
            return new SchedulerConfig(this);
        }
    }
}
