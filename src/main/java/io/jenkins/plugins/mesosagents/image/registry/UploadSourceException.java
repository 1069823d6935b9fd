package io.jenkins.plugins.mesosagents.image.registry;

import java.io.IOException;

/**
 * Carries a failure to read the content of a streamed upload out of the HTTP call, so that it is
 * reported as the failure of where the content came from (the source registry, a file) and not of
 * the registry receiving it.
 */
final class UploadSourceException extends IOException {
    UploadSourceException(IOException cause) {
        super(cause.getMessage(), cause);
    }

    @Override
    public synchronized IOException getCause() {
        return (IOException) super.getCause();
    }
}
