package io.jenkins.plugins.mesosagents.mesos;

import okhttp3.HttpUrl;

import java.io.Closeable;
import java.util.List;

/**
 * Tells the connection which masters to try, in order. A static list yields all configured masters
 * (non-leaders answer 307 to the leader); ZooKeeper yields the elected leader only, and nothing
 * while there is none.
 */
public interface MasterDetector extends Closeable {

    /**
     * Base URLs (scheme, host, port, optional path prefix) to try in turn; empty when no leader is
     * known.
     */
    List<HttpUrl> candidates();

    /**
     * Registers a callback run (on some detector thread) whenever the answer of {@link
     * #candidates()} changes.
     */
    default void onChange(Runnable listener) {}

    @Override
    default void close() {}

    /**
     * Parses a master setting: {@code http(s)://host:port[/prefix]} separated by ',' or whitespace,
     * or {@code zk://[user:pass@]h1:2181,h2:2181/path}. A ZooKeeper detector is started (and must
     * be closed).
     *
     * @param leaderScheme "http" or "https": the scheme of leaders found in ZooKeeper (MasterInfo
     *     has none)
     */
    static MasterDetector fromString(String spec, String leaderScheme) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException(
                    "No Mesos master given: expected http(s)://host:5050 (several"
                            + " separated by commas) or zk://host:2181/mesos");
        }
        String trimmed = spec.strip();
        if (trimmed.regionMatches(true, 0, "zk://", 0, 5)) {
            ZooKeeperMasterDetector detector =
                    ZooKeeperMasterDetector.fromUrl(trimmed, leaderScheme);
            detector.start();
            return detector;
        }
        return StaticMasterDetector.parse(trimmed);
    }
}
