package io.jenkins.plugins.mesosagents.mesos;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Incremental decoder of Mesos RecordIO ({@code <decimal length>\n<length bytes>}…). Bytes are fed
 * in whatever chunks the transport delivers; chunk boundaries need not line up with records. Empty
 * lines between records are skipped, more leniently than Mesos' own decoder, which fails on them
 * (its empty length header does not parse, stout recordio.hpp:98-111); masters never send them. A
 * record longer than {@code maxRecordBytes} is refused before any of it is buffered, and the buffer
 * grows with the bytes that arrive rather than being allocated at the declared length, so a length
 * line alone costs at most {@link #INITIAL_BUFFER_BYTES}. Not thread-safe: one decoder per stream.
 */
public final class RecordIoDecoder {

    /**
     * 64 MiB: a 10,000-offer OFFERS event is a few MiB; larger than this is a broken or hostile
     * stream.
     */
    public static final int DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024;

    /** First buffer for a record; it doubles as data arrives, up to the declared length. */
    static final int INITIAL_BUFFER_BYTES = 64 * 1024;

    private static final int MAX_LENGTH_DIGITS = 19;

    private final int maxRecordBytes;
    private long length;
    private int lengthDigits;
    private byte[] record; // non-null while reading record data; grows up to recordLength
    private int recordLength;
    private int filled;
    private long offset; // bytes consumed so far, for error messages

    public RecordIoDecoder(int maxRecordBytes) {
        if (maxRecordBytes <= 0) {
            throw new IllegalArgumentException(
                    "maxRecordBytes must be positive, was " + maxRecordBytes);
        }
        this.maxRecordBytes = maxRecordBytes;
    }

    public RecordIoDecoder() {
        this(DEFAULT_MAX_RECORD_BYTES);
    }

    /**
     * Consumes {@code len} bytes of {@code buf} from {@code off}, handing each completed record to
     * {@code sink}.
     */
    public void feed(byte[] buf, int off, int len, Consumer<byte[]> sink) throws RecordIoException {
        int end = off + len;
        int i = off;
        while (i < end) {
            if (record != null) {
                if (filled == record.length) {
                    record = Arrays.copyOf(record, (int) Math.min(2L * filled, recordLength));
                }
                int n = Math.min(end - i, record.length - filled);
                System.arraycopy(buf, i, record, filled, n);
                filled += n;
                i += n;
                if (filled == recordLength) {
                    byte[] done = record;
                    record = null;
                    filled = 0;
                    sink.accept(done);
                }
                continue;
            }
            byte b = buf[i++];
            if (b == '\n') {
                if (lengthDigits > 0) {
                    startRecord();
                }
                continue; // an empty line between records
            }
            if (b < '0' || b > '9') {
                throw new RecordIoException(
                        "Malformed RecordIO stream at byte "
                                + (offset + i - off - 1)
                                + ": expected a decimal record length, found "
                                + describe(b)
                                + ". The master (or a proxy in between) sent something that is not"
                                + " a Mesos event stream.");
            }
            if (++lengthDigits > MAX_LENGTH_DIGITS) {
                throw new RecordIoException(
                        "Malformed RecordIO stream: record length has more than "
                                + MAX_LENGTH_DIGITS
                                + " digits");
            }
            length = length * 10 + (b - '0');
            if (length > maxRecordBytes) {
                throw tooLarge();
            }
        }
        offset += len;
    }

    /**
     * True when no partial record is buffered, i.e. the stream may end here without losing data.
     */
    public boolean isAtRecordBoundary() {
        return record == null && lengthDigits == 0;
    }

    private void startRecord() throws RecordIoException {
        if (length == 0) {
            throw new RecordIoException(
                    "Malformed RecordIO stream: record length 0 (Mesos never sends empty records)");
        }
        recordLength = (int) length;
        record = new byte[Math.min(recordLength, INITIAL_BUFFER_BYTES)];
        filled = 0;
        length = 0;
        lengthDigits = 0;
    }

    private RecordIoException tooLarge() {
        return new RecordIoException(
                "RecordIO record exceeds the limit of "
                        + maxRecordBytes
                        + " bytes; raise the client's maxRecordBytes if the master really sends"
                        + " events this large");
    }

    private static String describe(byte b) {
        return b >= 0x20 && b < 0x7f
                ? "'" + (char) b + "'"
                : String.format("byte 0x%02x", b & 0xff);
    }
}
