package io.jenkins.plugins.mesosagents.image.auth;

import okhttp3.Call;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Carries the AWS SDK's calls (ECR, STS) over an {@link OkHttpClient}, so they take the same route
 * as the registry calls: Jenkins' HTTP proxy with its login, chosen per host. The JDK client the
 * SDK would otherwise use ignores that proxy and logs every request header, session tokens
 * included, when its logger is at FINE; OkHttp logs nothing by itself. Closing it closes nothing:
 * the client's pool belongs to whoever built it.
 */
final class OkHttpSdkClient implements SdkHttpClient {
    private final OkHttpClient http;

    OkHttpSdkClient(OkHttpClient http) {
        this.http = http;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        Call call = http.newCall(toOkHttp(request));
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                Response response = call.execute();
                ResponseBody body = response.body();
                SdkHttpResponse head =
                        SdkHttpResponse.builder()
                                .statusCode(response.code())
                                .statusText(response.message())
                                .headers(headers(response.headers()))
                                .build();
                HttpExecuteResponse.Builder answer = HttpExecuteResponse.builder().response(head);
                if (body != null) {
                    answer.responseBody(
                            AbortableInputStream.create(body.byteStream(), call::cancel));
                }
                return answer.build();
            }

            @Override
            public void abort() {
                call.cancel();
            }
        };
    }

    @Override
    public String clientName() {
        return "OkHttp";
    }

    @Override
    public void close() {
        // the OkHttpClient is shared; its owner keeps or drops it
    }

    private static Request toOkHttp(HttpExecuteRequest execute) {
        SdkHttpRequest sdk = execute.httpRequest();
        Request.Builder request = new Request.Builder().url(HttpUrl.get(sdk.getUri()));
        sdk.forEachHeader(
                (name, values) -> {
                    for (String value : values) {
                        request.addHeader(name, value);
                    }
                });
        request.method(sdk.method().name(), body(sdk, execute.contentStreamProvider()));
        return request.build();
    }

    /** The request body, read whole: ECR and STS requests are a few hundred bytes of JSON/form. */
    private static RequestBody body(SdkHttpRequest sdk, Optional<ContentStreamProvider> content) {
        if (content.isEmpty()) {
            return needsBody(sdk.method()) ? RequestBody.create(new byte[0]) : null;
        }
        byte[] bytes;
        try (InputStream in = content.get().newStream()) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading the AWS request body failed", e);
        }
        MediaType type = sdk.firstMatchingHeader("Content-Type").map(MediaType::parse).orElse(null);
        return RequestBody.create(bytes, type);
    }

    private static boolean needsBody(SdkHttpMethod method) {
        return method == SdkHttpMethod.POST
                || method == SdkHttpMethod.PUT
                || method == SdkHttpMethod.PATCH;
    }

    private static Map<String, List<String>> headers(Headers headers) {
        return headers.toMultimap();
    }
}
