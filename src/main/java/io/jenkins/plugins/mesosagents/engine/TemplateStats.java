package io.jenkins.plugins.mesosagents.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-template counters fed by the engine loop's own events (agent requested, task RUNNING, agent
 * connected, launch failed). Memory is fixed: at most {@link #MAX_TEMPLATES} templates (least
 * recently touched dropped), {@link #MAX_REASONS} failure reasons each (the rest count as {@code
 * OTHER}), {@link #SAMPLES} queued→online durations each, and {@link #MAX_IN_FLIGHT} agents whose
 * request time is remembered until they connect or fail. Loop-confined.
 */
final class TemplateStats {
    static final int MAX_TEMPLATES = 256;
    static final int MAX_REASONS = 16;
    static final int SAMPLES = 1024;
    static final int MAX_IN_FLIGHT = 4096;

    private static final class Counters {
        long launched;
        final Map<String, Long> failed = new LinkedHashMap<>();
        final LatencyReservoir queuedToOnline = new LatencyReservoir(SAMPLES);
    }

    private record InFlight(String template, long requestedAtMillis) {}

    private final Map<String, Counters> byTemplate = lru(MAX_TEMPLATES);
    private final Map<String, InFlight> inFlight = lru(MAX_IN_FLIGHT);

    private static <V> Map<String, V> lru(int max) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > max;
            }
        };
    }

    private Counters of(String template) {
        return byTemplate.computeIfAbsent(template, k -> new Counters());
    }

    void requested(String agentName, String template, long nowMillis) {
        inFlight.put(agentName, new InFlight(template, nowMillis));
    }

    void running(String template) {
        of(template).launched++;
    }

    void connected(String agentName, long nowMillis) {
        InFlight f = inFlight.remove(agentName);
        if (f != null) {
            of(f.template()).queuedToOnline.add(Math.max(0, nowMillis - f.requestedAtMillis()));
        }
    }

    void failed(String agentName, String template, String reasonKey) {
        inFlight.remove(agentName);
        Map<String, Long> failed = of(template).failed;
        String key =
                failed.containsKey(reasonKey) || failed.size() < MAX_REASONS - 1
                        ? reasonKey
                        : "OTHER";
        failed.merge(key, 1L, Long::sum);
    }

    /** The agent will never connect (released before it did): its request time is forgotten. */
    void forget(String agentName) {
        inFlight.remove(agentName);
    }

    TemplateFigures figures(String template) {
        Counters c = byTemplate.get(template);
        if (c == null) {
            return TemplateFigures.NONE;
        }
        return new TemplateFigures(
                c.launched,
                c.failed,
                c.queuedToOnline.percentile(50),
                c.queuedToOnline.percentile(95),
                c.queuedToOnline.size());
    }
}
