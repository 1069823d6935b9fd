package io.jenkins.plugins.mesosagents.mesos;

import java.io.IOException;

/**
 * The event stream is not valid RecordIO (bad length line, or a record larger than the configured
 * limit).
 */
public final class RecordIoException extends IOException {
    public RecordIoException(String message) {
        super(message);
    }
}
