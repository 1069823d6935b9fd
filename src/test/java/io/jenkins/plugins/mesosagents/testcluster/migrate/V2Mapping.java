package io.jenkins.plugins.mesosagents.testcluster.migrate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * mesos-plugin 2.x ({@code MesosCloud} with {@code mesosAgentSpecTemplates}) to a {@code
 * mesosAgents} cloud, from config.xml (XStream field names) or JCasC (constructor parameter names).
 * Line references are to jenkinsci/mesos-plugin at 7da7bc6 (2.x HEAD),
 * src/main/java/org/jenkinsci/plugins/mesos/.
 */
final class V2Mapping {
    /** api/LaunchCommandBuilder.java:40,95-99: the task asks mem + 32 MB. */
    private static final int JVM_XMX = 32;

    private V2Mapping() {}

    static ObjectNode cloud(Fields c, String name, Output out) {
        ObjectNode cloud = Output.object();
        cloud.put("name", name);
        c.text("name"); // always "MesosCloud" (MesosCloud.java:113)
        // MesosCloud.java:58,116: field "master", constructor parameter "mesosMasterUrl"
        String master = c.text("mesosMasterUrl");
        cloud.put(
                "masterUrls",
                out.masterUrls(
                        master != null ? master : c.text("master"),
                        c.path + (master != null ? ".mesosMasterUrl" : ".master")));
        String jenkinsUrl = c.text("jenkinsURL"); // MesosCloud.java:66,117 (required there)
        if (jenkinsUrl != null) {
            cloud.put("jenkinsUrl", jenkinsUrl);
        }
        String frameworkName = c.text("frameworkName");
        if (frameworkName != null) {
            cloud.put("frameworkName", frameworkName);
        }
        // MesosCloud.java:151-155: a missing agentUser became "nobody"
        cloud.put("frameworkUser", c.text("agentUser", "nobody"));
        if (c.text("frameworkId") != null) {
            // MesosCloud.java:137-140; this plugin keeps its own id in JENKINS_HOME/mesos-agents
            out.changed(
                    c.path + ".frameworkId",
                    "the new cloud registers as a new framework; tear the old one down"
                            + " (POST /teardown) once its agents are gone");
        }
        int cap = (int) c.number("instanceCap", Integer.MAX_VALUE); // AbstractCloudImpl
        if (cap > 0 && cap < Integer.MAX_VALUE) {
            cloud.put("maxAgents", cap);
        }
        // MesosCloud.java:64,108: one role for the framework; here each template has one
        String role = c.text("role", "*");
        // MesosCloud.java:123-130,333-351: read from the environment of a Jenkins that ran as a
        // Mesos task, never from the configuration
        out.notCarried(
                c.path,
                "DC/OS service account (DCOS_SERVICE_ACCOUNT, DCOS_SERVICE_ACCOUNT_PRIVATE_KEY) and"
                        + " CA ($MESOS_SANDBOX/.ssl/ca-bundle.crt) came from the environment; if"
                        + " you used them, set dcosCredentialsId (secret text with the service"
                        + " account JSON) and caCertificate");
        ArrayNode templates = cloud.putArray("templates");
        java.util.List<String> sources = new java.util.ArrayList<>();
        for (Fields t : c.list("mesosAgentSpecTemplates")) {
            templates.add(template(t, role, out));
            sources.add(t.path);
        }
        out.orderForUnlabelledJobs(templates, sources);
        out.allowHostAccessWhereUsed(cloud, templates, c.path);
        out.unknown(c);
        return cloud;
    }

    private static ObjectNode template(Fields t, String role, Output out) {
        ObjectNode template = Output.object();
        String label = t.text("label");
        template.put("name", out.templateName(label));
        t.raw("labelSet"); // MesosAgentSpecTemplate.java:171-177: derived from label
        String mode = t.text("mode", "EXCLUSIVE");
        if (label == null) {
            // MesosCloud.java:237-246: jobs without a label never got a 2.x agent, and a template
            // without labels matched no labelled job either
            out.changed(
                    t.path + ".label",
                    mode.equals("NORMAL")
                            ? "the template had no label and never launched in 2.x; as a NORMAL"
                                    + " template it now serves jobs without a label"
                            : "the template had no label and never launched; it still serves no"
                                    + " job until you give it labels");
        } else {
            template.put("labelString", label);
        }
        template.put("mode", mode);
        // MesosAgentSpecTemplate.java:77-81: cpus default 0.1, disk default 0
        Output.number(template, "cpus", t.number("cpus", 0.1));
        int mem = (int) t.number("mem", 512);
        template.put("memMb", mem + JVM_XMX);
        out.changed(
                t.path + ".mem",
                "the task asked mem + "
                        + JVM_XMX
                        + " MB = "
                        + (mem + JVM_XMX)
                        + " MB, now memMb; the agent JVM ran with -Xmx32m"
                        + " (LaunchCommandBuilder.java:96-97) and now gets 80 % of memMb"
                        + " unless jvmHeapMb is set");
        double disk = t.number("disk", 0);
        if (disk > 0) {
            Output.number(template, "diskMb", disk);
        }
        if (!role.equals("*")) {
            template.put("role", role);
        }
        // MesosJenkinsAgent.java:61-65: every 2.x agent had 1 executor whatever min/max said
        int max = (int) t.number("maxExecutors", 1);
        t.raw("minExecutors");
        if (max > 1) {
            out.changed(
                    t.path + ".maxExecutors",
                    "2.x agents always had 1 executor; kept at 1 (set executors to use "
                            + max
                            + ")");
        }
        String jnlpArgs = t.text("jnlpArgs");
        if (jnlpArgs != null) {
            template.put("agentArguments", jnlpArgs);
        }
        String fetch = Output.fetchUris(t.list("additionalURIs"));
        if (!fetch.isEmpty()) {
            template.put("fetchUris", fetch);
        }
        // api/LaunchCommandBuilder.java:205-218: "k:v,k2:v2", each an AttributeStringIsFilter
        String attributes = t.text("agentAttributes");
        if (attributes != null) {
            StringBuilder lines = new StringBuilder();
            for (String a : attributes.split(",")) {
                String[] kv = a.split(":", 2);
                if (kv.length == 2 && !kv[0].isBlank()) {
                    lines.append(kv[0].trim()).append(":EQ:").append(kv[1].trim()).append('\n');
                } else if (!a.isBlank()) {
                    out.notCarried(
                            t.path + ".agentAttributes",
                            "'" + a + "' is not name:value (2.x failed on it at launch)");
                }
            }
            if (!lines.isEmpty()) {
                template.put("constraints", lines.toString());
            }
        }
        domain(t.object("domainFilterModel"), template, out);
        String style = t.text("agentCommandStyle");
        if ("Windows".equals(style)) {
            // api/LaunchCommandBuilder.java:49-50
            out.notCarried(
                    t.path + ".agentCommandStyle",
                    "Windows agents are not supported: the agent command is a Linux shell"
                            + " command; this template will not start on Windows hosts");
        }
        Fields container = t.object("containerInfo");
        if (container.present()) {
            template.set("container", container(container, out));
        }
        template.put("idleTerminationMinutes", (int) t.number("idleTerminationMinutes", 3));
        // MesosAgentSpecTemplate.java:76: reusable = false, so every 2.x agent ran one build
        t.raw("reusable");
        template.put("singleUse", true);
        out.changed(
                t.path + ".reusable",
                "2.x agents always took one build; singleUse: true keeps that (set false to"
                        + " reuse agents until idleTerminationMinutes)");
        out.unknown(t);
        return template;
    }

    /** config/models/faultdomain/{Home,Any,StringDomainFilter}.java. */
    private static void domain(Fields d, ObjectNode template, Output out) {
        String kind = d.scalar(); // JCasC: domainFilterModel: "home" / "any"
        String cls = d.text("@class"); // XStream: class="…faultdomain.StringDomainFilter"
        Fields string = d;
        if (kind == null && cls == null && d.has("stringDomainFilter")) {
            kind = "stringDomainFilter";
            string = d.object("stringDomainFilter");
        } else if (kind == null && d.has("home")) {
            d.raw("home");
            kind = "home";
        } else if (kind == null && d.has("any")) {
            d.raw("any");
            kind = "any";
        } else if (kind == null && cls != null) {
            kind = cls.substring(cls.lastIndexOf('.') + 1);
        }
        if (kind == null) {
            return; // LaunchCommandBuilder.java:121-124: none = home region
        }
        switch (kind.toLowerCase()) {
            case "home" -> {}
            case "any" -> template.put("faultDomain", "ANY");
            case "stringdomainfilter", "string" -> {
                // StringDomainFilter.java:38-41: region and zone must both equal
                template.put("faultDomain", "REGION");
                template.put("region", string.text("region", ""));
                String zone = string.text("zone");
                if (zone != null) {
                    template.put("zone", zone);
                }
                if (string != d) {
                    out.unknown(string);
                }
            }
            default ->
                    out.notCarried(
                            d.path,
                            "unknown domain filter '" + kind + "'; set faultDomain by hand");
        }
        if (d.scalar() == null) {
            out.unknown(d);
        }
    }

    private static ObjectNode container(Fields c, Output out) {
        ObjectNode container = Output.object();
        String type = c.text("type", "DOCKER");
        container.put("type", type);
        container.put("image", c.text("dockerImage", ""));
        if (type.equals("DOCKER")) {
            // api/RunTemplateFactory.java:88,142-157: no networking = BRIDGE; DOCKER only
            container.put("network", c.text("networking", "BRIDGE"));
            if (c.bool("dockerPrivilegedMode")) {
                container.put("privileged", true);
            }
            if (c.bool("dockerForcePullImage")) {
                container.put("forcePull", true);
            }
        } else {
            c.raw("networking"); // RunTemplateFactory.java:159-182: unused by MESOS
            c.raw("dockerPrivilegedMode");
            c.raw("dockerForcePullImage");
        }
        String volumes = ContainerVolumes.lines(c.list("volumes"), out);
        if (!volumes.isEmpty()) {
            container.put("volumes", volumes);
        }
        ContainerVolumes.dind(c, type, out);
        out.unknown(c);
        return container;
    }
}
