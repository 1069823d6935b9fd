package io.jenkins.plugins.mesosagents.engine;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-template "why is it still waiting": the current diagnosis and a bounded history in which a
 * repeated reason replaces its previous entry instead of growing the list. Loop-confined.
 */
final class Diagnostics {
    private final int capacity;
    private final Map<String, WaitDiagnosis> current = new HashMap<>();
    private final Map<String, ArrayDeque<WaitDiagnosis>> history = new HashMap<>();

    Diagnostics(int capacity) {
        this.capacity = Math.max(1, capacity);
    }

    void record(WaitDiagnosis d) {
        current.put(d.template(), d);
        ArrayDeque<WaitDiagnosis> h =
                history.computeIfAbsent(d.template(), k -> new ArrayDeque<>());
        WaitDiagnosis last = h.peekLast();
        if (last != null && last.reason() == d.reason()) {
            h.pollLast();
        }
        h.addLast(d);
        while (h.size() > capacity) {
            h.pollFirst();
        }
    }

    void record(String template, WaitReason reason, String detail, Instant now) {
        record(new WaitDiagnosis(template, reason, detail, Map.of(), now));
    }

    void satisfied(String template) {
        current.remove(template);
    }

    WaitDiagnosis current(String template) {
        return current.get(template);
    }

    List<WaitDiagnosis> recent(String template) {
        ArrayDeque<WaitDiagnosis> h = history.get(template);
        return h == null ? List.of() : new ArrayList<>(h);
    }
}
