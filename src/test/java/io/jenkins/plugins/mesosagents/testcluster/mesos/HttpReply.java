package io.jenkins.plugins.mesosagents.testcluster.mesos;

import com.google.protobuf.Message;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A plain (non-streaming) HTTP answer of the master. */
record HttpReply(int status, String contentType, byte[] body, Map<String, String> headers) {

    static HttpReply text(int status, String body) {
        return new HttpReply(
                status,
                "text/plain; charset=utf-8",
                body.getBytes(StandardCharsets.UTF_8),
                Map.of());
    }

    static HttpReply json(int status, String body) {
        return new HttpReply(
                status, WireCodec.JSON, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    static HttpReply message(int status, Message m, boolean json) {
        return new HttpReply(
                status,
                json ? WireCodec.JSON : WireCodec.PROTOBUF,
                WireCodec.encode(m, json),
                Map.of());
    }

    HttpReply withHeader(String name, String value) {
        Map<String, String> h = new java.util.LinkedHashMap<>(headers);
        h.put(name, value);
        return new HttpReply(status, contentType, body, h);
    }
}
