package io.jenkins.plugins.mesosagents.mesos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static java.nio.charset.StandardCharsets.UTF_8;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

class RecordIoDecoderTest {
    private final List<String> records = new ArrayList<>();

    private static byte[] encode(String... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String v : values) {
            byte[] data = v.getBytes(UTF_8);
            out.writeBytes((data.length + "\n").getBytes(UTF_8));
            out.writeBytes(data);
        }
        return out.toByteArray();
    }

    private void feed(RecordIoDecoder decoder, byte[] bytes) throws RecordIoException {
        decoder.feed(bytes, 0, bytes.length, r -> records.add(new String(r, UTF_8)));
    }

    @Test
    void decodesRecordsMergedIntoOneChunk() throws Exception {
        RecordIoDecoder decoder = new RecordIoDecoder();
        feed(decoder, encode("{\"type\":\"SUBSCRIBED\"}", "{\"type\":\"HEARTBEAT\"}", "ünïcode"));
        assertThat(records)
                .containsExactly(
                        "{\"type\":\"SUBSCRIBED\"}", "{\"type\":\"HEARTBEAT\"}", "ünïcode");
        assertThat(decoder.isAtRecordBoundary()).isTrue();
    }

    @Test
    void decodesRecordsSplitAtEveryPossibleByte() throws Exception {
        byte[] stream =
                encode("first record", "x", "a record with a newline\n inside", "1234567890");
        for (int split = 0; split <= stream.length; split++) {
            records.clear();
            RecordIoDecoder decoder = new RecordIoDecoder();
            decoder.feed(stream, 0, split, r -> records.add(new String(r, UTF_8)));
            decoder.feed(
                    stream, split, stream.length - split, r -> records.add(new String(r, UTF_8)));
            assertThat(records)
                    .as("split at %d", split)
                    .containsExactly(
                            "first record", "x", "a record with a newline\n inside", "1234567890");
        }
    }

    @Test
    void decodesRandomlyRechunkedStreamsByteByByteToo() throws Exception {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            expected.add("event-" + i + "-" + "y".repeat(i * 7));
        }
        byte[] stream = encode(expected.toArray(String[]::new));
        Random random = new Random(7);
        RecordIoDecoder decoder = new RecordIoDecoder();
        int pos = 0;
        while (pos < stream.length) {
            int n = Math.min(stream.length - pos, random.nextInt(3) == 0 ? 1 : random.nextInt(300));
            decoder.feed(stream, pos, n, r -> records.add(new String(r, UTF_8)));
            pos += n;
        }
        assertThat(records).isEqualTo(expected);
    }

    @Test
    void keepsAPartialRecordUntilTheRestArrives() throws Exception {
        RecordIoDecoder decoder = new RecordIoDecoder();
        feed(decoder, "5\nhel".getBytes(UTF_8));
        assertThat(records).isEmpty();
        assertThat(decoder.isAtRecordBoundary()).isFalse();
        feed(decoder, "lo".getBytes(UTF_8));
        assertThat(records).containsExactly("hello");
    }

    @Test
    void skipsEmptyLinesBetweenRecords() throws Exception {
        RecordIoDecoder decoder = new RecordIoDecoder();
        feed(decoder, "\n\n2\nab\n3\ncde".getBytes(UTF_8));
        assertThat(records).containsExactly("ab", "cde");
    }

    @Test
    void refusesARecordOverTheLimitBeforeBufferingIt() {
        RecordIoDecoder decoder = new RecordIoDecoder(1000);
        assertThatThrownBy(() -> feed(decoder, "1001\n".getBytes(UTF_8)))
                .isInstanceOf(RecordIoException.class)
                .hasMessageContaining("exceeds the limit of 1000 bytes");
        RecordIoDecoder huge = new RecordIoDecoder(1000);
        assertThatThrownBy(
                        () ->
                                feed(
                                        huge,
                                        "99999999999999999"
                                                .getBytes(UTF_8))) // no newline needed to refuse
                .isInstanceOf(RecordIoException.class)
                .hasMessageContaining("exceeds the limit");
    }

    @Test
    void acceptsARecordExactlyAtTheLimit() throws Exception {
        RecordIoDecoder decoder = new RecordIoDecoder(4);
        feed(decoder, encode("abcd"));
        assertThat(records).containsExactly("abcd");
    }

    @Test
    void rejectsMalformedLengths() {
        assertThatThrownBy(() -> feed(new RecordIoDecoder(), "HTTP/1.1 200 OK\n".getBytes(UTF_8)))
                .isInstanceOf(RecordIoException.class)
                .hasMessageContaining("expected a decimal record length, found 'H'")
                .hasMessageContaining("at byte 0");
        assertThatThrownBy(() -> feed(new RecordIoDecoder(), "3\nabc-1\nx".getBytes(UTF_8)))
                .isInstanceOf(RecordIoException.class)
                .hasMessageContaining("found '-'")
                .hasMessageContaining("at byte 5");
        assertThatThrownBy(() -> feed(new RecordIoDecoder(), "12\r\n".getBytes(UTF_8)))
                .hasMessageContaining("byte 0x0d");
        assertThatThrownBy(() -> feed(new RecordIoDecoder(), "0\n".getBytes(UTF_8)))
                .hasMessageContaining("record length 0");
        assertThatThrownBy(
                        () ->
                                feed(
                                        new RecordIoDecoder(Integer.MAX_VALUE),
                                        "00000000000000000001\n".getBytes(UTF_8)))
                .hasMessageContaining("more than 19 digits");
    }

    /**
     * Found by RecordIoDecoderFuzzTest: a length line alone ("67108863\n", 9 bytes) made the
     * decoder allocate the whole declared record (64 MiB) before any of it arrived, so a broken or
     * hostile stream could cost maxRecordBytes per connection for a few bytes sent.
     */
    @Test
    void aDeclaredLengthIsNotAllocatedBeforeTheBytesArrive() throws Exception {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        RecordIoDecoder decoder = new RecordIoDecoder();
        byte[] warmUp = "1\nx".getBytes(UTF_8);
        decoder.feed(warmUp, 0, warmUp.length, r -> {});
        byte[] prefix = (RecordIoDecoder.DEFAULT_MAX_RECORD_BYTES - 1 + "\nabc").getBytes(UTF_8);
        long before = threads.getCurrentThreadAllocatedBytes();
        decoder.feed(prefix, 0, prefix.length, r -> {});
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(allocated).isLessThan(1024 * 1024);
        assertThat(decoder.isAtRecordBoundary()).isFalse();
    }

    @Test
    void aLargeRecordFedInSmallChunksArrivesWhole() throws Exception {
        byte[] payload = new byte[3 * 1024 * 1024 + 17];
        new Random(12).nextBytes(payload);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.write((payload.length + "\n").getBytes(UTF_8));
        stream.write(payload);
        byte[] bytes = stream.toByteArray();
        RecordIoDecoder decoder = new RecordIoDecoder();
        List<byte[]> records = new ArrayList<>();
        for (int off = 0; off < bytes.length; off += 1000) {
            decoder.feed(bytes, off, Math.min(1000, bytes.length - off), records::add);
        }

        assertThat(records).hasSize(1);
        assertThat(records.get(0)).isEqualTo(payload);
        assertThat(decoder.isAtRecordBoundary()).isTrue();
    }
}
