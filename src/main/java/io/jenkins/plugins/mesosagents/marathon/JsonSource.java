package io.jenkins.plugins.mesosagents.marathon;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON text parsed into a tree together with the line:column of every value, so that validation
 * messages can point into the user's file ({@code marathon.json:4:12}). Duplicate keys are an
 * error, like trailing garbage.
 */
final class JsonSource {
    /**
     * Far deeper than any app definition; {@link #read} recurses per level, and Jackson's default
     * (1000) is deeper than a small thread stack allows (StackOverflowError instead of a message).
     */
    static final int MAX_NESTING_DEPTH = 100;

    private static final JsonFactory FACTORY =
            JsonFactory.builder()
                    .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .streamReadConstraints(
                            StreamReadConstraints.builder()
                                    .maxNestingDepth(MAX_NESTING_DEPTH)
                                    .build())
                    .build();

    private final String name;
    private final JsonNode root;
    private final Map<String, String> positions;

    private JsonSource(String name, JsonNode root, Map<String, String> positions) {
        this.name = name;
        this.root = root;
        this.positions = positions;
    }

    static JsonSource parse(String name, String text) {
        Map<String, String> positions = new HashMap<>();
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new InvalidAppDefinitionException(
                        name, List.of(name + ": the file is empty; it must hold one JSON object"));
            }
            JsonNode root = read(parser, "", positions);
            if (parser.nextToken() != null) {
                throw new InvalidAppDefinitionException(
                        name,
                        List.of(
                                at(name, parser.currentTokenLocation())
                                        + ": unexpected content after the end of the JSON object"));
            }
            return new JsonSource(name, root, positions);
        } catch (JsonParseException e) {
            throw new InvalidAppDefinitionException(
                    name,
                    List.of(
                            at(name, e.getLocation())
                                    + ": "
                                    + clean(e.getOriginalMessage())
                                    + " (is the file valid JSON? check quotes, commas and braces"
                                    + " near this position)"));
        } catch (StreamConstraintsException e) {
            throw new InvalidAppDefinitionException(
                    name,
                    List.of(
                            at(name, e.getLocation())
                                    + ": the JSON is nested more than "
                                    + MAX_NESTING_DEPTH
                                    + " levels deep; an app definition needs far fewer (is this"
                                    + " the right file?)"));
        } catch (JsonProcessingException e) {
            throw new InvalidAppDefinitionException(
                    name,
                    List.of(at(name, e.getLocation()) + ": " + clean(e.getOriginalMessage())));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Jackson's messages mention its internal source description; the position is already in front.
     */
    private static String clean(String message) {
        return message.replaceAll("\\s*\\(for \\w+ starting at \\[Source:.*?; line: \\d+]\\)", "")
                .replaceAll("\\s*at \\[Source:.*?]", "");
    }

    static JsonSource of(String name, JsonNode root) {
        return new JsonSource(name, root, Map.of());
    }

    private static String at(String name, JsonLocation location) {
        return location == null
                ? name
                : name + ":" + location.getLineNr() + ":" + location.getColumnNr();
    }

    private static JsonNode read(JsonParser parser, String pointer, Map<String, String> positions)
            throws IOException {
        JsonLocation location = parser.currentTokenLocation();
        positions.put(pointer, location.getLineNr() + ":" + location.getColumnNr());
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        switch (parser.currentToken()) {
            case START_OBJECT -> {
                ObjectNode object = nodes.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    parser.nextToken();
                    object.set(
                            field,
                            read(
                                    parser,
                                    pointer + "/" + field.replace("~", "~0").replace("/", "~1"),
                                    positions));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = nodes.arrayNode();
                int index = 0;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(read(parser, pointer + "/" + index++, positions));
                }
                return array;
            }
            case VALUE_STRING -> {
                return nodes.textNode(parser.getText());
            }
            case VALUE_NUMBER_INT -> {
                return switch (parser.getNumberType()) {
                    case INT -> nodes.numberNode(parser.getIntValue());
                    case LONG -> nodes.numberNode(parser.getLongValue());
                    default -> nodes.numberNode(parser.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return nodes.numberNode(parser.getDoubleValue());
            }
            case VALUE_TRUE -> {
                return nodes.booleanNode(true);
            }
            case VALUE_FALSE -> {
                return nodes.booleanNode(false);
            }
            case VALUE_NULL -> {
                return nodes.nullNode();
            }
            default -> throw new JsonParseException(parser, "unexpected " + parser.currentToken());
        }
    }

    String name() {
        return name;
    }

    JsonNode root() {
        return root;
    }

    /**
     * "marathon.json:4:12 /container/docker/image" or, without a known position, "marathon.json
     * /x".
     */
    String where(String pointer) {
        String position = positions.get(pointer);
        String path = pointer.isEmpty() ? "/" : pointer;
        return position == null ? name + " " + path : name + ":" + position + " " + path;
    }
}
