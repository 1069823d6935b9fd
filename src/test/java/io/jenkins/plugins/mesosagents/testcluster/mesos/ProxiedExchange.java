package io.jenkins.plugins.mesosagents.testcluster.mesos;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;

/**
 * An exchange that {@link AdminRouter} hands to a master with the path it proxies to (the {@code
 * /mesos} prefix stripped); everything else, including the streaming response body, is the client's
 * own exchange, so a subscription through the gateway streams like a direct one and ends when the
 * client goes away.
 */
final class ProxiedExchange extends HttpExchange {
    private final HttpExchange client;
    private final URI upstream;

    ProxiedExchange(HttpExchange client, URI upstream) {
        this.client = client;
        this.upstream = upstream;
    }

    @Override
    public URI getRequestURI() {
        return upstream;
    }

    @Override
    public Headers getRequestHeaders() {
        return client.getRequestHeaders();
    }

    @Override
    public Headers getResponseHeaders() {
        return client.getResponseHeaders();
    }

    @Override
    public String getRequestMethod() {
        return client.getRequestMethod();
    }

    @Override
    public HttpContext getHttpContext() {
        return client.getHttpContext();
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public InputStream getRequestBody() {
        return client.getRequestBody();
    }

    @Override
    public OutputStream getResponseBody() {
        return client.getResponseBody();
    }

    @Override
    public void sendResponseHeaders(int rCode, long responseLength) throws IOException {
        client.sendResponseHeaders(rCode, responseLength);
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return client.getRemoteAddress();
    }

    @Override
    public int getResponseCode() {
        return client.getResponseCode();
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return client.getLocalAddress();
    }

    @Override
    public String getProtocol() {
        return client.getProtocol();
    }

    @Override
    public Object getAttribute(String name) {
        return client.getAttribute(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        client.setAttribute(name, value);
    }

    @Override
    public void setStreams(InputStream i, OutputStream o) {
        client.setStreams(i, o);
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return client.getPrincipal();
    }
}
