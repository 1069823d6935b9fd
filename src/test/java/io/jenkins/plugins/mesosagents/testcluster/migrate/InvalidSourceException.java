package io.jenkins.plugins.mesosagents.testcluster.migrate;

/**
 * A file the migration cannot read: the message names the file, the line where known, what was
 * wrong and what to do.
 */
public final class InvalidSourceException extends RuntimeException {
    public InvalidSourceException(String message) {
        super(message);
    }
}
