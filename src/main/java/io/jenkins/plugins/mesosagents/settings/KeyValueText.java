package io.jenkins.plugins.mesosagents.settings;

import io.jenkins.plugins.mesosagents.engine.TemplateProblem;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A map typed into a form's text area as {@code key=value} per line (blank lines and {@code #}
 * comments skipped), e.g. a build's arguments or image labels; and back, for showing a map in such
 * a text area. Keys may contain anything but {@code =} (image label keys have dots).
 */
public final class KeyValueText {
    private KeyValueText() {}

    public static TemplateText.Parsed<Map<String, String>> parse(String field, String text) {
        Map<String, String> map = new LinkedHashMap<>();
        List<TemplateProblem> problems = new ArrayList<>();
        for (String line : TemplateText.lines(text)) {
            int eq = line.indexOf('=');
            if (eq <= 0) {
                problems.add(
                        new TemplateProblem(
                                field,
                                "'"
                                        + line
                                        + "' is not key=value (e.g. VERSION=1.4), one per line"));
            } else {
                map.put(line.substring(0, eq).strip(), line.substring(eq + 1));
            }
        }
        return new TemplateText.Parsed<>(map, problems);
    }

    public static String format(Map<String, String> map) {
        if (map == null) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        map.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        return text.toString();
    }
}
