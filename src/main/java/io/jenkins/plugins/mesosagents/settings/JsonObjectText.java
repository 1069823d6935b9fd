package io.jenkins.plugins.mesosagents.settings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.jenkins.plugins.mesosagents.engine.TemplateProblem;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A map typed into a form's text area as a JSON object (e.g. a Marathon app definition), and back
 * for showing a map in such a text area. Blank text is an empty map.
 */
public final class JsonObjectText {
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonObjectText() {}

    public static TemplateText.Parsed<Map<String, Object>> parse(String field, String text) {
        if (text == null || text.isBlank()) {
            return new TemplateText.Parsed<>(new LinkedHashMap<>(), List.of());
        }
        try {
            Map<String, Object> map =
                    JSON.readValue(text, new TypeReference<LinkedHashMap<String, Object>>() {});
            return new TemplateText.Parsed<>(map, List.of());
        } catch (JsonProcessingException e) {
            return new TemplateText.Parsed<>(
                    new LinkedHashMap<>(),
                    List.of(
                            new TemplateProblem(
                                    field,
                                    "not a JSON object ("
                                            + e.getOriginalMessage()
                                            + " at line "
                                            + e.getLocation().getLineNr()
                                            + ", column "
                                            + e.getLocation().getColumnNr()
                                            + "), e.g. {\"id\": \"/web\", \"instances\": 2}")));
        }
    }

    public static String format(Map<String, Object> map) {
        if (map == null || map.isEmpty()) {
            return "";
        }
        try {
            return JSON.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            // a map bound from Pipeline holds only JSON-able values (strings, numbers, lists, maps)
            return String.valueOf(map);
        }
    }
}
