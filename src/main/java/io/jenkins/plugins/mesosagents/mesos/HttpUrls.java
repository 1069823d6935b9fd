package io.jenkins.plugins.mesosagents.mesos;

import okhttp3.HttpUrl;

/** URL helpers shared by the detectors and the connection. */
final class HttpUrls {
    private HttpUrls() {}

    /** Drops any {@code user:password@} from a URL-like string before it goes into a message. */
    static String redact(String url) {
        return url.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^@/]*@", "$1****@");
    }

    /**
     * A master URL with a path prefix ({@code https://dcos/mesos}) is a gateway such as DC/OS Admin
     * Router, not a master's own address.
     */
    static boolean isGateway(HttpUrl base) {
        return !schedulerEndpoint(base).encodedPath().equals("/api/v1/scheduler");
    }

    /**
     * {@code base} + {@code api/v1/scheduler}, keeping a path prefix such as {@code /mesos} (DC/OS
     * Admin Router).
     */
    static HttpUrl schedulerEndpoint(HttpUrl base) {
        HttpUrl.Builder b = base.newBuilder().query(null).fragment(null);
        if (base.encodedPath().endsWith("/api/v1/scheduler")) {
            return b.build();
        }
        return b.addPathSegments("api/v1/scheduler").build();
    }
}
