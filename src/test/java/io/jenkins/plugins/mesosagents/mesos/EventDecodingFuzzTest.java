package io.jenkins.plugins.mesosagents.mesos;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;

import io.jenkins.plugins.mesosagents.fuzz.FuzzBounds;

/**
 * Fuzzes {@link Encoding#decodeEvent} in both encodings, as {@link SubscriptionLoop} calls it on
 * each RecordIO record: only {@link InvalidProtocolBufferException} (the declared exception, which
 * the loop turns into "event stream is corrupt") may escape; anything else would kill the
 * subscription thread instead of reconnecting. Long run: docs/reliability.md.
 */
class EventDecodingFuzzTest {
    private final FuzzBounds bounds = new FuzzBounds();

    @FuzzTest(maxDuration = "5m")
    void decodeEvent(FuzzedDataProvider data) {
        Encoding encoding = data.consumeBoolean() ? Encoding.JSON : Encoding.PROTOBUF;
        byte[] record = data.consumeRemainingAsBytes();
        bounds.check(
                record.length,
                () -> encoding.decodeEvent(record),
                InvalidProtocolBufferException.class);
    }
}
