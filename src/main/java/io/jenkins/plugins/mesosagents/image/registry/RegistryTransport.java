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
 * call authenticated for its scopes (credentials go only to the registry's own host:port, never to
 * an upload location or redirect elsewhere), retried on 5xx and connection failures with
 * exponential backoff when the request can be replayed, waited out on 429 as {@code Retry-After}
 * says, and re-authenticated once when a token went stale or the registry changed its challenge.
 */
final class RegistryTransport {
    private final String registry;
    private volatile HttpUrl base;
    private final OkHttpClient http;
    private final OkHttpClient patientHttp;
    private final RegistryAuthenticator auth;
    private final RegistryErrors errors;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final boolean insecure;
    private final RateLimits rateLimits;
    private volatile boolean pinged;
    private final Object pingLock = new Object();

    RegistryTransport(
            String registry,
            HttpUrl base,
            OkHttpClient http,
            RegistryAuthenticator auth,
            RegistryErrors errors,
            int maxAttempts,
            Duration initialBackoff,
            boolean insecure,
            RateLimits rateLimits) {
        this.registry = registry;
        this.base = base;
        this.http = http;
        // a registry may checksum and move a multi-GB blob before it answers the final PUT: no
        // bytes flow meanwhile, so that wait is not bounded by the idle read timeout (neither
        // containers/image nor go-containerregistry sets one)
        this.patientHttp = http.newBuilder().readTimeout(Duration.ZERO).build();
        this.auth = auth;
        this.errors = errors;
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.insecure = insecure;
        this.rateLimits = rateLimits;
    }

    HttpUrl base() {
        return base;
    }

    /**
     * {@code GET /v2/}: checks this is a v2 registry and records its auth challenge. An insecure
     * registry that does not speak TLS is tried again over plain HTTP (containers/image
     * docker/docker_client.go L941-944).
     */
    void ping() throws IOException {
        synchronized (pingLock) { // parallel blob copies must not each switch the scheme
            pingOrFallBack();
        }
    }

    private void pingOrFallBack() throws IOException {
        try {
            pingOnce();
        } catch (RegistryException e) {
            if (!insecure || !base.isHttps() || e.status() != 0) {
                throw e;
            }
            base = base.newBuilder().scheme("http").port(portOf(base, registry)).build();
            pingOnce();
        }
    }

    private static int portOf(HttpUrl url, String registry) {
        return registry.matches(".*:[0-9]+$") ? url.port() : 80;
    }

    private void pingOnce() throws IOException {
        Request request = new Request.Builder().url(base.resolve("v2/")).get().build();
        for (int attempt = 1; ; attempt++) {
            Response response = execute(http, request, "reach");
            try (response) {
                if (response.code() == 429) {
                    rateLimits.await(response, attempt, true, "reach");
                    continue;
                }
                if (response.code() == 401) {
                    auth.challenge(preferred(response));
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
                return;
            }
        }
    }

    private static Challenge preferred(Response response) {
        List<Challenge> challenges = Challenge.parse(response.header("WWW-Authenticate"));
        return challenges.stream()
                .filter(Challenge::isBearer)
                .findFirst()
                .orElse(challenges.isEmpty() ? null : challenges.get(0));
    }

    Challenge challenge() throws IOException {
        ensurePinged();
        return auth.challenge();
    }

    private void ensurePinged() throws IOException {
        if (!pinged) {
            synchronized (pingLock) {
                if (!pinged) {
                    pingOrFallBack();
                }
            }
        }
    }

    /** Fetches (or finds cached) the authorization for {@code scopes}, sending nothing else. */
    void authorize(List<String> scopes) throws IOException {
        ensurePinged();
        auth.authorization(scopes);
    }

    Response send(Request.Builder builder, List<String> scopes, boolean replayable, String what)
            throws IOException {
        return send(builder, scopes, replayable, what, false);
    }

    /**
     * Authenticates, sends, retries 5xx/connection failures (if replayable), waits out 429 and
     * re-authenticates once after a stale-token 401.
     *
     * @param patient wait for the answer however long the registry takes (completing an upload)
     */
    Response send(
            Request.Builder builder,
            List<String> scopes,
            boolean replayable,
            String what,
            boolean patient)
            throws IOException {
        ensurePinged();
        boolean reauthenticated = false;
        int rateLimited = 0;
        for (int attempt = 1; ; attempt++) {
            String authorization = null;
            // go-containerregistry pkg/v1/remote/transport/bearer.go L200-210: Authorization only
            // for the registry's own host; an upload Location may be elsewhere (S3, a CDN)
            if (sameHost(builder.build().url())) {
                authorization = auth.authorization(scopes);
            }
            if (authorization != null) {
                builder.header("Authorization", authorization);
            } else {
                builder.removeHeader("Authorization");
            }
            Response response;
            try {
                response = execute(patient ? patientHttp : http, builder.build(), what);
            } catch (RegistryException e) {
                if (replayable
                        && attempt < maxAttempts
                        && e.reason() == RegistryException.Reason.UNAVAILABLE) {
                    sleep(backoff(attempt));
                    continue;
                }
                throw e;
            }
            if (response.code() == 429) {
                rateLimited++;
                try (response) {
                    rateLimits.await(response, rateLimited, replayable, what);
                }
                attempt--; // a rate limit is not a failure of the request
                continue;
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
                Challenge fresh = preferred(response);
                boolean newScheme =
                        fresh != null
                                && (auth.challenge() == null
                                        || !fresh.scheme()
                                                .equalsIgnoreCase(auth.challenge().scheme()));
                if (newScheme || (auth.challenge() != null && auth.challenge().isBearer())) {
                    if (newScheme) {
                        auth.challenge(fresh);
                    }
                    auth.invalidate(scopes, authorization);
                    reauthenticated = true;
                    response.close();
                    continue;
                }
            }
            if (RegistryErrors.retryable(response.code()) && replayable && attempt < maxAttempts) {
                response.close();
                sleep(backoff(attempt));
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

    private boolean sameHost(HttpUrl url) {
        return url.host().equalsIgnoreCase(base.host())
                && url.port() == base.port()
                && url.scheme().equals(base.scheme());
    }

    private Response execute(OkHttpClient client, Request request, String what) throws IOException {
        try {
            return client.newCall(request).execute();
        } catch (UploadSourceException e) {
            // the blob being uploaded could not be read from where it comes from: its failure,
            // not this registry's
            throw e.getCause();
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
                            + "). If the registry uses a private CA, give its CA certificates"
                            + " (caCertificates); mark the registry insecure only for registries"
                            + " on a trusted network without TLS or with a self-signed"
                            + " certificate",
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
                            + "); check the host, port, network and proxy",
                    e);
        }
    }

    private long backoff(int attempt) {
        return initialBackoff.toMillis() << Math.min(attempt - 1, 6);
    }

    private void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(
                    "interrupted while backing off from registry " + registry);
        }
    }
}
