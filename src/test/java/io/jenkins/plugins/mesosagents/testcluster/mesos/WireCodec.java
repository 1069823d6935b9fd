package io.jenkins.plugins.mesosagents.testcluster.mesos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;

import org.apache.mesos.v1.scheduler.Protos.Call;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The master's two encodings. JSON follows stout's codec rather than protobuf's canonical JSON
 * mapping: only snake_case proto field names are recognised (others are silently ignored, so a
 * camelCase client fails with "Missing required fields" exactly as against a real master) and, on
 * output, unset fields that declare a {@code [default=...]} are emitted. Records are framed as
 * RecordIO ({@code <decimal length>\n<bytes>}).
 */
final class WireCodec {
    static final String JSON = "application/json";
    static final String PROTOBUF = "application/x-protobuf";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFormat.Printer PRINTER =
            JsonFormat.printer().preservingProtoFieldNames().omittingInsignificantWhitespace();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    private WireCodec() {}

    /** A request the master rejects with 400 and this body. */
    static final class BadRequest extends Exception {
        BadRequest(String message) {
            super(message);
        }
    }

    static Call parseCall(byte[] body, boolean json) throws BadRequest {
        if (json) {
            JsonNode tree;
            try {
                tree = MAPPER.readTree(body);
            } catch (IOException e) {
                throw new BadRequest(
                        "Failed to parse body into JSON: "
                                + e.getMessage().lines().findFirst().orElse(""));
            }
            if (tree == null || !tree.isObject()) {
                throw new BadRequest(
                        "Failed to convert JSON into Call protobuf: Expecting a JSON object");
            }
            Call.Builder b = Call.newBuilder();
            try {
                PARSER.merge(
                        MAPPER.writeValueAsString(keepProtoNamesOnly(tree, Call.getDescriptor())),
                        b);
            } catch (com.google.protobuf.UninitializedMessageException e) {
                throw new BadRequest(
                        "Failed to convert JSON into Call protobuf: Missing required fields: "
                                + String.join(", ", e.getMissingFields()));
            } catch (IOException | RuntimeException e) {
                String m = String.valueOf(e.getMessage());
                int i = m.indexOf("missing required fields: ");
                throw new BadRequest(
                        "Failed to convert JSON into Call protobuf: "
                                + (i < 0
                                        ? m
                                        : "Missing required fields: "
                                                + m.substring(
                                                        i + "missing required fields: ".length())));
            }
            if (!b.isInitialized()) {
                throw new BadRequest(
                        "Failed to convert JSON into Call protobuf: Missing required fields: "
                                + String.join(", ", b.findInitializationErrors()));
            }
            return b.build();
        }
        try {
            return Call.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new BadRequest("Failed to parse body into Call protobuf");
        }
    }

    static byte[] encode(Message message, boolean json) {
        if (!json) {
            return message.toByteArray();
        }
        return toJson(message).getBytes(StandardCharsets.UTF_8);
    }

    static String toJson(Message message) {
        Message.Builder b = message.toBuilder();
        fillDeclaredDefaults(b);
        try {
            String canonical = PRINTER.print(b.build());
            if (!has64BitField(message.getDescriptorForType(), new java.util.HashSet<>())) {
                return canonical;
            }
            JsonNode tree = MAPPER.readTree(canonical);
            return MAPPER.writeValueAsString(
                    unquote64BitIntegers(tree, message.getDescriptorForType()));
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot print " + message.getDescriptorForType().getFullName(), e);
        }
    }

    private static boolean is64Bit(FieldDescriptor f) {
        return switch (f.getType()) {
            case INT64, UINT64, SINT64, FIXED64, SFIXED64 -> true;
            default -> false;
        };
    }

    private static boolean has64BitField(Descriptor type, java.util.Set<Descriptor> visited) {
        if (!visited.add(type)) {
            return false;
        }
        for (FieldDescriptor f : type.getFields()) {
            if (is64Bit(f)
                    || (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                            && has64BitField(f.getMessageType(), visited))) {
                return true;
            }
        }
        return false;
    }

    /** protobuf's canonical JSON quotes 64-bit integers; stout writes them as JSON numbers. */
    private static JsonNode unquote64BitIntegers(JsonNode node, Descriptor type) {
        if (!node.isObject()) {
            return node;
        }
        ObjectNode obj = (ObjectNode) node;
        List<String> keys = new ArrayList<>();
        obj.fieldNames().forEachRemaining(keys::add);
        for (String key : keys) {
            FieldDescriptor f = type.findFieldByName(key);
            if (f == null) {
                continue;
            }
            JsonNode v = obj.get(key);
            if (is64Bit(f)) {
                if (v.isArray()) {
                    var arr = MAPPER.createArrayNode();
                    v.forEach(
                            x ->
                                    arr.add(
                                            x.isTextual()
                                                    ? new java.math.BigInteger(x.asText())
                                                    : x.bigIntegerValue()));
                    obj.set(key, arr);
                } else if (v.isTextual()) {
                    obj.put(key, new java.math.BigInteger(v.asText()));
                }
            } else if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !f.isMapField()) {
                if (v.isArray()) {
                    v.forEach(x -> unquote64BitIntegers(x, f.getMessageType()));
                } else {
                    unquote64BitIntegers(v, f.getMessageType());
                }
            }
        }
        return obj;
    }

    static <T extends Message> T fromJson(String json, Message.Builder builder, Class<T> type)
            throws IOException {
        PARSER.merge(json, builder);
        return type.cast(builder.build());
    }

    static byte[] frame(byte[] record) {
        byte[] header = (record.length + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[header.length + record.length];
        System.arraycopy(header, 0, out, 0, header.length);
        System.arraycopy(record, 0, out, header.length, record.length);
        return out;
    }

    private static void fillDeclaredDefaults(Message.Builder b) {
        for (FieldDescriptor f : b.getDescriptorForType().getFields()) {
            if (f.isRepeated()) {
                if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !f.isMapField()) {
                    for (int i = 0; i < b.getRepeatedFieldCount(f); i++) {
                        fillDeclaredDefaults(b.getRepeatedFieldBuilder(f, i));
                    }
                }
            } else if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                if (b.hasField(f)) {
                    fillDeclaredDefaults(b.getFieldBuilder(f));
                }
            } else if (!b.hasField(f)
                    && f.hasDefaultValue()
                    && !f.getOptions().getDeprecated()
                    && f.getContainingOneof() == null) {
                b.setField(f, f.getDefaultValue());
            }
        }
    }

    /**
     * Drops keys that are not proto field names (stout looks fields up with FindFieldByName only).
     */
    private static JsonNode keepProtoNamesOnly(JsonNode node, Descriptor type) {
        if (!node.isObject()) {
            return node;
        }
        ObjectNode out = MAPPER.createObjectNode();
        Iterator<String> names = node.fieldNames();
        List<String> keys = new ArrayList<>();
        names.forEachRemaining(keys::add);
        for (String key : keys) {
            FieldDescriptor f = type.findFieldByName(key);
            if (f == null) {
                continue;
            }
            JsonNode value = node.get(key);
            if (f.isMapField()) {
                FieldDescriptor valueField = f.getMessageType().findFieldByName("value");
                if (valueField.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                        && value.isObject()) {
                    ObjectNode m = MAPPER.createObjectNode();
                    value.fields()
                            .forEachRemaining(
                                    e ->
                                            m.set(
                                                    e.getKey(),
                                                    keepProtoNamesOnly(
                                                            e.getValue(),
                                                            valueField.getMessageType())));
                    value = m;
                }
            } else if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                if (value.isArray()) {
                    var arr = MAPPER.createArrayNode();
                    value.forEach(v -> arr.add(keepProtoNamesOnly(v, f.getMessageType())));
                    value = arr;
                } else {
                    value = keepProtoNamesOnly(value, f.getMessageType());
                }
            }
            out.set(key, value);
        }
        return out;
    }
}
