package io.jenkins.plugins.mesosagents.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which templates have been unable to launch ({@link TemplateStatus#cannotLaunch()}) for longer
 * than a grace period, so that the builds waiting only for them can be cancelled with the reason. A
 * template that becomes launchable again starts its grace over. Holds one entry per template of the
 * snapshot it was last given. Not thread-safe: one caller at a time.
 */
public final class NeverLaunchGrace {
    private final Map<String, Instant> since = new HashMap<>();

    /** The templates past the grace period, each with why it cannot launch. */
    public Map<String, String> overdue(EngineSnapshot snapshot, Duration grace, Instant now) {
        Map<String, String> due = new LinkedHashMap<>();
        since.keySet().retainAll(snapshot.templates().keySet());
        for (TemplateStatus s : snapshot.templates().values()) {
            var why = s.cannotLaunch();
            if (why.isEmpty()) {
                since.remove(s.template());
                continue;
            }
            Instant first = since.computeIfAbsent(s.template(), k -> now);
            if (!now.isBefore(first.plus(grace))) {
                due.put(s.template(), why.get());
            }
        }
        return due;
    }
}
