package io.jenkins.plugins.mesosagents.image.registry;

import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.SSLException;

/**
 * How {@link RegistryClient} talks to its registry: one ping to learn the challenge, then every
 * call authenticated for its scopes, retried on 429/5xx and connection failures with exponential
 * backoff when the request can be replayed, and re-authenticated once when a token went stale or
 * the registry changed its challenge.
 */
final class RegistryTransport {
    private final String registry;
    private final HttpUrl base;
    private final OkHttpClient http;
    private final RegistryAuthenticator auth;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private volatile boolean pinged;

    RegistryTransport(
            String registry,
            HttpUrl base,
            OkHttpClient http,
            RegistryAuthenticator auth,
            int maxAttempts,
            Duration initialBackoff) {
        this.registry = registry;
        this.base = base;
        this.http = http;
        this.auth = auth;
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
    }

    /** {@code GET /v2/}: checks this is a v2 registry and records its auth challenge. */
    void ping() throws IOException {
        Request request = new Request.Builder().url(base.resolve("v2/")).get().build();
        try (Response response = execute(request, "reach")) {
            if (response.code() == 401) {
                List<Challenge> challenges = Challenge.parse(response.header("WWW-Authenticate"));
                auth.challenge(
                        challenges.stream()
                                .filter(Challenge::isBearer)
                                .findFirst()
                                .orElse(challenges.isEmpty() ? null : challenges.get(0)));
            } else if (!response.isSuccessful()) {
                throw new RegistryException(
                        RegistryException.Reason.NOT_A_REGISTRY,
                        response.code(),
                        "The server at "
                                + base
                                + " is not a Docker v2 registry (GET /v2/ answered HTTP "
                                + response.code()
                                + "); check the registry host and port");
            }
            pinged = true;
        }
    }

    Challenge challenge() throws IOException {
        ensurePinged();
        return auth.challenge();
    }

    private void ensurePinged() throws IOException {
        if (!pinged) {
            ping();
        }
    }

    /**
     * Authenticates, sends, retries 5xx/connection failures (if replayable) and one stale-token
     * 401.
     */
    Response send(Request.Builder builder, List<String> scopes, boolean replayable, String what)
            throws IOException {
        ensurePinged();
        boolean reauthenticated = false;
        for (int attempt = 1; ; attempt++) {
            String authorization = auth.authorization(scopes);
            if (authorization != null) {
                builder.header("Authorization", authorization);
            }
            Response response;
            try {
                response = execute(builder.build(), what);
            } catch (RegistryException e) {
                if (replayable
                        && attempt < maxAttempts
                        && e.reason() == RegistryException.Reason.UNAVAILABLE) {
                    sleep(attempt);
                    continue;
                }
                throw e;
            }
            if (response.code() == 401
                    && replayable
                    && !reauthenticated
                    && RegistryErrors.insufficientScope(response)
                    && auth.useExactTokens(scopes)) {
                reauthenticated = true;
                response.close();
                continue;
            }
            if (response.code() == 401
                    && replayable
                    && !reauthenticated
                    && !RegistryErrors.insufficientScope(response)) {
                List<Challenge> challenges = Challenge.parse(response.header("WWW-Authenticate"));
                Challenge fresh =
                        challenges.stream()
                                .filter(Challenge::isBearer)
                                .findFirst()
                                .orElse(challenges.isEmpty() ? null : challenges.get(0));
                boolean newScheme =
                        fresh != null
                                && (auth.challenge() == null
                                        || !fresh.scheme()
                                                .equalsIgnoreCase(auth.challenge().scheme()));
                if (newScheme || (auth.challenge() != null && auth.challenge().isBearer())) {
                    if (newScheme) {
                        auth.challenge(fresh);
                    }
                    auth.invalidate(scopes);
                    reauthenticated = true;
                    response.close();
                    continue;
                }
            }
            if (RegistryErrors.retryable(response.code()) && replayable && attempt < maxAttempts) {
                response.close();
                sleep(attempt);
                continue;
            }
            if (RegistryErrors.retryable(response.code())) {
                response.close();
                throw new RegistryException(
                        RegistryException.Reason.UNAVAILABLE,
                        response.code(),
                        "Registry "
                                + registry
                                + " failed to "
                                + what
                                + ": HTTP "
                                + response.code()
                                + " after "
                                + attempt
                                + " attempt(s); the registry"
                                + " is overloaded or broken, try again later");
            }
            return response;
        }
    }

    private Response execute(Request request, String what) throws IOException {
        try {
            return http.newCall(request).execute();
        } catch (SSLException e) {
            throw new RegistryException(
                    RegistryException.Reason.NOT_A_REGISTRY,
                    0,
                    "TLS with registry "
                            + registry
                            + " failed while trying to "
                            + what
                            + " ("
                            + e.getMessage()
                            + "). If the registry uses a private CA, add that CA to the trust"
                            + " store; use plain HTTP only for registries without TLS",
                    e);
        } catch (IOException e) {
            throw new RegistryException(
                    RegistryException.Reason.UNAVAILABLE,
                    0,
                    "Cannot reach registry "
                            + registry
                            + " at "
                            + request.url().scheme()
                            + "://"
                            + request.url().host()
                            + ":"
                            + request.url().port()
                            + " to "
                            + what
                            + " ("
                            + e.getMessage()
                            + "); check the host, port and network",
                    e);
        }
    }

    private void sleep(int attempt) throws IOException {
        long millis = initialBackoff.toMillis() << Math.min(attempt - 1, 6);
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(
                    "interrupted while backing off from registry " + registry);
        }
    }
}
