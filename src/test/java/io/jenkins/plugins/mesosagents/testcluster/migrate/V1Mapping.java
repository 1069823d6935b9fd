package io.jenkins.plugins.mesosagents.testcluster.migrate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * mesos-plugin 1.x ({@code MesosCloud} with {@code slaveInfos} of {@code MesosSlaveInfo}) to a
 * {@code mesosAgents} cloud. Line references are to jenkinsci/mesos-plugin at tag mesos-1.0.0,
 * src/main/java/org/jenkinsci/plugins/mesos/.
 */
final class V1Mapping {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** MesosSlaveInfo.java:75, the 1.x form's default; CMS was removed in Java 14 (JEP 363). */
    private static final String CMS_FLAG = "-XX:+UseConcMarkSweepGC";

    private V1Mapping() {}

    static ObjectNode cloud(Fields c, String name, Output out) {
        ObjectNode cloud = Output.object();
        cloud.put("name", name);
        c.text("name"); // always "MesosCloud" (MesosCloud.java:166); the new cloud is named anew
        cloud.put("masterUrls", out.masterUrls(c.text("master"), c.path + ".master"));
        String jenkinsUrl = c.text("jenkinsURL"); // MesosCloud.java:333-335, empty = root URL
        if (jenkinsUrl != null) {
            cloud.put("jenkinsUrl", jenkinsUrl);
        }
        // MesosCloud/config.jelly@mesos-1.0.0: default "Jenkins Scheduler"
        cloud.put("frameworkName", c.text("frameworkName", "Jenkins Scheduler"));
        String user = c.text("slavesUser"); // JenkinsScheduler.java:127, empty = Mesos decides
        if (user != null) {
            cloud.put("frameworkUser", user);
        }
        String credentialsId = c.text("credentialsId"); // MesosCloud.java:391-403
        if (credentialsId != null) {
            cloud.put("credentialsId", credentialsId);
        }
        if (c.has("principal") || c.has("secret")) {
            // MesosCloud.java:676-704 moved these into a credential on first load
            c.text("principal");
            c.text("secret");
            out.notCarried(
                    c.path + ".principal/secret",
                    "plain-text framework principal and secret (pre-credentials 1.x); create a"
                            + " Username with password credential and set credentialsId");
        }
        // MesosCloud.java:667-669: a missing role is "*"; this plugin has a role per template
        String role = c.text("role", "*");
        dropped(c, out);

        ArrayNode templates = cloud.putArray("templates");
        java.util.List<String> sources = new java.util.ArrayList<>();
        for (Fields t : c.list("slaveInfos")) {
            templates.add(template(t, role, out));
            sources.add(t.path);
        }
        out.orderForUnlabelledJobs(templates, sources);
        out.allowHostAccessWhereUsed(cloud, templates, c.path);
        out.unknown(c);
        return cloud;
    }

    private static void dropped(Fields c, Output out) {
        if (c.text("nativeLibraryPath") != null) {
            out.changed(
                    c.path + ".nativeLibraryPath",
                    "not needed: this plugin speaks the Mesos v1 HTTP API, no libmesos");
        }
        if (c.text("description") != null) {
            out.notCarried(c.path + ".description", "the cloud has no description field");
        }
        c.text("cloudID"); // MesosCloud.java:532-538: a key for 1.x's static maps; names do this
        if (!c.bool("checkpoint")) {
            // JenkinsScheduler.java:131 (form default: off); this plugin always checkpoints
            out.changed(
                    c.path + ".checkpoint",
                    "was off; this plugin always registers with checkpointing, so tasks survive"
                            + " a restart of their Mesos agent");
        }
        if (c.bool("onDemandRegistration")) {
            // MesosCloud.java:426-436: registered only while builds were queued
            out.notCarried(
                    c.path + ".onDemandRegistration",
                    "this plugin stays registered and SUPPRESSes offers while nothing waits,"
                            + " so it holds no offers when idle");
        }
        if (c.bool("nfsRemoteFSRoot")) {
            // MesosSlave.java:237 (workspace browsing after the agent is gone)
            out.notCarried(
                    c.path + ".nfsRemoteFSRoot",
                    "workspaces of removed agents are not browsable from Jenkins");
        }
        String decline = c.text("declineOfferDuration");
        if (decline != null) {
            // MesosCloud.java:726-746: values below 1000 (or not numbers) became 600 s;
            // JenkinsScheduler.java:358 used it as refuse_seconds when nothing was queued
            String effective = decline;
            try {
                if (Double.parseDouble(decline) < 1000) {
                    effective = "600";
                }
            } catch (NumberFormatException e) {
                effective = "600";
            }
            out.notCarried(
                    c.path + ".declineOfferDuration",
                    "'"
                            + decline
                            + "' (1.x used "
                            + effective
                            + " s) is fixed here: idle offers are declined for 600 s and the"
                            + " framework SUPPRESSes offers");
        }
    }

    private static ObjectNode template(Fields t, String role, Output out) {
        ObjectNode template = Output.object();
        String labels = t.text("labelString");
        template.put("name", out.templateName(labels));
        // MesosSlaveInfo.java:140: a missing mode is NORMAL (this plugin's default is EXCLUSIVE)
        String mode = t.text("mode", "NORMAL");
        if (labels == null) {
            // MesosSlaveInfo.java:338-342: no label string = serves exactly the jobs with no label
            if (!mode.equals("NORMAL")) {
                out.changed(
                        t.path + ".mode",
                        "a template without labels served the jobs without a label; NORMAL is"
                                + " how this plugin does that");
            }
            mode = "NORMAL";
        } else {
            template.put("labelString", labels);
        }
        if (labels == null) {
            t.raw("defaultSlave"); // MesosItemListener.java:78-80: no label to assign
        } else if (t.bool("defaultSlave") && !mode.equals("NORMAL")) {
            // listener/MesosItemListener.java:78: 1.x wrote this label into unlabelled jobs
            out.changed(
                    t.path + ".defaultSlave",
                    "1.x assigned this template's label to freestyle jobs without one; this plugin"
                            + " changes no job, it serves unlabelled jobs with a NORMAL template:"
                            + " mode set to NORMAL");
            mode = "NORMAL";
        } else if (t.bool("defaultSlave")) {
            out.changed(
                    t.path + ".defaultSlave",
                    "1.x assigned this template's label to freestyle jobs without one; this"
                            + " NORMAL template serves unlabelled jobs instead");
        }
        template.put("mode", mode);

        // MesosSlave.java:81-82: cpus = slaveCpus + N × executorCpus, mem = slaveMem + N ×
        // executorMem, with N between min and max by demand (MesosCloud.java:437);
        // JenkinsScheduler.java:66,831: the task asks 1.1 × mem
        double slaveCpus = t.number("slaveCpus", 0.1);
        double executorCpus = t.number("executorCpus", 0.1);
        int slaveMem = (int) t.number("slaveMem", 512);
        int executorMem = (int) t.number("executorMem", 128);
        int min = Math.max(1, (int) t.number("minExecutors", 1)); // MesosSlaveInfo.java:183
        int max = Math.max(min, (int) t.number("maxExecutors", 2));
        double cpus = Math.round((slaveCpus + max * executorCpus) * 1000) / 1000.0;
        int memMb = (int) Math.ceil(1.1 * (slaveMem + max * executorMem));
        Output.number(template, "cpus", cpus);
        template.put("memMb", memMb);
        // JenkinsScheduler.java:68-69,1027: the agent JVM ran with -Xmx<slaveMem>
        template.put("jvmHeapMb", slaveMem);
        template.put("executors", max);
        if (min != max) {
            out.changed(
                    t.path + ".minExecutors/maxExecutors",
                    "1.x sized each agent for "
                            + min
                            + "-"
                            + max
                            + " executors by demand; every agent now has "
                            + max
                            + " executors, "
                            + cpus
                            + " cpus and "
                            + memMb
                            + " MB");
        }
        double disk = t.number("diskNeeded", 0);
        if (disk > 0) {
            Output.number(template, "diskMb", disk);
        }
        if (!role.equals("*")) {
            template.put("role", role);
        }
        // MesosSlaveInfo.java:148: blank = "jenkins", relative to the sandbox (as here)
        String remoteFs = t.text("remoteFSRoot");
        if (remoteFs != null && !remoteFs.equals("jenkins")) {
            template.put("remoteFsRoot", remoteFs);
        }
        String jvmArgs = t.text("jvmArgs");
        if (jvmArgs != null) {
            if (jvmArgs.contains(CMS_FLAG)) {
                out.changed(
                        t.path + ".jvmArgs",
                        CMS_FLAG + " removed: Java 14+ does not start with it (agents need 17+)");
                jvmArgs = jvmArgs.replace(CMS_FLAG, " ").trim().replaceAll("\\s+", " ");
            }
            if (!jvmArgs.isEmpty()) {
                template.put("jvmOptions", jvmArgs);
            }
        }
        String jnlpArgs = t.text("jnlpArgs");
        if (jnlpArgs != null) {
            template.put("agentArguments", jnlpArgs);
        }
        String fetch = Output.fetchUris(t.list("additionalURIs"));
        if (!fetch.isEmpty()) {
            template.put("fetchUris", fetch);
        }
        String constraints = constraints(t, out);
        if (!constraints.isEmpty()) {
            template.put("constraints", constraints);
        }
        if (!t.list("nodeProperties").isEmpty()) {
            out.notCarried(
                    t.path + ".nodeProperties",
                    "node properties (environment variables, tool locations …) are not carried"
                            + " over; put variables under 'environment' (NAME=value per line)");
        }
        Fields container = t.object("containerInfo");
        if (container.present()) {
            template.set("container", container(container, out));
        }
        // MesosRetentionStrategy: idle minutes, default 3 (MesosSlaveInfo/config.jelly)
        template.put("idleTerminationMinutes", (int) t.number("idleTerminationMinutes", 3));
        t.text("slaveAttributes");
        out.unknown(t);
        return template;
    }

    /**
     * slaveAttributes JSON {@code {"k":"v"}}: an offer matched when every attribute had exactly
     * that text (JenkinsScheduler.java:659-686), i.e. {@code k:EQ:v}.
     */
    private static String constraints(Fields t, Output out) {
        String json = t.text("slaveAttributesString");
        String path = t.path + ".slaveAttributesString";
        if (json == null) {
            JsonNode old = t.raw("slaveAttributes"); // before MesosSlaveInfo.java:363-366
            json = old.isValueNode() ? old.asText() : null;
            path = t.path + ".slaveAttributes";
            if (old.isContainerNode()) {
                out.notCarried(
                        path,
                        "an old XStream form of the attributes JSON; re-save the cloud in 1.x"
                                + " or write constraints by hand");
            }
        }
        if (json == null || json.isBlank()) {
            return "";
        }
        JsonNode attributes;
        try {
            attributes = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            // MesosSlaveInfo.java:199-208 ignored unparsable JSON the same way
            out.notCarried(path, "'" + json + "' is not JSON (1.x ignored it as well)");
            return "";
        }
        if (!attributes.isObject()) {
            out.notCarried(path, "'" + json + "' is not a JSON object (1.x ignored it as well)");
            return "";
        }
        StringBuilder lines = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = attributes.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> a = it.next();
            lines.append(a.getKey())
                    .append(":EQ:")
                    .append(a.getValue().isValueNode() ? a.getValue().asText() : a.getValue())
                    .append('\n');
        }
        return lines.toString();
    }

    private static ObjectNode container(Fields c, Output out) {
        ObjectNode container = Output.object();
        String type = c.text("type", "DOCKER"); // ContainerInfo/config.jelly: DOCKER checked
        container.put("type", type);
        container.put("image", c.text("dockerImage", ""));
        if (type.equals("DOCKER")) {
            // MesosSlaveInfo.java:455,491-495: no networking = BRIDGE; used for DOCKER only
            // (JenkinsScheduler.java:900-901)
            String network = c.text("networking", "BRIDGE");
            container.put("network", network);
            // JenkinsScheduler.java:908-933; MesosSlaveInfo.java:497-501 empties them for HOST
            StringBuilder ports = new StringBuilder();
            for (Fields p : c.list("portMappings")) {
                ports.append(p.text("containerPort", "0"));
                String host = p.text("hostPort");
                if (host != null && !host.equals("0")) {
                    ports.append(':').append(host);
                }
                ports.append('/').append(p.text("protocol", "tcp").toLowerCase()).append('\n');
            }
            if (!ports.isEmpty() && !network.equals("HOST")) {
                container.put("portMappings", ports.toString());
            }
            // JenkinsScheduler.java:893-897
            StringBuilder params = new StringBuilder();
            for (Fields p : c.list("parameters")) {
                params.append(p.text("key", ""))
                        .append('=')
                        .append(p.text("value", ""))
                        .append('\n');
            }
            if (!params.isEmpty()) {
                container.put("dockerParameters", params.toString());
            }
            if (c.bool("dockerPrivilegedMode")) {
                container.put("privileged", true);
            }
            if (c.bool("dockerForcePullImage")) {
                container.put("forcePull", true);
            }
        } else {
            for (String ignored :
                    List.of(
                            "networking",
                            "portMappings",
                            "parameters",
                            "dockerPrivilegedMode",
                            "dockerForcePullImage")) {
                c.raw(ignored); // JenkinsScheduler.java:949-968: MESOS used none of them
            }
        }
        // JenkinsScheduler.java:988-1001: named networks for either containerizer
        StringBuilder networks = new StringBuilder();
        for (Fields n : c.list("networkInfos")) {
            String name = n.text("networkName");
            if (name != null) {
                networks.append(name).append('\n');
            }
        }
        if (!networks.isEmpty()) {
            container.put("cniNetworks", networks.toString());
        }
        String volumes = ContainerVolumes.lines(c.list("volumes"), out);
        if (!volumes.isEmpty()) {
            container.put("volumes", volumes);
        }
        ContainerVolumes.dind(c, type, out);
        if (c.bool("dockerImageCustomizable")) {
            // MesosSlaveInfo.java:348-353,370-411: label "mylabel:registry/image:tag"
            out.notCarried(
                    c.path + ".dockerImageCustomizable",
                    "per-job images chosen by a ':image' suffix on the job's label are not"
                            + " supported; add a template (with its own label) per image");
        }
        if (c.bool("useCustomDockerCommandShell")) {
            // JenkinsScheduler.java:1032-1054
            out.notCarried(
                    c.path + ".useCustomDockerCommandShell",
                    "the agent command is not wrapped in '"
                            + c.text("customDockerCommandShell", "")
                            + "'; to run something first, bake it into the image's entrypoint"
                            + " and set useImageEntrypoint");
        } else {
            c.text("customDockerCommandShell");
        }
        out.unknown(c);
        return container;
    }
}
