package io.jenkins.plugins.mesosagents.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jenkins.plugins.mesosagents.image.Digest;

import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import okio.BufferedSink;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A Docker Registry HTTP API v2 client for one registry ({@code host[:port]}). It pings {@code
 * /v2/} once to learn the auth challenge, then authenticates each call for the repository scopes it
 * needs (Basic or Bearer tokens), retries idempotent calls on 5xx with exponential backoff,
 * verifies manifest and blob digests, and turns failures into {@link RegistryException}s that say
 * what to do.
 */
public final class RegistryClient {
    private static final MediaType OCTET_STREAM = MediaType.get("application/octet-stream");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** GHCR refuses requests over 4 MiB; go-containerregistry and skopeo stream far less. */
    public static final int MAX_CHUNK = 4 << 20;

    private final String registry;
    private final RegistryTransport transport;
    private final RegistryErrors errors;

    private RegistryClient(Builder builder) {
        this.registry = builder.registry;
        HttpUrl base =
                HttpUrl.get((builder.plainHttp ? "http://" : "https://") + builder.registry + "/");
        OkHttpClient http =
                builder.http != null ? builder.http : builder.connection.httpClient(DEFAULT_HTTP);
        RateLimits rateLimits = new RateLimits(registry, builder.initialBackoff, builder.clock);
        RegistryAuthenticator auth =
                new RegistryAuthenticator(
                        registry, http, builder.credentials, builder.clock, rateLimits);
        this.errors = new RegistryErrors(registry, auth);
        this.transport =
                new RegistryTransport(
                        registry,
                        base,
                        http,
                        auth,
                        errors,
                        builder.maxAttempts,
                        builder.initialBackoff,
                        builder.connection.insecure(),
                        rateLimits);
    }

    /**
     * One connection pool for every client; idle timeouts of a minute bound a stalled transfer by
     * progress, not by its total time.
     */
    private static final OkHttpClient DEFAULT_HTTP =
            new OkHttpClient.Builder()
                    .readTimeout(Duration.ofSeconds(60))
                    .writeTimeout(Duration.ofSeconds(60))
                    .build();

    public static Builder builder(String registry) {
        return new Builder(registry);
    }

    /** Options for a {@link RegistryClient}. */
    public static final class Builder {
        private final String registry;
        private boolean plainHttp;
        private OkHttpClient http;
        private RegistryConnection connection = RegistryConnection.DIRECT;
        private CredentialsSource credentials = CredentialsSource.anonymous();
        private Clock clock = Clock.systemUTC();
        private int maxAttempts = 4;
        private Duration initialBackoff = Duration.ofMillis(500);

        private Builder(String registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /** Talk plain HTTP (only for registries without TLS, e.g. on localhost). */
        public Builder plainHttp(boolean value) {
            this.plainHttp = value;
            return this;
        }

        /** Proxy, extra CA certificates and whether TLS is verified. */
        public Builder connection(RegistryConnection value) {
            this.connection = Objects.requireNonNull(value, "connection");
            return this;
        }

        /** An HTTP client to use as is (tests); overrides {@link #connection}'s proxy and TLS. */
        public Builder httpClient(OkHttpClient value) {
            this.http = value;
            return this;
        }

        public Builder credentials(CredentialsSource value) {
            this.credentials = value;
            return this;
        }

        public Builder credentials(RegistryCredentials value) {
            this.credentials = CredentialsSource.of(value);
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        /**
         * Attempts per idempotent call when the registry answers 500/502/503/504 or the connection
         * fails (429 is waited out as its Retry-After says, up to 5 times).
         */
        public Builder retries(int attempts, Duration firstBackoff) {
            this.maxAttempts = Math.max(1, attempts);
            this.initialBackoff = firstBackoff;
            return this;
        }

        public RegistryClient build() {
            return new RegistryClient(this);
        }
    }

    public String registry() {
        return registry;
    }

    static List<String> pullScope(String repository) {
        return List.of("repository:" + repository + ":pull");
    }

    static List<String> pushScope(String repository) {
        return List.of("repository:" + repository + ":pull,push");
    }

    /** {@code GET /v2/}: checks this is a v2 registry and records its auth challenge. */
    public void ping() throws IOException {
        transport.ping();
    }

    /** The auth challenge the registry sent on ping, or null if it needs none. */
    public Challenge challenge() throws IOException {
        return transport.challenge();
    }

    /**
     * Fetches a manifest by tag or digest; a digest reference is verified against the bytes
     * received.
     */
    public Manifest manifest(String repository, String reference) throws IOException {
        Request.Builder request =
                new Request.Builder()
                        .url(url(repository, "manifests/" + reference))
                        .get()
                        .header("Accept", String.join(", ", MediaTypes.MANIFESTS));
        String what =
                "read the manifest "
                        + repository
                        + (reference.contains(":") ? "@" : ":")
                        + reference;
        try (Response response = transport.send(request, pullScope(repository), true, what)) {
            if (!response.isSuccessful()) {
                throw errors.failure(response, what, repository);
            }
            byte[] bytes = response.body().bytes();
            String contentType = response.header("Content-Type");
            Manifest manifest =
                    Manifest.of(
                            contentType == null ? null : contentType.split(";")[0].trim(), bytes);
            Digest expected =
                    reference.contains(":") ? Digest.parse(reference) : headerDigest(response);
            if (expected != null && expected.isSha256() && !expected.equals(manifest.digest())) {
                throw new RegistryException(
                        RegistryException.Reason.DIGEST_MISMATCH,
                        response.code(),
                        "Registry "
                                + registry
                                + " returned a manifest for "
                                + repository
                                + (reference.contains(":") ? "@" : ":")
                                + reference
                                + " whose content has digest "
                                + manifest.digest()
                                + ", not "
                                + expected
                                + ": refusing it (corrupted registry storage or a proxy altering"
                                + " the content)");
            }
            return manifest;
        }
    }

    /**
     * {@code HEAD} a manifest: its digest if the repository has it; empty if not, or if a tag's
     * answer carries no usable {@code Docker-Content-Digest} (then GET it). A HEAD is not counted
     * as a pull by Docker Hub's rate limit.
     */
    public Optional<Digest> manifestDigest(String repository, String reference) throws IOException {
        Request.Builder request =
                new Request.Builder()
                        .url(url(repository, "manifests/" + reference))
                        .head()
                        .header("Accept", String.join(", ", MediaTypes.MANIFESTS));
        String what =
                "check the manifest "
                        + repository
                        + (reference.contains(":") ? "@" : ":")
                        + reference;
        try (Response response = transport.send(request, pullScope(repository), true, what)) {
            if (response.code() == 404) {
                return Optional.empty();
            }
            if (!response.isSuccessful()) {
                throw errors.failure(response, what, repository);
            }
            if (reference.contains(":")) {
                return Optional.of(Digest.parse(reference));
            }
            return Optional.ofNullable(headerDigest(response));
        }
    }

    /** Stores a manifest under a tag or its digest; returns its digest. Push its blobs first. */
    public Digest putManifest(String repository, String reference, Manifest manifest)
            throws IOException {
        Request.Builder request =
                new Request.Builder()
                        .url(url(repository, "manifests/" + reference))
                        .put(
                                RequestBody.create(
                                        manifest.bytes(), MediaType.get(manifest.mediaType())));
        String what = "push the manifest " + repository + ":" + reference;
        try (Response response = transport.send(request, pushScope(repository), true, what)) {
            if (response.code() != 201 && !response.isSuccessful()) {
                throw errors.failure(response, what, repository);
            }
            Digest stored = headerDigest(response);
            if (stored != null && stored.isSha256() && !stored.equals(manifest.digest())) {
                throw new RegistryException(
                        RegistryException.Reason.DIGEST_MISMATCH,
                        response.code(),
                        "Registry "
                                + registry
                                + " stored the manifest for "
                                + repository
                                + ":"
                                + reference
                                + " as "
                                + stored
                                + " but its bytes have digest "
                                + manifest.digest());
            }
            return manifest.digest();
        }
    }

    /** {@code HEAD} a blob: its size if the repository has it. */
    public OptionalLong blobSize(String repository, Digest digest) throws IOException {
        Request.Builder request =
                new Request.Builder().url(url(repository, "blobs/" + digest)).head();
        String what = "check blob " + digest + " in " + repository;
        try (Response response = transport.send(request, pullScope(repository), true, what)) {
            if (response.code() == 404) {
                return OptionalLong.empty();
            }
            if (!response.isSuccessful()) {
                throw errors.failure(response, what, repository);
            }
            String length = response.header("Content-Length");
            return OptionalLong.of(length == null ? -1 : Long.parseLong(length));
        }
    }

    /**
     * Asks the registry to link a blob from another repository of the same registry (no data
     * moves). Returns false if it could not (then upload the blob instead).
     */
    public boolean mountBlob(String repository, Digest digest, String fromRepository)
            throws IOException {
        String location = mountOrStartUpload(repository, digest, fromRepository);
        if (location == null) {
            return true;
        }
        cancelUpload(location, repository);
        return false;
    }

    /**
     * Tries a cross-repository mount; returns null if the blob was mounted, else the location of an
     * upload session for it: the one the registry opened instead of mounting (ECR answers 202), or
     * a new one when the registry refused the mount (the target login may not read the source
     * repository). Like go-containerregistry (pkg/v1/remote/write.go L237-291), a refused mount is
     * no error: the blob is copied instead.
     */
    public String mountOrStartUpload(String repository, Digest digest, String fromRepository)
            throws IOException {
        HttpUrl url =
                url(repository, "blobs/uploads/")
                        .newBuilder()
                        .addQueryParameter("mount", digest.toString())
                        .addQueryParameter("from", fromRepository)
                        .build();
        List<String> scopes = mountScopes(repository, fromRepository);
        String what = "mount blob " + digest + " from " + fromRepository + " into " + repository;
        Request.Builder request =
                new Request.Builder().url(url).post(RequestBody.create(new byte[0]));
        try (Response response = transport.send(request, scopes, true, what)) {
            if (response.code() == 201) {
                return null;
            }
            String location = response.header("Location");
            if (response.code() == 202 && location != null) {
                return location;
            }
        } catch (RegistryException refused) {
            if (refused.reason() == RegistryException.Reason.UNAVAILABLE
                    || refused.reason() == RegistryException.Reason.RATE_LIMITED) {
                throw refused;
            }
            // e.g. the token service grants the target login no pull on the source: copy
        }
        return startUpload(repository);
    }

    /**
     * One token for push on the target and pull on the source, first, as go-containerregistry asks
     * for a writer (pkg/v1/remote/write.go L683-705): it serves the mounts and the manifest PUT.
     */
    static List<String> mountScopes(String repository, String fromRepository) {
        return List.of(
                "repository:" + repository + ":pull,push",
                "repository:" + fromRepository + ":pull");
    }

    /**
     * Gets the token that mounts from {@code fromRepository} into {@code repository} need (nothing
     * to do with Basic auth or a token still cached), so it can be fetched while other requests
     * run. Failures are not reported here: the mount that needs the token reports them.
     */
    public void authorizeMounts(String repository, String fromRepository) {
        try {
            transport.authorize(mountScopes(repository, fromRepository));
        } catch (IOException | RuntimeException ignored) {
            // the first mount asks again and reports what went wrong
        }
    }

    /** Uploads a blob held in memory (small blobs: configs, manifests' children) with one PUT. */
    public void uploadBlob(String repository, Digest digest, byte[] content) throws IOException {
        Digest actual = Digest.sha256(content);
        if (digest.isSha256() && !actual.equals(digest)) {
            throw new RegistryException(
                    RegistryException.Reason.DIGEST_MISMATCH,
                    0,
                    "Refusing to upload to "
                            + repository
                            + ": the content has digest "
                            + actual
                            + " but was announced as "
                            + digest);
        }
        String location = startUpload(repository);
        finishUpload(repository, location, digest, RequestBody.create(content, OCTET_STREAM), true);
    }

    /**
     * Streams a blob of known size with one PUT, never holding it in memory. The stream is read
     * once, so this call is not retried; the registry verifies the digest.
     */
    public void uploadBlob(String repository, Digest digest, long size, InputStream content)
            throws IOException {
        uploadBlob(repository, digest, size, content, null);
    }

    /**
     * Like {@link #uploadBlob(String, Digest, long, InputStream)}, into an upload session already
     * open at {@code uploadLocation} (null: open one). A failure to read {@code content} is thrown
     * as it is, not as a failure of this registry.
     */
    public void uploadBlob(
            String repository, Digest digest, long size, InputStream content, String uploadLocation)
            throws IOException {
        String location = uploadLocation != null ? uploadLocation : startUpload(repository);
        RequestBody body =
                new RequestBody() {
                    @Override
                    public MediaType contentType() {
                        return OCTET_STREAM;
                    }

                    @Override
                    public long contentLength() {
                        return size;
                    }

                    @Override
                    public boolean isOneShot() {
                        return true;
                    }

                    @Override
                    public void writeTo(BufferedSink sink) throws IOException {
                        byte[] buffer = new byte[64 * 1024];
                        while (true) {
                            int read;
                            try {
                                read = content.read(buffer);
                            } catch (IOException e) {
                                throw new UploadSourceException(e);
                            }
                            if (read <= 0) {
                                break;
                            }
                            sink.write(buffer, 0, read);
                        }
                    }
                };
        finishUpload(repository, location, digest, body, false);
    }

    /**
     * Uploads a stream in chunks of {@code chunkSize} bytes, at most {@link #MAX_CHUNK} (PATCH with
     * Content-Range, following the opaque Location after each), then completes it; each chunk is
     * retried on 5xx. Returns the digest computed while reading, which must equal {@code expected}
     * when that is given.
     */
    public Digest uploadBlobChunked(
            String repository, Digest expected, InputStream content, int requestedChunkSize)
            throws IOException {
        int chunkSize = Math.max(1, Math.min(requestedChunkSize, MAX_CHUNK));
        String location = startUpload(repository);
        MessageDigest sha256 = Digest.newSha256();
        byte[] chunk = new byte[chunkSize];
        long offset = 0;
        while (true) {
            int filled = content.readNBytes(chunk, 0, chunkSize);
            if (filled == 0) {
                break;
            }
            sha256.update(chunk, 0, filled);
            Request.Builder patch =
                    new Request.Builder()
                            .url(transport.base().resolve(location))
                            .patch(RequestBody.create(chunk, OCTET_STREAM, 0, filled))
                            .header("Content-Range", offset + "-" + (offset + filled - 1));
            String what =
                    "upload bytes "
                            + offset
                            + "-"
                            + (offset + filled - 1)
                            + " of a blob to "
                            + repository;
            try (Response response = transport.send(patch, pushScope(repository), true, what)) {
                // go-containerregistry pkg/v1/remote/write.go L342 accepts 202, 204 and 201
                if (response.code() != 202 && response.code() != 204 && response.code() != 201) {
                    throw errors.failure(response, what, repository);
                }
                location = Objects.requireNonNullElse(response.header("Location"), location);
            }
            offset += filled;
        }
        Digest actual = Digest.ofSha256(sha256.digest());
        if (expected != null && !expected.equals(actual)) {
            cancelUpload(location, repository);
            throw new RegistryException(
                    RegistryException.Reason.DIGEST_MISMATCH,
                    0,
                    "Refusing to complete the upload to "
                            + repository
                            + ": the content has digest "
                            + actual
                            + " but was announced as "
                            + expected);
        }
        finishUpload(
                repository, location, actual, RequestBody.create(new byte[0], OCTET_STREAM), true);
        return actual;
    }

    /**
     * Opens a blob for streaming; the returned stream verifies the digest when it reaches the end.
     */
    public Blob openBlob(String repository, Digest digest) throws IOException {
        Request.Builder request =
                new Request.Builder().url(url(repository, "blobs/" + digest)).get();
        String what = "download blob " + digest + " from " + repository;
        Response response = transport.send(request, pullScope(repository), true, what);
        if (!response.isSuccessful()) {
            try (response) {
                throw errors.failure(response, what, repository);
            }
        }
        return new Blob(registry, repository, digest, response);
    }

    /** All tags of a repository, following {@code Link: <...>; rel="next"} pagination. */
    public List<String> tags(String repository) throws IOException {
        List<String> tags = new ArrayList<>();
        HttpUrl next =
                url(repository, "tags/list").newBuilder().addQueryParameter("n", "1000").build();
        String what = "list the tags of " + repository;
        for (int page = 0; next != null && page < 10_000; page++) {
            Request.Builder request = new Request.Builder().url(next).get();
            try (Response response = transport.send(request, pullScope(repository), true, what)) {
                if (!response.isSuccessful()) {
                    throw errors.failure(response, what, repository);
                }
                for (JsonNode tag : JSON.readTree(response.body().byteStream()).path("tags")) {
                    tags.add(tag.asText());
                }
                next = nextPage(response.header("Link"));
            }
        }
        return tags;
    }

    private HttpUrl nextPage(String link) {
        if (link == null || !link.contains("rel=\"next\"")) {
            return null;
        }
        int open = link.indexOf('<');
        int close = link.indexOf('>');
        return open < 0 || close < open
                ? null
                : transport.base().resolve(link.substring(open + 1, close));
    }

    private String startUpload(String repository) throws IOException {
        String what = "start a blob upload to " + repository;
        Request.Builder request =
                new Request.Builder()
                        .url(url(repository, "blobs/uploads/"))
                        .post(RequestBody.create(new byte[0]));
        try (Response response = transport.send(request, pushScope(repository), true, what)) {
            String location = response.header("Location");
            if (response.code() != 202 || location == null) {
                throw errors.failure(response, what, repository);
            }
            return location;
        }
    }

    private void finishUpload(
            String repository, String location, Digest digest, RequestBody body, boolean replayable)
            throws IOException {
        HttpUrl url =
                transport
                        .base()
                        .resolve(location)
                        .newBuilder()
                        .addQueryParameter("digest", digest.toString())
                        .build();
        String what = "complete the upload of blob " + digest + " to " + repository;
        Request.Builder request = new Request.Builder().url(url).put(body);
        try (Response response =
                transport.send(request, pushScope(repository), replayable, what, true)) {
            if (response.code() != 201 && !response.isSuccessful()) {
                throw errors.failure(response, what, repository);
            }
        }
    }

    /** Abandons an upload session (best effort: registries purge stale sessions anyway). */
    public void cancelUpload(String location, String repository) {
        if (location == null) {
            return;
        }
        Request.Builder request =
                new Request.Builder().url(transport.base().resolve(location)).delete();
        try (Response ignored =
                transport.send(request, pushScope(repository), false, "cancel an upload")) {
            // best effort: abandoned sessions are purged by the registry anyway
        } catch (IOException ignored) {
            // same
        }
    }

    private HttpUrl url(String repository, String suffix) throws IOException {
        transport.challenge(); // pinged, so an insecure registry's scheme is known
        return transport.base().resolve("v2/" + repository + "/" + suffix);
    }

    private static Digest headerDigest(Response response) {
        String header = response.header("Docker-Content-Digest");
        try {
            return header == null ? null : Digest.parse(header);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
