package io.jenkins.plugins.mesosagents.image.registry;

import okhttp3.Response;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * What to do after a 429 from a registry or its token service: wait as long as {@code Retry-After}
 * says (or a doubling backoff when it says nothing), or give up with the server's own message when
 * the request cannot be repeated, the wait is too long or the attempts are used up
 * (containers/image docker/docker_client.go L57-59, L511-533, L577-593: 5 tries, at most 60 s).
 */
final class RateLimits {
    static final int ATTEMPTS = 5;
    static final Duration MAX_WAIT = Duration.ofSeconds(60);

    private final String registry;
    private final Duration initialBackoff;
    private final Clock clock;

    RateLimits(String registry, Duration initialBackoff, Clock clock) {
        this.registry = registry;
        this.initialBackoff = initialBackoff;
        this.clock = clock;
    }

    /**
     * After the {@code attempt}-th 429 in a row: sleeps and returns (then repeat the request), or
     * throws {@link RegistryException.Reason#RATE_LIMITED}.
     */
    void await(Response response, int attempt, boolean replayable, String what) throws IOException {
        Duration fallback =
                Duration.ofMillis(initialBackoff.toMillis() << Math.min(attempt - 1, 6));
        Duration retryAfter = retryAfter(response.header("Retry-After"));
        Duration wait = retryAfter != null ? retryAfter : fallback;
        if (!replayable || attempt >= ATTEMPTS || wait.compareTo(MAX_WAIT) > 0) {
            throw RegistryErrors.rateLimited(registry, response, what, retryAfter, attempt);
        }
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(
                    "interrupted while waiting out the rate limit of registry " + registry);
        }
    }

    /** Seconds or an HTTP date (RFC 9110 §10.2.3); null when absent, malformed or past. */
    Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim())));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until =
                        Duration.between(
                                clock.instant(),
                                ZonedDateTime.parse(
                                                header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                                        .toInstant());
                return until.isNegative() ? null : until;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }
}
