package io.jenkins.plugins.mesosagents.testcluster.migrate;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What one conversion writes: the {@code mesosAgents} cloud's keys (exactly as CascReader accepts
 * them) and the findings. Shared by the 1.x and 2.x mappings.
 */
final class Output {
    final List<Finding> findings = new ArrayList<>();
    private final Set<String> templateNames = new HashSet<>();

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    void notCarried(String source, String message) {
        findings.add(new Finding(Finding.Kind.NOT_CARRIED_OVER, source, message));
    }

    void changed(String source, String message) {
        findings.add(new Finding(Finding.Kind.CHANGED, source, message));
    }

    /** Every key of {@code fields} that no mapping read is reported, never dropped silently. */
    void unknown(Fields fields) {
        for (String key : fields.unread()) {
            notCarried(
                    fields.path + "." + key,
                    "not a field this converter knows from mesos-plugin 1.0.0 or 2.x; check"
                            + " whether it matters and set it by hand");
        }
    }

    /** A unique template name from the first label (the form needs a name; labels may repeat). */
    String templateName(String labelString) {
        String base =
                labelString == null || labelString.isBlank()
                        ? "default"
                        : labelString
                                .trim()
                                .split("[\\s&|!()]+")[0]
                                .toLowerCase(Locale.ROOT)
                                .replaceAll("[^a-z0-9._-]", "-");
        if (base.isEmpty()) {
            base = "template";
        }
        String name = base;
        for (int i = 2; !templateNames.add(name); i++) {
            name = base + "-" + i;
        }
        return name;
    }

    /**
     * {@code uri [extract] [executable]} lines from mesos-plugin's additionalURIs (both shapes).
     */
    static String fetchUris(List<Fields> uris) {
        StringBuilder lines = new StringBuilder();
        for (Fields uri : uris) {
            String value = uri.text("value");
            if (value == null) {
                continue;
            }
            lines.append(value);
            if (uri.bool("extract")) {
                lines.append(" extract");
            }
            if (uri.bool("executable")) {
                lines.append(" executable");
            }
            lines.append('\n');
        }
        return lines.toString();
    }

    /**
     * mesos-plugin ran privileged containers and host volumes without asking; this plugin needs the
     * cloud's allowPrivileged switch for them (settings/HostAccess): set it where a converted
     * template uses one, so that the template stays valid, and say so.
     */
    void allowHostAccessWhereUsed(
            ObjectNode cloud,
            com.fasterxml.jackson.databind.node.ArrayNode templates,
            String source) {
        for (var template : templates) {
            var container = template.path("container");
            boolean hostAccess =
                    container.path("privileged").asBoolean(false)
                            || !container.path("volumes").asText("").isBlank()
                            || io.jenkins.plugins.mesosagents.settings.TemplateText.lines(
                                            container.path("dockerParameters").asText(""))
                                    .stream()
                                    .map(l -> l.split("=", 2)[0].strip().toLowerCase(Locale.ROOT))
                                    .anyMatch(
                                            io.jenkins.plugins.mesosagents.settings.HostAccess
                                                            .DOCKER_PARAMETERS
                                                    ::contains);
            if (hostAccess) {
                cloud.put("allowPrivileged", true);
                changed(
                        source,
                        "templates use privileged containers or host volumes, which this plugin"
                            + " allows only with the cloud's allowPrivileged switch: set to true");
                return;
            }
        }
    }

    /** A mesos-plugin number written as YAML int when whole, else as a double. */
    static void number(ObjectNode into, String key, double value) {
        if (value == Math.rint(value) && Math.abs(value) < Integer.MAX_VALUE) {
            into.put(key, (int) value);
        } else {
            into.put(key, value);
        }
    }

    /** 1.x master ({@code host:port}, {@code zk://…}) or 2.x URL as this plugin's masterUrls. */
    String masterUrls(String master, String source) {
        if (master == null) {
            notCarried(source, "no Mesos master is configured; set masterUrls");
            return "";
        }
        if (master.equals("local")) {
            notCarried(
                    source,
                    "'local' (an in-process libmesos cluster) has no HTTP equivalent; set"
                            + " masterUrls to a real master");
            return "";
        }
        if (!master.contains("://")) {
            // 1.x took host:port for libmesos (MesosCloud.java@mesos-1.0.0:789-800 adds http://)
            changed(
                    source,
                    "'" + master + "' is host:port for libmesos; written as http://" + master);
            return "http://" + master;
        }
        return master;
    }

    /**
     * Jobs without a label get the first NORMAL template here (cloud/MesosCloud#templateFor), while
     * mesos-plugin gave them only a template without labels (1.x) or nothing (2.x). A label-less
     * NORMAL template is moved first; otherwise the first NORMAL template's new role is reported.
     *
     * @param sources each template's path in the source, in the same order
     */
    void orderForUnlabelledJobs(
            com.fasterxml.jackson.databind.node.ArrayNode templates, List<String> sources) {
        int firstNormal = -1;
        int labelless = -1;
        for (int i = 0; i < templates.size(); i++) {
            boolean normal = templates.get(i).path("mode").asText().equals("NORMAL");
            if (normal && firstNormal < 0) {
                firstNormal = i;
            }
            if (normal && labelless < 0 && !templates.get(i).has("labelString")) {
                labelless = i;
            }
        }
        if (firstNormal < 0 || firstNormal == labelless) {
            return;
        }
        if (labelless > 0) {
            templates.insert(0, templates.remove(labelless));
            changed(
                    sources.get(labelless),
                    "moved to the top: jobs without a label take the first NORMAL template here");
        } else {
            changed(
                    sources.get(firstNormal) + ".mode",
                    "NORMAL: jobs without a label now get this template's agents (the first NORMAL"
                        + " template serves them here; mesos-plugin launched no agent for them from"
                        + " a template with labels); set EXCLUSIVE to keep them off Mesos");
        }
    }
}
