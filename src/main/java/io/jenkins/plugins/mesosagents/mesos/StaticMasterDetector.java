package io.jenkins.plugins.mesosagents.mesos;

import okhttp3.HttpUrl;

import java.util.ArrayList;
import java.util.List;

/** A fixed list of masters, tried in turn; non-leaders redirect (307) to the leader. */
public final class StaticMasterDetector implements MasterDetector {
    private final List<HttpUrl> masters;

    public StaticMasterDetector(List<HttpUrl> masters) {
        if (masters.isEmpty()) {
            throw new IllegalArgumentException("At least one Mesos master URL is needed");
        }
        this.masters = List.copyOf(masters);
    }

    /** Parses {@code http://m1:5050, https://m2:5050/mesos} (comma or whitespace separated). */
    public static StaticMasterDetector parse(String spec) {
        List<HttpUrl> urls = new ArrayList<>();
        for (String part : spec.split("[,\\s]+")) {
            if (part.isEmpty()) {
                continue;
            }
            HttpUrl url = HttpUrl.parse(part);
            if (url == null) {
                throw new IllegalArgumentException(
                        "Invalid Mesos master address '"
                                + HttpUrls.redact(part)
                                + "': expected http://host:port or https://host:port (or one zk://"
                                + " URL)");
            }
            if (!url.username().isEmpty() || !url.password().isEmpty()) {
                throw new IllegalArgumentException(
                        "Mesos master address "
                                + url.redact()
                                + " carries user information; configure credentials separately"
                                + " instead of in the URL");
            }
            urls.add(url);
        }
        return new StaticMasterDetector(urls);
    }

    @Override
    public List<HttpUrl> candidates() {
        return masters;
    }

    @Override
    public String toString() {
        return "StaticMasterDetector" + masters;
    }
}
