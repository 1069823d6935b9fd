package io.jenkins.plugins.mesosagents.mesos;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;

import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

import java.nio.charset.StandardCharsets;

/**
 * The two encodings of the scheduler API. The media type strings are sent exactly as written: the
 * master compares {@code Content-Type} as a plain string, so {@code application/json;
 * charset=UTF-8} would be refused with 415. JSON uses the proto field names (snake_case) and
 * ignores fields this client does not know, as the master does.
 */
public enum Encoding {
    PROTOBUF("application/x-protobuf") {
        @Override
        public byte[] encode(Call call) {
            return call.toByteArray();
        }

        @Override
        public Event decodeEvent(byte[] record) throws InvalidProtocolBufferException {
            return Event.parseFrom(record);
        }
    },
    JSON("application/json") {
        private final JsonFormat.Printer printer =
                JsonFormat.printer().preservingProtoFieldNames().omittingInsignificantWhitespace();
        private final JsonFormat.Parser parser = JsonFormat.parser().ignoringUnknownFields();

        @Override
        public byte[] encode(Call call) {
            try {
                return printer.print(call).getBytes(StandardCharsets.UTF_8);
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalArgumentException(
                        "Cannot encode " + call.getType() + " call as JSON: " + e.getMessage(), e);
            }
        }

        @Override
        public Event decodeEvent(byte[] record) throws InvalidProtocolBufferException {
            Event.Builder event = Event.newBuilder();
            parser.merge(new String(record, StandardCharsets.UTF_8), event);
            if (!event.isInitialized()) {
                throw new InvalidProtocolBufferException(
                        "JSON event lacks required fields: " + event.findInitializationErrors());
            }
            return event.buildPartial(); // initialization was checked just above
        }
    };

    private final String mediaType;

    Encoding(String mediaType) {
        this.mediaType = mediaType;
    }

    /** The exact {@code Content-Type}/{@code Accept} value. */
    public String mediaType() {
        return mediaType;
    }

    public abstract byte[] encode(Call call);

    /**
     * Decodes one RecordIO record into an event. Bytes that are not an event in this encoding throw
     * {@link InvalidProtocolBufferException} and nothing else (fuzzed: EventDecodingFuzzTest).
     */
    public abstract Event decodeEvent(byte[] record) throws InvalidProtocolBufferException;
}
