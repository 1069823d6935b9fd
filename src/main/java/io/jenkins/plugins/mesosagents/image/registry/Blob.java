package io.jenkins.plugins.mesosagents.image.registry;

import io.jenkins.plugins.mesosagents.image.Digest;

import okhttp3.Response;

import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * A blob being downloaded: its size and a stream that hashes what it delivers and throws a {@link
 * RegistryException} with {@code DIGEST_MISMATCH} at the end if the content is not what was asked
 * for.
 */
public final class Blob implements Closeable {
    private final Response response;
    private final long size;
    private final InputStream stream;

    Blob(String registry, String repository, Digest digest, Response response) {
        this.response = response;
        this.size = response.body().contentLength();
        MessageDigest sha256 = digest.isSha256() ? Digest.newSha256() : null;
        this.stream =
                new FilterInputStream(response.body().byteStream()) {
                    private boolean verified;

                    @Override
                    public int read() throws IOException {
                        byte[] one = new byte[1];
                        int n = read(one, 0, 1);
                        return n < 0 ? -1 : one[0] & 0xff;
                    }

                    @Override
                    public int read(byte[] buffer, int offset, int length) throws IOException {
                        int n;
                        try {
                            n = super.read(buffer, offset, length);
                        } catch (RegistryException e) {
                            throw e;
                        } catch (IOException e) {
                            throw new RegistryException(
                                    RegistryException.Reason.UNAVAILABLE,
                                    0,
                                    "Lost the download of blob "
                                            + digest
                                            + " from "
                                            + repository
                                            + " on registry "
                                            + registry
                                            + " ("
                                            + e.getMessage()
                                            + ")",
                                    e);
                        }
                        if (n > 0 && sha256 != null) {
                            sha256.update(buffer, offset, n);
                        } else if (n < 0 && sha256 != null && !verified) {
                            verified = true;
                            Digest actual = Digest.ofSha256(sha256.digest());
                            if (!actual.equals(digest)) {
                                throw new RegistryException(
                                        RegistryException.Reason.DIGEST_MISMATCH,
                                        response.code(),
                                        "Registry "
                                                + registry
                                                + " sent content with digest "
                                                + actual
                                                + " for blob "
                                                + digest
                                                + " of "
                                                + repository
                                                + ": refusing it (corrupted registry storage or a"
                                                + " proxy altering the content)");
                            }
                        }
                        return n;
                    }
                };
    }

    /** Content length in bytes, or -1 if the registry did not say. */
    public long size() {
        return size;
    }

    public InputStream stream() {
        return stream;
    }

    @Override
    public void close() {
        response.close();
    }
}
