package io.jenkins.plugins.mesosagents.testcluster.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link DemoResult}: the console tables (one row per build, one per ship step), {@code
 * report.html} with the same tables and an inline SVG timeline (one bar per build, its phases
 * coloured; no script, no server), and {@code report.json} for tools and tests.
 */
final class DemoReport {
    /** Phase names and colours of the timeline, in order. */
    static final List<String[]> PHASES =
            List.of(
                    new String[] {"waiting for an offer", "#c9c9c9"},
                    new String[] {"task starting", "#f2b134"},
                    new String[] {"agent connecting", "#6aa7e8"},
                    new String[] {"waiting for an executor", "#b39ddb"},
                    new String[] {"build running", "#4caf50"});

    private DemoReport() {}

    /** Times are shown from the moment the builds were queued (the cluster's start-up is not). */
    static Instant origin(DemoResult r) {
        return r.builds().stream()
                .map(BuildReport::queued)
                .min(Instant::compareTo)
                .orElse(r.started());
    }

    static String table(DemoResult r) {
        Instant origin = origin(r);
        StringBuilder s = new StringBuilder("builds (times in seconds after they were queued)\n");
        s.append(
                String.format(
                        "%-9s %-7s %-9s %-14s %6s %7s %8s %7s %7s  %-10s %-8s %s%n",
                        "build",
                        "label",
                        "template",
                        "host",
                        "queued",
                        "LAUNCH",
                        "RUNNING",
                        "online",
                        "done",
                        "agent",
                        "result",
                        "note"));
        for (BuildReport b : r.builds()) {
            s.append(
                    String.format(
                            "%-9s %-7s %-9s %-14s %6s %7s %8s %7s %7s  %-10s %-8s %s%n",
                            b.id(),
                            b.label(),
                            b.template(),
                            b.host().isEmpty() ? "-" : b.host(),
                            at(origin, b.queued()),
                            at(origin, b.launch()),
                            at(origin, b.running()),
                            at(origin, b.online()),
                            at(origin, b.done()),
                            b.agent().isEmpty()
                                    ? "-"
                                    : b.singleUse() ? "single-use" : b.reused() ? "reused" : "new",
                            b.result(),
                            (b.asExpected() ? "" : "UNEXPECTED ")
                                    + (b.reason().isEmpty() ? "" : b.reason())));
        }
        if (!r.shipSkipped().isEmpty()) {
            s.append(String.format("%nship stage skipped: %s%n", r.shipSkipped()));
        } else if (!r.ship().isEmpty()) {
            s.append(
                    String.format(
                            "%n%-38s %7s  %-73s %s%n",
                            "ship step", "time", "digest", "deployment"));
            for (ShipStep st : r.ship()) {
                s.append(
                        String.format(
                                "%-38s %6.1fs  %-73s %s%n",
                                st.name() + (st.ok() ? "" : " (UNEXPECTED)"),
                                st.millis() / 1000.0,
                                st.digest().isEmpty() ? "-" : st.digest(),
                                st.deploymentId().isEmpty() ? "-" : st.deploymentId()));
            }
        }
        return s.toString();
    }

    static void write(DemoResult r, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("report.html"), html(r));
        ObjectMapper json =
                new ObjectMapper()
                        .registerModule(
                                new SimpleModule()
                                        .addSerializer(Instant.class, ToStringSerializer.instance))
                        .enable(SerializationFeature.INDENT_OUTPUT);
        json.writeValue(dir.resolve("report.json").toFile(), r);
    }

    static String html(DemoResult r) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">")
                .append("<title>mesos-agents demo report</title><style>")
                .append("body{font-family:sans-serif;margin:2em;color:#222}")
                .append("table{border-collapse:collapse;margin:1em 0}")
                .append(
                        "td,th{border:1px solid #ccc;padding:3px"
                                + " 8px;font-size:13px;text-align:left}")
                .append("th{background:#f3f3f3}.bad{color:#b00020;font-weight:bold}")
                .append(
                        "td{vertical-align:top;overflow-wrap:break-word}.nowrap{white-space:nowrap}"
                                + "pre{white-space:pre-wrap;overflow-wrap:anywhere;font-size:12px}")
                .append(".ok{color:#1b5e20}code{font-size:12px}</style></head><body>\n")
                .append("<h1>mesos-agents demo</h1>\n<p>A <b>demo controller</b> stood in for the")
                .append(" Jenkins controller (Jenkins cannot run here); the provisioning engine,")
                .append(" scheduler session, Mesos client and persistence are the plugin's own,")
                .append(" against the embedded test-cluster. Controller URL <code>")
                .append(esc(r.controllerUrl()))
                .append("</code>. Outcome: ")
                .append(
                        r.succeeded()
                                ? "<span class=\"ok\">everything happened as expected</span>"
                                : "<span class=\"bad\">"
                                        + esc(String.join("; ", r.problems()))
                                        + (r.leftoverProcesses().isEmpty()
                                                ? ""
                                                : " leftover processes " + r.leftoverProcesses())
                                        + "</span>")
                .append(
                        ".</p>\n"
                            + "<h2>Timeline</h2>\n"
                            + "<p>From the moment the builds were queued (0 s); hover a bar for its"
                            + " phase and length.</p>\n")
                .append(svg(r))
                .append("<h2>Builds</h2>\n<table><tr><th>build</th><th>label</th><th>template</th>")
                .append("<th>agent</th><th>host</th><th>queued</th><th>LAUNCH</th><th>RUNNING</th>")
                .append("<th>online</th><th>started</th><th>done</th><th>agent use</th>")
                .append("<th>result</th><th>reason</th></tr>\n");
        Instant origin = origin(r);
        for (BuildReport b : r.builds()) {
            h.append("<tr><td>")
                    .append(esc(b.id()))
                    .append("</td><td>")
                    .append(esc(b.label()))
                    .append("</td><td>")
                    .append(esc(b.template()))
                    .append("</td><td>")
                    .append(esc(b.agent()))
                    .append("</td><td>")
                    .append(esc(b.host()));
            for (Instant t :
                    new Instant[] {
                        b.queued(), b.launch(), b.running(), b.online(), b.started(), b.done()
                    }) {
                h.append("</td><td>").append(at(origin, t));
            }
            h.append("</td><td>")
                    .append(
                            b.agent().isEmpty()
                                    ? "-"
                                    : b.singleUse() ? "single-use" : b.reused() ? "reused" : "new")
                    .append("</td><td class=\"")
                    .append(b.asExpected() ? "ok" : "bad")
                    .append("\">")
                    .append(esc(b.result()))
                    .append(b.expectedFailure() ? " (expected)" : "")
                    .append("</td><td>")
                    .append(esc(b.reason()))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n<h2>Ship stage</h2>\n");
        if (!r.shipSkipped().isEmpty()) {
            h.append("<p>Skipped: ").append(esc(r.shipSkipped())).append("</p>\n");
        } else {
            h.append("<table><tr><th>step</th><th>time</th><th>digest</th><th>deployment</th>")
                    .append("<th>what happened</th></tr>\n");
            for (ShipStep st : r.ship()) {
                h.append("<tr><td>")
                        .append(esc(st.name()))
                        .append(
                                String.format(
                                        Locale.ROOT,
                                        "</td><td class=\"nowrap\">%.1f s",
                                        st.millis() / 1000.0))
                        .append("</td><td class=\"nowrap\"><code title=\"")
                        .append(esc(st.digest()))
                        .append("\">")
                        .append(esc(shortDigest(st.digest())))
                        .append("</code></td><td>")
                        .append(esc(st.deploymentId()))
                        .append("</td><td class=\"")
                        .append(st.ok() ? "ok" : "bad")
                        .append("\">")
                        .append(esc(st.detail()))
                        .append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        h.append("<h2>Build output</h2>\n");
        for (BuildReport b : r.builds()) {
            h.append("<h3>")
                    .append(esc(b.id()))
                    .append("</h3><pre>")
                    .append(esc(String.join("\n", b.output())))
                    .append("</pre>\n");
        }
        return h.append("</body></html>\n").toString();
    }

    /** One bar per build from queued to done, cut into the phases it went through. */
    static String svg(DemoResult r) {
        Instant origin = origin(r);
        Instant end = origin;
        for (BuildReport b : r.builds()) {
            if (b.done() != null && b.done().isAfter(end)) {
                end = b.done();
            }
        }
        double total = Math.max(1, Duration.between(origin, end).toMillis());
        int left = 90;
        int width = 900;
        int row = 24;
        int top = 30;
        int height = top + row * r.builds().size() + 40;
        StringBuilder s = new StringBuilder();
        s.append(
                String.format(
                        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                                + " font-family=\"sans-serif\" font-size=\"12\">%n",
                        left + width + 20, height));
        for (int sec = 0; sec <= total / 1000; sec += Math.max(1, (int) (total / 10000))) {
            double x = left + width * sec * 1000 / total;
            s.append(
                    String.format(
                            Locale.ROOT,
                            "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>"
                                    + "<text x=\"%.1f\" y=\"%d\" fill=\"#777\">%ds</text>%n",
                            x,
                            top - 5,
                            x,
                            height - 35,
                            x - 6,
                            top - 10,
                            sec));
        }
        for (int i = 0; i < r.builds().size(); i++) {
            BuildReport b = r.builds().get(i);
            int y = top + i * row;
            s.append(
                    String.format(
                            "<text x=\"4\" y=\"%d\">%s</text>%n",
                            y + 15, esc(b.id() + " " + b.label())));
            Instant[] marks = {
                b.queued(), b.launch(), b.running(), b.online(), b.started(), b.done()
            };
            Instant from = b.queued();
            for (int p = 0; p < PHASES.size(); p++) {
                Instant to = marks[p + 1];
                if (to == null || from == null) {
                    continue;
                }
                // a reused agent launched before its build was queued: its phases start at queued
                Instant start = from.isBefore(b.queued()) ? b.queued() : from;
                if (to.isAfter(start)) {
                    s.append(rect(origin, total, left, width, y, start, to, PHASES.get(p)));
                }
                from = to.isAfter(from) ? to : from;
            }
            if (b.started() == null && b.done() != null) {
                // never got an agent: the whole wait, red-outlined, with its reason
                s.append(
                        rect(
                                origin,
                                total,
                                left,
                                width,
                                y,
                                b.queued(),
                                b.done(),
                                new String[] {"no agent: " + b.reason(), "#e57373"}));
            }
        }
        int lx = left;
        for (String[] phase : PHASES) {
            s.append(
                    String.format(
                            "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                                    + "<text x=\"%d\" y=\"%d\">%s</text>%n",
                            lx, height - 25, phase[1], lx + 16, height - 15, esc(phase[0])));
            lx += 30 + phase[0].length() * 7;
        }
        s.append(
                String.format(
                        "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"#e57373\"/>"
                                + "<text x=\"%d\" y=\"%d\">no agent (launch failed)</text>%n",
                        lx, height - 25, lx + 16, height - 15));
        return s.append("</svg>\n").toString();
    }

    private static String rect(
            Instant origin,
            double total,
            int left,
            int width,
            int y,
            Instant from,
            Instant to,
            String[] phase) {
        double x = left + width * Duration.between(origin, from).toMillis() / total;
        double w = Math.max(1, width * Duration.between(from, to).toMillis() / total);
        return String.format(
                Locale.ROOT,
                "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"18\" fill=\"%s\">"
                        + "<title>%s: %.1f s</title></rect>%n",
                x,
                y + 2,
                w,
                phase[1],
                esc(phase[0]),
                Duration.between(from, to).toMillis() / 1000.0);
    }

    /** {@code sha256:} and the first 12 hex digits, as registries' UIs show digests. */
    static String shortDigest(String digest) {
        return digest.length() > 19 ? digest.substring(0, 19) + "…" : digest;
    }

    private static String at(Instant origin, Instant t) {
        return t == null
                ? "-"
                : String.format(
                        Locale.ROOT, "%.1fs", Duration.between(origin, t).toMillis() / 1000.0);
    }

    static String esc(String s) {
        return s == null
                ? ""
                : s.replace("&", "&amp;")
                        .replace("<", "&lt;")
                        .replace(">", "&gt;")
                        .replace("\"", "&quot;");
    }
}
