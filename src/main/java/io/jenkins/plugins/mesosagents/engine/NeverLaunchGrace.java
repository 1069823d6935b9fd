package io.jenkins.plugins.mesosagents.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which templates have been unable to launch for longer than a grace period, so that the builds
 * waiting only for them can be cancelled with the reason: the engine's own judgement ({@link
 * TemplateStatus#cannotLaunch()}) plus whatever else the caller knows can never launch (a template
 * that fails validation, which the engine never receives). A template that becomes launchable again
 * starts its grace over. Holds one entry per template it was last told about. Not thread-safe: one
 * caller at a time.
 */
public final class NeverLaunchGrace {
    private final Map<String, Instant> since = new HashMap<>();

    /** The templates past the grace period, each with why it cannot launch. */
    public Map<String, String> overdue(EngineSnapshot snapshot, Duration grace, Instant now) {
        return overdue(cannotLaunch(snapshot), grace, now);
    }

    /**
     * The templates of {@code cannotLaunch} (template name to why) that have been in it, without a
     * gap, for at least {@code grace}.
     */
    public Map<String, String> overdue(
            Map<String, String> cannotLaunch, Duration grace, Instant now) {
        Map<String, String> due = new LinkedHashMap<>();
        since.keySet().retainAll(cannotLaunch.keySet());
        cannotLaunch.forEach(
                (template, why) -> {
                    Instant first = since.computeIfAbsent(template, k -> now);
                    if (!now.isBefore(first.plus(grace))) {
                        due.put(template, why);
                    }
                });
        return due;
    }

    /** The engine's templates that cannot launch as things stand, each with why. */
    public static Map<String, String> cannotLaunch(EngineSnapshot snapshot) {
        Map<String, String> reasons = new LinkedHashMap<>();
        for (TemplateStatus s : snapshot.templates().values()) {
            s.cannotLaunch().ifPresent(why -> reasons.put(s.template(), why));
        }
        return reasons;
    }
}
