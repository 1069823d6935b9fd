package io.jenkins.plugins.mesosagents.engine;

import java.util.Objects;

/** One Mesos fetcher URI for the agent's sandbox ({@code CommandInfo.URI}). */
public record FetchUri(String uri, boolean extract, boolean executable, boolean cache) {
    public FetchUri {
        Objects.requireNonNull(uri, "uri");
    }

    public static FetchUri of(String uri) {
        return new FetchUri(uri, false, false, false);
    }
}
