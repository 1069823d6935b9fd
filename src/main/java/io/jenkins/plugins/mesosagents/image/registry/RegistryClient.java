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

    private final String registry;
    private final HttpUrl base;
    private final RegistryTransport transport;
    private final RegistryErrors errors;

    private RegistryClient(Builder builder) {
        this.registry = builder.registry;
        this.base =
                HttpUrl.get((builder.plainHttp ? "http://" : "https://") + builder.registry + "/");
        RegistryAuthenticator auth =
                new RegistryAuthenticator(
                        registry, builder.http, builder.credentials, builder.clock);
        this.transport =
                new RegistryTransport(
                        registry,
                        base,
                        builder.http,
                        auth,
                        builder.maxAttempts,
                        builder.initialBackoff);
        this.errors = new RegistryErrors(registry, auth);
    }

    public static Builder builder(String registry) {
        return new Builder(registry);
    }

    /** Options for a {@link RegistryClient}. */
    public static final class Builder {
        private final String registry;
        private boolean plainHttp;
        private OkHttpClient http = new OkHttpClient();
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
         * Attempts per idempotent call when the registry answers 500/502/503/504/429 or the
         * connection fails.
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
        HttpUrl url =
                url(repository, "blobs/uploads/")
                        .newBuilder()
                        .addQueryParameter("mount", digest.toString())
                        .addQueryParameter("from", fromRepository)
                        .build();
        List<String> scopes =
                List.of(
                        "repository:" + repository + ":pull,push",
                        "repository:" + fromRepository + ":pull");
        String what = "mount blob " + digest + " from " + fromRepository + " into " + repository;
        Request.Builder request =
                new Request.Builder().url(url).post(RequestBody.create(new byte[0]));
        try (Response response = transport.send(request, scopes, true, what)) {
            if (response.code() == 201) {
                return true;
            }
            if (response.code() == 202) {
                cancelUpload(response.header("Location"), repository);
                return false;
            }
            throw errors.failure(response, what, repository);
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
        String location = startUpload(repository);
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
                        for (int read; (read = content.read(buffer)) > 0; ) {
                            sink.write(buffer, 0, read);
                        }
                    }
                };
        finishUpload(repository, location, digest, body, false);
    }

    /**
     * Uploads a stream in chunks of {@code chunkSize} bytes (PATCH with Content-Range, following
     * the opaque Location after each), then completes it; each chunk is retried on 5xx. Returns the
     * digest computed while reading, which must equal {@code expected} when that is given.
     */
    public Digest uploadBlobChunked(
            String repository, Digest expected, InputStream content, int chunkSize)
            throws IOException {
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
                            .url(base.resolve(location))
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
                if (response.code() != 202) {
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
        return open < 0 || close < open ? null : base.resolve(link.substring(open + 1, close));
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
                base.resolve(location)
                        .newBuilder()
                        .addQueryParameter("digest", digest.toString())
                        .build();
        String what = "complete the upload of blob " + digest + " to " + repository;
        Request.Builder request = new Request.Builder().url(url).put(body);
        try (Response response = transport.send(request, pushScope(repository), replayable, what)) {
            if (response.code() != 201 && !response.isSuccessful()) {
                throw errors.failure(response, what, repository);
            }
        }
    }

    private void cancelUpload(String location, String repository) {
        if (location == null) {
            return;
        }
        Request.Builder request = new Request.Builder().url(base.resolve(location)).delete();
        try (Response ignored =
                transport.send(request, pushScope(repository), false, "cancel an upload")) {
            // best effort: abandoned sessions are purged by the registry anyway
        } catch (IOException ignored) {
            // same
        }
    }

    private HttpUrl url(String repository, String suffix) {
        return base.resolve("v2/" + repository + "/" + suffix);
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
