package io.jenkins.plugins.mesosagents.testcluster.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One object of a mesos-plugin configuration (a cloud, a template, a container …) with the keys
 * read so far, so that every key nobody read can be reported instead of being dropped silently.
 */
final class Fields {
    private final JsonNode node;
    final String path;
    private final Set<String> read = new LinkedHashSet<>();

    Fields(JsonNode node, String path) {
        this.node = node == null ? MissingNode.getInstance() : node;
        this.path = path;
    }

    boolean has(String key) {
        JsonNode v = node.get(key);
        return v != null && !v.isNull() && !(v.isTextual() && v.asText().isBlank());
    }

    JsonNode raw(String key) {
        read.add(key);
        JsonNode v = node.get(key);
        return v == null ? MissingNode.getInstance() : v;
    }

    /** The text of a scalar; null when absent or blank. */
    String text(String key) {
        JsonNode v = raw(key);
        if (v.isMissingNode() || v.isNull() || v.isContainerNode()) {
            return null;
        }
        String text = v.asText();
        return text.isBlank() ? null : text.trim();
    }

    String text(String key, String otherwise) {
        String v = text(key);
        return v == null ? otherwise : v;
    }

    boolean bool(String key) {
        return Boolean.parseBoolean(text(key, "false"));
    }

    double number(String key, double otherwise) {
        String v = text(key);
        if (v == null) {
            return otherwise;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new InvalidSourceException(
                    path + "." + key + " must be a number, was '" + v + "'");
        }
    }

    Fields object(String key) {
        return new Fields(raw(key), path + "." + key);
    }

    /** The entries of a list (an XML element's children, a YAML sequence). */
    List<Fields> list(String key) {
        JsonNode v = raw(key);
        List<Fields> entries = new ArrayList<>();
        if (v.isArray()) {
            for (int i = 0; i < v.size(); i++) {
                entries.add(new Fields(v.get(i), path + "." + key + "[" + i + "]"));
            }
        } else if (v.isObject()) {
            entries.add(new Fields(v, path + "." + key + "[0]"));
        }
        return entries;
    }

    boolean present() {
        return node.isObject() || (node.isValueNode() && !node.asText().isBlank());
    }

    /** A scalar node itself (e.g. JCasC's {@code domainFilterModel: "home"}). */
    String scalar() {
        return node.isValueNode() ? node.asText().trim() : null;
    }

    /** Keys nobody asked for. */
    List<String> unread() {
        List<String> keys = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!read.contains(key)) {
                keys.add(key);
            }
        }
        return keys;
    }
}
