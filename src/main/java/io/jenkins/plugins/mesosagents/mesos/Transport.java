package io.jenkins.plugins.mesosagents.mesos;

import io.jenkins.plugins.mesosagents.dcos.Pem;
import io.jenkins.plugins.mesosagents.dcos.ServiceAccount;
import io.jenkins.plugins.mesosagents.mesos.internal.AuthInterceptor;
import io.jenkins.plugins.mesosagents.mesos.internal.DcosTokenProvider;

import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;

import java.security.GeneralSecurityException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;

/**
 * The two HTTP clients of a connection. The subscription stream and the calls use separate
 * connection pools, so a call never rides on the stream's connection (the master requires that),
 * and HTTP/1.1 only, because HTTP/2 would multiplex both onto one connection. Calls go out in
 * parallel, each with its own timeout, so one hung call cannot hold back the others; {@link
 * SchedulerConnection} keeps order where it matters. Redirects are followed by hand: OkHttp does
 * not re-POST on 307.
 */
final class Transport {
    /** Calls on the wire at once; more wait in OkHttp's queue. */
    static final int MAX_PARALLEL_CALLS = 16;

    final OkHttpClient stream;
    final OkHttpClient calls;
    private final Dispatcher callDispatcher;
    private final boolean ownsBase;
    private final OkHttpClient base;

    Transport(SchedulerConfig config) {
        ownsBase = config.httpClient.isEmpty();
        base = config.httpClient.orElseGet(OkHttpClient::new);
        OkHttpClient.Builder common =
                base.newBuilder()
                        .protocols(List.of(Protocol.HTTP_1_1))
                        .followRedirects(false)
                        .followSslRedirects(false)
                        .retryOnConnectionFailure(false)
                        .connectTimeout(config.requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        config.caBundlePem.ifPresent(pem -> trust(common, Pem.trustManager(pem)));
        OkHttpClient plain = common.build();
        config.credentials.ifPresent(
                credentials -> {
                    DcosTokenProvider dcos =
                            credentials instanceof MesosCredentials.DcosServiceAccount account
                                    ? new DcosTokenProvider(
                                            account,
                                            () -> defaultLoginUrl(config),
                                            plain,
                                            config.clock)
                                    : null;
                    AuthInterceptor auth = new AuthInterceptor(credentials, dcos);
                    common.addInterceptor(auth).authenticator(auth);
                });
        stream =
                common.connectionPool(new ConnectionPool())
                        .readTimeout(
                                0, TimeUnit.MILLISECONDS) // the heartbeat watchdog decides when the
                        // stream is dead
                        .callTimeout(0, TimeUnit.MILLISECONDS)
                        .build();
        callDispatcher = new Dispatcher();
        callDispatcher.setMaxRequests(MAX_PARALLEL_CALLS);
        callDispatcher.setMaxRequestsPerHost(MAX_PARALLEL_CALLS);
        calls =
                stream.newBuilder()
                        .dispatcher(callDispatcher)
                        .connectionPool(new ConnectionPool())
                        .readTimeout(config.callTimeout.toMillis(), TimeUnit.MILLISECONDS)
                        .callTimeout(config.callTimeout.toMillis(), TimeUnit.MILLISECONDS)
                        .build();
    }

    void close() {
        callDispatcher.executorService().shutdown();
        stream.connectionPool().evictAll();
        calls.connectionPool().evictAll();
        if (ownsBase) {
            base.dispatcher().executorService().shutdown();
        }
    }

    private static void trust(OkHttpClient.Builder builder, X509TrustManager trustManager) {
        try {
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, new javax.net.ssl.TrustManager[] {trustManager}, null);
            builder.sslSocketFactory(tls.getSocketFactory(), trustManager);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "Cannot set up TLS with the configured CA bundle: " + e.getMessage(), e);
        }
    }

    // Admin Router serves the IAM login on the cluster URL of the gateway master URL;
    // SchedulerConfig
    // admits no other URLs without a login_endpoint
    private static HttpUrl defaultLoginUrl(SchedulerConfig config) {
        List<HttpUrl> candidates = config.masters.candidates();
        HttpUrl master =
                candidates.isEmpty() ? HttpUrl.get("https://leader.mesos") : candidates.get(0);
        return ServiceAccount.defaultLoginUrl(master);
    }
}
