package io.jenkins.plugins.mesosagents.testcluster.casc;

/**
 * A JCasC file the test-cluster tools cannot use: the message names the file, the key path (e.g.
 * {@code jenkins.clouds[0].mesosAgents.templates[1].cpus}) and what to write instead.
 */
public final class InvalidCascException extends RuntimeException {
    public InvalidCascException(String message) {
        super(message);
    }
}
