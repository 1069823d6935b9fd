package io.jenkins.plugins.mesosagents.testcluster.registry;

import io.jenkins.plugins.mesosagents.image.Digest;

import okhttp3.HttpUrl;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * An in-process Docker Registry v2 fake that can play the quirks of hosted registries which the
 * open-source distribution server never shows, so the client's handling of each is tested: 202 to a
 * cross-repository mount (ECR), 401 to a mount (a robot account that cannot read the source),
 * upload {@code Location}s and blob redirects on another host (S3/CDN-backed registries; the other
 * host must not receive {@code Authorization}), a slow final PUT (registries that checksum and move
 * a large blob before answering), a final PUT that stores the blob and still fails (a gateway
 * timing out), 429 with {@code Retry-After} and Docker Hub's TOOMANYREQUESTS message, a per-request
 * PATCH cap (GHCR, 4 MiB), PATCH answered 204, 429 from the token service, missing or malformed
 * {@code Docker-Content-Digest}, and a token service with the OAuth2 refresh-token grant
 * (docker/distribution docs/spec/auth/oauth.md) whose tokens can be revoked.
 *
 * <p>Two listeners on 127.0.0.1: the registry itself and a "storage" host (another port, hence
 * another host for credential purposes) that serves redirected blobs and foreign upload locations.
 * Everything both receive is recorded with its {@code Authorization} header.
 */
public final class QuirkyRegistry implements AutoCloseable {
    /** One request as received: which listener, method, path and Authorization (or null). */
    public record Call(boolean storageHost, String method, String path, String authorization) {}

    private final MockWebServer registry = new MockWebServer();
    private final MockWebServer storage = new MockWebServer();
    private final Map<String, Map<String, byte[]>> blobs = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Stored>> manifests = new ConcurrentHashMap<>();
    private final Map<String, Upload> uploads = new ConcurrentHashMap<>();
    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> validTokens = ConcurrentHashMap.newKeySet();
    private final Map<String, String> refreshTokens = new ConcurrentHashMap<>();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final List<String> tokenRequestForms = Collections.synchronizedList(new ArrayList<>());

    private volatile String user;
    private volatile String password;
    private volatile boolean tokenAuth;
    private volatile int mountStatus;
    private volatile boolean uploadsElsewhere;
    private volatile boolean redirectBlobGets;
    private volatile boolean tamperBlobGets;
    private volatile boolean refuseManifestHeads;
    private volatile Duration finalPutDelay = Duration.ZERO;
    private final AtomicInteger finalPutsToFailAfterStoring = new AtomicInteger();
    private volatile int patchCap = Integer.MAX_VALUE;
    private volatile int patchStatus = 202;
    private volatile String digestHeader = "present";
    private final AtomicLong rateLimitedUntil = new AtomicLong();
    private volatile long rateLimitWindowMillis;
    private volatile String retryAfter;
    private final AtomicInteger rateLimitsLeft = new AtomicInteger();
    private volatile Predicate<RecordedRequest> failWith500When = r -> false;
    private final AtomicInteger tokenRateLimitsLeft = new AtomicInteger();
    private volatile String tokenRetryAfter;
    private volatile Hold hold;

    /** Requests held back until enough of them are in flight together, to observe concurrency. */
    private record Hold(
            Predicate<RecordedRequest> which,
            java.util.concurrent.CountDownLatch together,
            Duration patience,
            AtomicInteger inFlight,
            AtomicInteger maxInFlight) {
        void await() {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            together.countDown();
            try {
                together.await(patience.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private record Stored(String mediaType, byte[] bytes) {}

    private static final class Upload {
        final String repository;
        final ByteArrayOutputStream data = new ByteArrayOutputStream();

        Upload(String repository) {
            this.repository = repository;
        }
    }

    private QuirkyRegistry() {}

    /** Starts both listeners on ephemeral ports of 127.0.0.1; no authentication until asked. */
    public static QuirkyRegistry start() throws IOException {
        QuirkyRegistry quirky = new QuirkyRegistry();
        Dispatcher dispatcher =
                new Dispatcher() {
                    @Override
                    public MockResponse dispatch(RecordedRequest request) {
                        return quirky.dispatch(request);
                    }
                };
        quirky.registry.setDispatcher(dispatcher);
        quirky.storage.setDispatcher(dispatcher);
        quirky.registry.start(InetAddress.getByName("127.0.0.1"), 0);
        quirky.storage.start(InetAddress.getByName("127.0.0.1"), 0);
        return quirky;
    }

    /** {@code 127.0.0.1:port} of the registry, as in image references. */
    public String hostPort() {
        return "127.0.0.1:" + registry.getPort();
    }

    public String storageHostPort() {
        return "127.0.0.1:" + storage.getPort();
    }

    /** HTTP Basic with one user. */
    public QuirkyRegistry basicAuth(String name, String secret) {
        this.user = name;
        this.password = secret;
        this.tokenAuth = false;
        return this;
    }

    /**
     * Bearer tokens from {@code /token}: GET with Basic (token.md), or POST with the OAuth2
     * password or refresh-token grant (oauth.md), which also hands out refresh tokens.
     */
    public QuirkyRegistry tokenAuth(String name, String secret) {
        this.user = name;
        this.password = secret;
        this.tokenAuth = true;
        return this;
    }

    /** A refresh token the OAuth2 endpoint accepts (as {@code docker login} would have stored). */
    public QuirkyRegistry refreshToken(String refreshToken) {
        refreshTokens.put(refreshToken, user);
        return this;
    }

    /** The registry refuses every token issued so far (they went stale). */
    public void revokeTokens() {
        validTokens.clear();
    }

    /** 0 = like distribution (201 if the source has it, else 202); 202 always (ECR); 401; 403. */
    public QuirkyRegistry mountAnswers(int status) {
        this.mountStatus = status;
        return this;
    }

    public QuirkyRegistry uploadsOnStorageHost(boolean value) {
        this.uploadsElsewhere = value;
        return this;
    }

    public QuirkyRegistry redirectBlobGetsToStorageHost(boolean value) {
        this.redirectBlobGets = value;
        return this;
    }

    /** Manifest HEADs are answered 405 (a registry or proxy that implements GET only). */
    public QuirkyRegistry refuseManifestHeads(boolean value) {
        this.refuseManifestHeads = value;
        return this;
    }

    /** Blob GETs deliver other bytes than the digest names (corrupted storage). */
    public QuirkyRegistry tamperBlobGets(boolean value) {
        this.tamperBlobGets = value;
        return this;
    }

    /** The final PUT of an upload answers only after this delay (headers included). */
    public QuirkyRegistry finalPutDelay(Duration delay) {
        this.finalPutDelay = delay;
        return this;
    }

    /** The next {@code count} final PUTs store the blob but answer 504 (a gateway gave up). */
    public QuirkyRegistry finalPutsStoreThenFail(int count) {
        finalPutsToFailAfterStoring.set(count);
        return this;
    }

    /** PATCH bodies over {@code bytes} are refused with 413; PATCHes answer {@code status}. */
    public QuirkyRegistry patches(int bytes, int status) {
        this.patchCap = bytes;
        this.patchStatus = status;
        return this;
    }

    /** "present", "missing" or "malformed" Docker-Content-Digest headers. */
    public QuirkyRegistry digestHeader(String mode) {
        this.digestHeader = mode;
        return this;
    }

    /**
     * Docker Hub-style rate limit: the next request is refused with 429, {@code Retry-After:
     * retryAfterHeader}, and so is every request in the following {@code windowMillis}; at most
     * {@code times} windows.
     */
    public QuirkyRegistry rateLimit(int times, String retryAfterHeader, long windowMillis) {
        rateLimitsLeft.set(times);
        this.retryAfter = retryAfterHeader;
        this.rateLimitWindowMillis = windowMillis;
        return this;
    }

    /**
     * The token service's own rate limit (Docker Hub's auth.docker.io answers 429 too): the next
     * {@code times} token requests are refused with 429 and {@code Retry-After: retryAfterHeader}.
     */
    public QuirkyRegistry tokenRateLimit(int times, String retryAfterHeader) {
        tokenRateLimitsLeft.set(times);
        this.tokenRetryAfter = retryAfterHeader;
        return this;
    }

    /**
     * Requests matching {@code which} (the token endpoint included) are answered only once {@code
     * together} of them have arrived, or after {@code patience}; {@link #maxInFlight()} then tells
     * how many were in flight at once (e.g. whether mounts go out in one wave).
     */
    public QuirkyRegistry holdUntilInFlight(
            Predicate<RecordedRequest> which, int together, Duration patience) {
        this.hold =
                new Hold(
                        which,
                        new java.util.concurrent.CountDownLatch(together),
                        patience,
                        new AtomicInteger(),
                        new AtomicInteger());
        return this;
    }

    /** The most requests the current {@link #holdUntilInFlight} hold saw in flight at once. */
    public int maxInFlight() {
        Hold current = hold;
        return current == null ? 0 : current.maxInFlight().get();
    }

    public QuirkyRegistry failWith500When(Predicate<RecordedRequest> predicate) {
        this.failWith500When = predicate;
        return this;
    }

    /** Seeds a blob into a repository. */
    public Digest putBlob(String repository, byte[] content) {
        Digest digest = Digest.sha256(content);
        blobs.computeIfAbsent(repository, r -> new ConcurrentHashMap<>())
                .put(digest.toString(), content);
        return digest;
    }

    public boolean hasBlob(String repository, Digest digest) {
        return blobs.getOrDefault(repository, Map.of()).containsKey(digest.toString());
    }

    /** Seeds a manifest under a tag (and its digest). */
    public Digest putManifest(String repository, String tag, String mediaType, byte[] bytes) {
        Digest digest = Digest.sha256(bytes);
        Map<String, Stored> repo =
                manifests.computeIfAbsent(repository, r -> new ConcurrentHashMap<>());
        repo.put(tag, new Stored(mediaType, bytes));
        repo.put(digest.toString(), new Stored(mediaType, bytes));
        return digest;
    }

    public boolean hasManifest(String repository, String reference) {
        return manifests.getOrDefault(repository, Map.of()).containsKey(reference);
    }

    public List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    public List<Call> calls(String method, String pathPart) {
        return calls().stream()
                .filter(c -> c.method().equals(method) && c.path().contains(pathPart))
                .toList();
    }

    public int tokenRequests() {
        return tokenRequests.get();
    }

    /** The form bodies POSTed to the token endpoint. */
    public List<String> tokenRequestForms() {
        synchronized (tokenRequestForms) {
            return List.copyOf(tokenRequestForms);
        }
    }

    private MockResponse dispatch(RecordedRequest request) {
        Hold current = hold;
        boolean held = current != null && current.which().test(request);
        if (held) {
            current.await();
        }
        MockResponse response;
        try {
            response = answer(request);
        } finally {
            if (held) {
                current.inFlight().decrementAndGet();
            }
        }
        // MockWebServer would write a body after a HEAD's headers and break the connection
        return request.getMethod().equals("HEAD") && response.getBody() != null
                ? response.setBody(new okio.Buffer())
                : response;
    }

    private MockResponse answer(RecordedRequest request) {
        boolean onStorage = request.getRequestUrl().port() == storage.getPort();
        String path = request.getPath();
        String method = request.getMethod();
        calls.add(new Call(onStorage, method, path, request.getHeader("Authorization")));
        if (path.startsWith("/token")) {
            return token(request);
        }
        if (rateLimited()) {
            return new MockResponse()
                    .setResponseCode(429)
                    .setHeader("Retry-After", retryAfter)
                    .setHeader("Content-Type", "application/json")
                    .setBody(
                            "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"You have"
                                    + " reached your pull rate limit. You may increase the limit"
                                    + " by authenticating and upgrading:"
                                    + " https://www.docker.com/increase-rate-limit\"}]}");
        }
        if (failWith500When.test(request)) {
            return new MockResponse().setResponseCode(500);
        }
        if (path.startsWith("/blobdata/")) {
            return blobData(path.substring("/blobdata/".length()));
        }
        if (path.startsWith("/upload/")) {
            if (!onStorage) {
                MockResponse refused = authenticate(request);
                if (refused != null) {
                    return refused;
                }
            }
            return upload(request);
        }
        MockResponse refused = authenticate(request);
        if (refused != null) {
            return refused;
        }
        if (path.equals("/v2/")) {
            return new MockResponse().setBody("{}");
        }
        String[] parts = HttpUrl.get("http://x" + path).encodedPath().substring(4).split("/");
        // /v2/<name...>/<kind>/<ref>
        int kindAt = -1;
        for (int i = parts.length - 2; i >= 0; i--) {
            if (parts[i].equals("blobs") || parts[i].equals("manifests")) {
                kindAt = i;
                break;
            }
        }
        if (kindAt <= 0) {
            return new MockResponse().setResponseCode(404);
        }
        String repository = String.join("/", List.of(parts).subList(0, kindAt));
        String kind = parts[kindAt];
        String rest = String.join("/", List.of(parts).subList(kindAt + 1, parts.length));
        if (kind.equals("blobs") && rest.equals("uploads")) {
            return startUpload(request, repository);
        }
        return kind.equals("blobs")
                ? blob(request, repository, rest)
                : manifest(request, repository, rest);
    }

    private boolean rateLimited() {
        long now = System.currentTimeMillis();
        if (now < rateLimitedUntil.get()) {
            return true;
        }
        if (rateLimitsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            rateLimitedUntil.set(now + rateLimitWindowMillis);
            return true;
        }
        return false;
    }

    private MockResponse authenticate(RecordedRequest request) {
        if (user == null) {
            return null;
        }
        String authorization = request.getHeader("Authorization");
        if (tokenAuth) {
            if (authorization != null
                    && authorization.startsWith("Bearer ")
                    && validTokens.contains(authorization.substring(7))) {
                return null;
            }
            String challenge =
                    "Bearer realm=\"http://"
                            + hostPort()
                            + "/token\",service=\"quirky\""
                            + (authorization == null ? "" : ",error=\"invalid_token\"");
            return unauthorized(challenge);
        }
        String expected =
                "Basic "
                        + Base64.getEncoder()
                                .encodeToString(
                                        (user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return expected.equals(authorization) ? null : unauthorized("Basic realm=\"quirky\"");
    }

    private static MockResponse unauthorized(String challenge) {
        return new MockResponse()
                .setResponseCode(401)
                .setHeader("WWW-Authenticate", challenge)
                .setHeader("Content-Type", "application/json")
                .setBody(
                        "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication"
                                + " required\"}]}");
    }

    private MockResponse token(RecordedRequest request) {
        tokenRequests.incrementAndGet();
        if (tokenRateLimitsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return new MockResponse()
                    .setResponseCode(429)
                    .setHeader("Retry-After", tokenRetryAfter)
                    .setHeader("Content-Type", "application/json")
                    .setBody(
                            "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"too many"
                                    + " token requests from this address\"}]}");
        }
        String grantedTo = null;
        String newRefreshToken = null;
        if (request.getMethod().equals("POST")) {
            String form = request.getBody().readUtf8();
            tokenRequestForms.add(form);
            HttpUrl parsed = HttpUrl.get("http://x/?" + form);
            String grant = parsed.queryParameter("grant_type");
            if ("refresh_token".equals(grant)) {
                grantedTo =
                        refreshTokens.remove(
                                String.valueOf(parsed.queryParameter("refresh_token")));
            } else if ("password".equals(grant)
                    && user != null
                    && user.equals(parsed.queryParameter("username"))
                    && password.equals(parsed.queryParameter("password"))) {
                grantedTo = user;
            }
            if (grantedTo != null) {
                newRefreshToken = "refresh-" + UUID.randomUUID();
                refreshTokens.put(newRefreshToken, grantedTo);
            }
        } else {
            String expected =
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString(
                                            (user + ":" + password)
                                                    .getBytes(StandardCharsets.UTF_8));
            if (expected.equals(request.getHeader("Authorization"))) {
                grantedTo = user;
            }
        }
        if (grantedTo == null) {
            return new MockResponse()
                    .setResponseCode(401)
                    .setBody(
                            "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"bad login\"}]}");
        }
        String token = "token-" + UUID.randomUUID();
        validTokens.add(token);
        String body =
                request.getMethod().equals("POST")
                        ? "{\"access_token\":\""
                                + token
                                + "\",\"refresh_token\":\""
                                + newRefreshToken
                                + "\",\"expires_in\":300}"
                        : "{\"token\":\"" + token + "\",\"expires_in\":300}";
        return new MockResponse().setHeader("Content-Type", "application/json").setBody(body);
    }

    private MockResponse blob(RecordedRequest request, String repository, String digest) {
        byte[] content = blobs.getOrDefault(repository, Map.of()).get(digest);
        if (content == null) {
            return new MockResponse()
                    .setResponseCode(404)
                    .setBody(
                            "{\"errors\":[{\"code\":\"BLOB_UNKNOWN\",\"message\":\"blob"
                                    + " unknown\"}]}");
        }
        if (request.getMethod().equals("HEAD")) {
            return withDigest(new MockResponse(), digest)
                    .setHeader("Content-Length", content.length);
        }
        if (redirectBlobGets) {
            return new MockResponse()
                    .setResponseCode(307)
                    .setHeader("Location", "http://" + storageHostPort() + "/blobdata/" + digest);
        }
        byte[] sent = content;
        if (tamperBlobGets) {
            sent = content.clone();
            sent[0] ^= 1;
        }
        return withDigest(new MockResponse(), digest).setBody(new okio.Buffer().write(sent));
    }

    private MockResponse blobData(String digest) {
        for (Map<String, byte[]> repo : blobs.values()) {
            byte[] content = repo.get(digest);
            if (content != null) {
                return new MockResponse().setBody(new okio.Buffer().write(content));
            }
        }
        return new MockResponse().setResponseCode(404);
    }

    private MockResponse startUpload(RecordedRequest request, String repository) {
        HttpUrl url = request.getRequestUrl();
        String mount = url.queryParameter("mount");
        String from = url.queryParameter("from");
        if (mount != null) {
            if (mountStatus == 401 || mountStatus == 403) {
                return new MockResponse()
                        .setResponseCode(mountStatus)
                        .setBody(
                                "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"requested access"
                                        + " to the resource is denied\"}]}");
            }
            byte[] source = from == null ? null : blobs.getOrDefault(from, Map.of()).get(mount);
            if (mountStatus == 0 && source != null) {
                blobs.computeIfAbsent(repository, r -> new ConcurrentHashMap<>())
                        .put(mount, source);
                return withDigest(new MockResponse().setResponseCode(201), mount)
                        .setHeader("Location", "/v2/" + repository + "/blobs/" + mount);
            }
        }
        String id = UUID.randomUUID().toString();
        uploads.put(id, new Upload(repository));
        return new MockResponse()
                .setResponseCode(202)
                .setHeader("Location", uploadLocation(id))
                .setHeader("Range", "0-0")
                .setHeader("Docker-Upload-UUID", id);
    }

    private String uploadLocation(String id) {
        String path = "/upload/" + id + "?_state=opaque";
        return uploadsElsewhere ? "http://" + storageHostPort() + path : path;
    }

    private MockResponse upload(RecordedRequest request) {
        HttpUrl url = request.getRequestUrl();
        String id = url.pathSegments().get(1);
        Upload upload = uploads.get(id);
        if (upload == null) {
            return new MockResponse()
                    .setResponseCode(404)
                    .setBody("{\"errors\":[{\"code\":\"BLOB_UPLOAD_UNKNOWN\",\"message\":\"?\"}]}");
        }
        switch (request.getMethod()) {
            case "DELETE" -> {
                uploads.remove(id);
                return new MockResponse().setResponseCode(204);
            }
            case "PATCH" -> {
                if (request.getBodySize() > patchCap) {
                    return new MockResponse()
                            .setResponseCode(413)
                            .setBody("request entity too large");
                }
                synchronized (upload) {
                    upload.data.writeBytes(request.getBody().readByteArray());
                    return new MockResponse()
                            .setResponseCode(patchStatus)
                            .setHeader("Location", uploadLocation(id))
                            .setHeader("Range", "0-" + (upload.data.size() - 1));
                }
            }
            case "PUT" -> {
                String digest = url.queryParameter("digest");
                byte[] content;
                synchronized (upload) {
                    upload.data.writeBytes(request.getBody().readByteArray());
                    content = upload.data.toByteArray();
                }
                if (digest == null || !Digest.sha256(content).toString().equals(digest)) {
                    return new MockResponse()
                            .setResponseCode(400)
                            .setBody(
                                    "{\"errors\":[{\"code\":\"DIGEST_INVALID\",\"message\":\"digest"
                                            + " did not match\"}]}");
                }
                uploads.remove(id);
                blobs.computeIfAbsent(upload.repository, r -> new ConcurrentHashMap<>())
                        .put(digest, content);
                if (finalPutsToFailAfterStoring.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    return new MockResponse().setResponseCode(504);
                }
                return withDigest(new MockResponse().setResponseCode(201), digest)
                        .setHeadersDelay(finalPutDelay.toMillis(), TimeUnit.MILLISECONDS);
            }
            default -> {
                return new MockResponse().setResponseCode(405);
            }
        }
    }

    private MockResponse manifest(RecordedRequest request, String repository, String reference) {
        Map<String, Stored> repo = manifests.get(repository);
        if (refuseManifestHeads && request.getMethod().equals("HEAD")) {
            return new MockResponse().setResponseCode(405);
        }
        switch (request.getMethod()) {
            case "PUT" -> {
                byte[] bytes = request.getBody().readByteArray();
                String type = request.getHeader("Content-Type");
                Digest digest = putManifest(repository, reference, type, bytes);
                return withDigest(new MockResponse().setResponseCode(201), digest.toString());
            }
            case "GET", "HEAD" -> {
                if (repo == null) {
                    return new MockResponse()
                            .setResponseCode(404)
                            .setBody(
                                    "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"repository"
                                        + " name not known to registry\"}]}");
                }
                Stored stored = repo.get(reference);
                if (stored == null) {
                    return new MockResponse()
                            .setResponseCode(404)
                            .setBody(
                                    "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest"
                                        + " unknown\"}]}");
                }
                MockResponse response =
                        withDigest(new MockResponse(), Digest.sha256(stored.bytes()).toString())
                                .setHeader("Content-Type", stored.mediaType());
                return request.getMethod().equals("HEAD")
                        ? response.setHeader("Content-Length", stored.bytes().length)
                        : response.setBody(new okio.Buffer().write(stored.bytes()));
            }
            default -> {
                return new MockResponse().setResponseCode(405);
            }
        }
    }

    private MockResponse withDigest(MockResponse response, String digest) {
        return switch (digestHeader) {
            case "missing" -> response;
            case "malformed" ->
                    response.setHeader(
                            "Docker-Content-Digest", "sha256:not-hex " + digest.length());
            default -> response.setHeader("Docker-Content-Digest", digest);
        };
    }

    @Override
    public void close() throws IOException {
        registry.shutdown();
        storage.shutdown();
    }
}
