package io.jenkins.plugins.mesosagents.mesos.internal;

import io.jenkins.plugins.mesosagents.mesos.MesosCredentials;

import okhttp3.Authenticator;
import okhttp3.Credentials;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.Route;

import java.io.IOException;
import java.util.logging.Logger;

/**
 * Adds the {@code Authorization} header to every scheduler request and, for DC/OS, answers a 401
 * with one fresh login. A 401 with Basic credentials is final: the same principal/secret would be
 * refused again.
 */
public final class AuthInterceptor implements Interceptor, Authenticator {
    private static final Logger LOG = Logger.getLogger(AuthInterceptor.class.getName());
    private static final String TOKEN_PREFIX = "token=";

    private final String basicHeader;
    private final DcosTokenProvider dcos;

    public AuthInterceptor(MesosCredentials credentials, DcosTokenProvider dcos) {
        this.basicHeader =
                credentials instanceof MesosCredentials.Basic b
                        ? Credentials.basic(b.principal(), b.secret())
                        : null;
        this.dcos = dcos;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        if (request.header("Authorization") != null) {
            return chain.proceed(request);
        }
        String value = basicHeader != null ? basicHeader : TOKEN_PREFIX + dcos.token();
        return chain.proceed(request.newBuilder().header("Authorization", value).build());
    }

    @Override
    public Request authenticate(Route route, Response response) throws IOException {
        if (dcos == null || response.priorResponse() != null) {
            return null;
        }
        String sent = response.request().header("Authorization");
        if (sent != null && sent.startsWith(TOKEN_PREFIX)) {
            dcos.invalidate(sent.substring(TOKEN_PREFIX.length()));
        }
        LOG.info("Master answered 401 to a DC/OS token; logging in again");
        return response.request()
                .newBuilder()
                .header("Authorization", TOKEN_PREFIX + dcos.token())
                .build();
    }

    @Override
    public String toString() {
        return "AuthInterceptor[" + (basicHeader != null ? "basic" : "dcos") + "]";
    }
}
