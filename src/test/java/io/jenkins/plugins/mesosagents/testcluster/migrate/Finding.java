package io.jenkins.plugins.mesosagents.testcluster.migrate;

/**
 * One thing the migration could not carry over as it was ({@link Kind#NOT_CARRIED_OVER}), or
 * carried over with a changed meaning the reader should check ({@link Kind#CHANGED}). {@code
 * source} is the field's path in the mesos-plugin configuration, e.g. {@code
 * slaveInfos[1].containerInfo.useCustomDockerCommandShell}.
 */
public record Finding(Kind kind, String source, String message) {
    public enum Kind {
        NOT_CARRIED_OVER,
        CHANGED
    }

    @Override
    public String toString() {
        return (kind == Kind.NOT_CARRIED_OVER ? "NOT CARRIED OVER " : "CHANGED ")
                + source
                + ": "
                + message;
    }
}
