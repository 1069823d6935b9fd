package io.jenkins.plugins.mesosagents.cloud;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jenkins.plugins.mesosagents.engine.TemplateFigures;
import io.jenkins.plugins.mesosagents.engine.TemplateStatus;
import io.jenkins.plugins.mesosagents.pool.PoolState;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cloud page's per-template numbers as JSON (served at {@code cloud/NAME/stats}): agents
 * launched, failed by reason, queued→online p50/p95 in milliseconds over the last samples, the
 * current back-off end and why the template cannot launch, if it cannot, and its warm pool's target,
 * rule and idle agent-minutes. Jenkins-free.
 */
final class CloudFigures {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CloudFigures() {}

    static String json(String cloud, Collection<TemplateStatus> statuses, Instant now) {
        return json(cloud, statuses, Map.of(), now);
    }

    /** With each template's warm pool ({@code warmPool}: null for a template without one). */
    static String json(
            String cloud,
            Collection<TemplateStatus> statuses,
            Map<String, PoolState> pools,
            Instant now) {
        ObjectNode root = JSON.createObjectNode();
        root.put("cloud", cloud);
        ObjectNode templates = root.putObject("templates");
        for (TemplateStatus s : statuses) {
            TemplateFigures f = s.figures();
            ObjectNode t = templates.putObject(s.template());
            t.put("pending", s.pending());
            t.put("launching", s.launching());
            t.put("running", s.running());
            t.put("launched", f.launched());
            t.put("failed", f.failed());
            ObjectNode reasons = t.putObject("failedByReason");
            for (Map.Entry<String, Long> e : new TreeMap<>(f.failedByReason()).entrySet()) {
                reasons.put(e.getKey(), e.getValue());
            }
            if (f.samples() > 0) {
                t.put("queuedToOnlineP50Millis", f.p50Millis());
                t.put("queuedToOnlineP95Millis", f.p95Millis());
            } else {
                t.putNull("queuedToOnlineP50Millis");
                t.putNull("queuedToOnlineP95Millis");
            }
            t.put("queuedToOnlineSamples", f.samples());
            Instant until = s.backingOffUntil();
            if (until != null && until.isAfter(now)) {
                t.put("backingOffUntil", until.toString());
            } else {
                t.putNull("backingOffUntil");
            }
            t.put("cannotLaunch", s.cannotLaunch().orElse(null));
            PoolState pool = pools.get(s.template());
            if (pool == null) {
                t.putNull("warmPool");
            } else {
                ObjectNode p = t.putObject("warmPool");
                p.put("target", pool.target().agents());
                p.put("rule", pool.target().source().name());
                p.put("why", pool.target().why());
                p.put("idle", pool.idle());
                p.put("launching", pool.launching());
                p.put("idleAgentMinutes", pool.idleAgentMinutes());
            }
        }
        return root.toString();
    }
}
