package io.jenkins.plugins.mesosagents.mesos;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.jenkins.plugins.mesosagents.fuzz.FuzzBounds;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes {@link RecordIoDecoder}: only {@link RecordIoException} escapes (its Javadoc), the default
 * 64 MiB limit never makes a short stream allocate the declared length, and the records do not
 * depend on how the transport chunks the bytes. Long run: docs/reliability.md.
 */
class RecordIoDecoderFuzzTest {
    private final FuzzBounds bounds = new FuzzBounds();

    @FuzzTest(maxDuration = "5m")
    void decode(FuzzedDataProvider data) {
        int chunk = data.consumeInt(1, 64);
        byte[] stream = data.consumeRemainingAsBytes();
        bounds.check(
                stream.length,
                () -> {
                    List<byte[]> whole = new ArrayList<>();
                    String wholeError = decode(stream, stream.length, whole);
                    List<byte[]> chunked = new ArrayList<>();
                    String chunkedError = decode(stream, chunk, chunked);
                    assertThat(chunked.size()).isEqualTo(whole.size());
                    for (int i = 0; i < whole.size(); i++) {
                        assertThat(chunked.get(i)).isEqualTo(whole.get(i));
                    }
                    assertThat(chunkedError != null).isEqualTo(wholeError != null);
                });
    }

    /** Decodes in chunks of {@code chunk} bytes; the RecordIoException's message, or null. */
    private static String decode(byte[] stream, int chunk, List<byte[]> records) {
        RecordIoDecoder decoder = new RecordIoDecoder();
        try {
            for (int off = 0; off < stream.length; off += chunk) {
                int len = Math.min(chunk, stream.length - off);
                byte[] copy = Arrays.copyOfRange(stream, off, off + len);
                decoder.feed(copy, 0, len, records::add);
            }
            return null;
        } catch (RecordIoException e) {
            assertThat(e.getMessage()).isNotBlank();
            return e.getMessage();
        }
    }
}
