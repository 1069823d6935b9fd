package io.jenkins.plugins.mesosagents.settings;

import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.engine.EngineConfig;
import io.jenkins.plugins.mesosagents.engine.ProvisioningEngine;
import io.jenkins.plugins.mesosagents.mesos.Encoding;
import io.jenkins.plugins.mesosagents.mesos.FrameworkIdentity;
import io.jenkins.plugins.mesosagents.mesos.MasterDetector;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Mesos cloud as configured: the cloud form's fields (and its JCasC block), named exactly like
 * them, as plain values. Credentials stay ids here; whoever runs the cloud resolves them (Jenkins'
 * credentials store, or a tool's own files). This is the one place the cloud-level settings become
 * the engine's {@link EngineConfig}, the framework's {@link FrameworkIdentity} and the {@link
 * MasterDetector}.
 */
public record CloudSettings(
        String name,
        String masterUrls,
        String jenkinsUrl,
        String frameworkName,
        String frameworkUser,
        String credentialsId,
        String dcosCredentialsId,
        String caCertificate,
        int failoverTimeoutHours,
        int maxAgents,
        double maxCpus,
        double maxMemMb,
        String encoding,
        int neverLaunchGraceMinutes,
        List<TemplateSettings> templates,
        boolean allowPrivileged,
        String jenkinsfileTemplates,
        String jenkinsfileImagePrefixes,
        double jenkinsfileMaxCpus,
        double jenkinsfileMaxMemMb,
        double jenkinsfileMaxDiskMb,
        int jenkinsfileMaxGpus) {
    /** The OS user of tasks whose template names none (docs/cloud.md), not the controller's own. */
    public static final String DEFAULT_FRAMEWORK_USER = "jenkins";

    /** Builds waiting only for a template that cannot launch are cancelled after this; 0 never. */
    public static final int DEFAULT_NEVER_LAUNCH_GRACE_MINUTES = 10;

    public CloudSettings {
        name = name == null ? "" : name.trim();
        masterUrls = masterUrls == null ? "" : masterUrls.trim();
        jenkinsUrl = jenkinsUrl == null ? "" : jenkinsUrl.trim();
        frameworkName =
                frameworkName == null || frameworkName.isBlank() ? "jenkins" : frameworkName.trim();
        frameworkUser = frameworkUser == null ? "" : frameworkUser.trim();
        credentialsId = credentialsId == null ? "" : credentialsId.trim();
        dcosCredentialsId = dcosCredentialsId == null ? "" : dcosCredentialsId.trim();
        caCertificate = caCertificate == null ? "" : caCertificate.trim();
        encoding =
                encoding == null || encoding.isBlank()
                        ? Encoding.PROTOBUF.name()
                        : encoding.trim().toUpperCase(Locale.ROOT);
        templates = List.copyOf(templates);
        jenkinsfileTemplates =
                jenkinsfileTemplates == null || jenkinsfileTemplates.isBlank()
                        ? JenkinsfileRules.UNPRIVILEGED
                        : jenkinsfileTemplates.trim().toUpperCase(Locale.ROOT);
        jenkinsfileImagePrefixes = jenkinsfileImagePrefixes == null ? "" : jenkinsfileImagePrefixes;
    }

    /** The administrator's rules for templates declared in a Jenkinsfile. */
    public JenkinsfileRules jenkinsfileRules() {
        return new JenkinsfileRules(
                jenkinsfileTemplates,
                allowPrivileged,
                jenkinsfileImagePrefixes,
                jenkinsfileMaxCpus,
                jenkinsfileMaxMemMb,
                jenkinsfileMaxDiskMb,
                jenkinsfileMaxGpus);
    }

    /** The cloud's templates with inheritance resolved and the cloud's rules applied. */
    public CloudTemplates resolvedTemplates() {
        return CloudTemplates.of(templates, allowPrivileged, java.util.Map.of());
    }

    /**
     * The wire encoding to subscribe with; PROTOBUF falls back to JSON by itself when the master
     * answers 415.
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public Encoding wireEncoding() {
        try {
            return Encoding.valueOf(encoding);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "Unknown Mesos encoding '" + encoding + "': use PROTOBUF or JSON", e);
        }
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The engine's cloud-wide settings (name, agents' Jenkins URL, caps) with default timings. */
    public EngineConfig.Builder engineConfig(String effectiveJenkinsUrl) {
        return EngineConfig.builder(name, effectiveJenkinsUrl).caps(maxAgents, maxCpus, maxMemMb);
    }

    /**
     * The framework as it registers: name, user (the framework user, else {@code fallbackUser}),
     * failover timeout, every template's role, and GPU_RESOURCES only when a template needs GPUs.
     * The caller adds the principal and web UI URL.
     */
    public FrameworkIdentity.Builder framework(
            List<AgentTemplate> agentTemplates, String fallbackUser) {
        return framework(frameworkName, agentTemplates, fallbackUser);
    }

    /** {@link #framework(List, String)} registering under another name (the doctor's own). */
    public FrameworkIdentity.Builder framework(
            String name, List<AgentTemplate> agentTemplates, String fallbackUser) {
        FrameworkIdentity.Builder framework =
                FrameworkIdentity.builder(
                                name, frameworkUser.isBlank() ? fallbackUser : frameworkUser)
                        .failoverTimeout(Duration.ofHours(failoverTimeoutHours));
        for (String role : ProvisioningEngine.roles(agentTemplates)) {
            framework.role(role);
        }
        if (agentTemplates.stream().anyMatch(t -> t.gpus() > 0)) {
            framework.gpuResources(true);
        }
        return framework;
    }

    public Builder toBuilder() {
        return builder(name)
                .masterUrls(masterUrls)
                .jenkinsUrl(jenkinsUrl)
                .frameworkName(frameworkName)
                .frameworkUser(frameworkUser)
                .credentialsId(credentialsId)
                .dcosCredentialsId(dcosCredentialsId)
                .caCertificate(caCertificate)
                .failoverTimeoutHours(failoverTimeoutHours)
                .maxAgents(maxAgents)
                .maxCpus(maxCpus)
                .maxMemMb(maxMemMb)
                .encoding(encoding)
                .neverLaunchGraceMinutes(neverLaunchGraceMinutes)
                .templates(templates)
                .allowPrivileged(allowPrivileged)
                .jenkinsfileTemplates(jenkinsfileTemplates)
                .jenkinsfileImagePrefixes(jenkinsfileImagePrefixes)
                .jenkinsfileMaxCpus(jenkinsfileMaxCpus)
                .jenkinsfileMaxMemMb(jenkinsfileMaxMemMb)
                .jenkinsfileMaxDiskMb(jenkinsfileMaxDiskMb)
                .jenkinsfileMaxGpus(jenkinsfileMaxGpus);
    }

    /**
     * The masters to connect to; a ZooKeeper detector is started and must be closed. ZooKeeper's
     * MasterInfo has no scheme: masters behind a private CA are assumed to speak https.
     */
    public MasterDetector masters() {
        return masters(masterUrls, caCertificate);
    }

    public static MasterDetector masters(String masterUrls, String caCertificate) {
        return MasterDetector.fromString(
                masterUrls, caCertificate == null || caCertificate.isBlank() ? "http" : "https");
    }

    /** Checks the master addresses the way the connection will use them, naming each bad one. */
    public static List<String> masterUrlProblems(String masterUrls) {
        List<String> problems = new ArrayList<>();
        if (masterUrls == null || masterUrls.isBlank()) {
            problems.add(
                    "Enter at least one Mesos master, e.g. http://mesos-master:5050 or"
                            + " zk://zk1:2181/mesos");
            return problems;
        }
        String trimmed = masterUrls.trim();
        // a zk:// URL lists its ensemble with commas itself, so it stands alone
        String[] addresses =
                trimmed.startsWith("zk://") ? new String[] {trimmed} : trimmed.split("[,\\s]+");
        for (String raw : addresses) {
            if (raw.isEmpty()) {
                continue;
            }
            try {
                URI uri = new URI(raw);
                String scheme = uri.getScheme();
                if (scheme == null
                        || !(scheme.equals("http")
                                || scheme.equals("https")
                                || scheme.equals("zk"))) {
                    problems.add(
                            "'"
                                    + raw
                                    + "': use http://, https:// or zk:// (for example"
                                    + " http://mesos-master:5050)");
                } else if (!scheme.equals("zk") && uri.getHost() == null) {
                    problems.add(
                            "'" + raw + "': no host name; write it as " + scheme + "://host:port");
                }
            } catch (java.net.URISyntaxException e) {
                problems.add("'" + raw + "' is not a URL: " + e.getReason());
            }
        }
        return problems;
    }

    /** The optional fields, with the form's defaults; method names are the form's field names. */
    public static final class Builder {
        private final String name;
        private String masterUrls = "";
        private String jenkinsUrl = "";
        private String frameworkName = "jenkins";
        private String frameworkUser = "";
        private String credentialsId = "";
        private String dcosCredentialsId = "";
        private String caCertificate = "";
        private int failoverTimeoutHours =
                (int) FrameworkIdentity.DEFAULT_FAILOVER_TIMEOUT.toHours();
        private int maxAgents;
        private double maxCpus;
        private double maxMemMb;
        private String encoding = Encoding.PROTOBUF.name();
        private int neverLaunchGraceMinutes = DEFAULT_NEVER_LAUNCH_GRACE_MINUTES;
        private final List<TemplateSettings> templates = new ArrayList<>();
        private boolean allowPrivileged;
        private String jenkinsfileTemplates = JenkinsfileRules.UNPRIVILEGED;
        private String jenkinsfileImagePrefixes = "";
        private double jenkinsfileMaxCpus;
        private double jenkinsfileMaxMemMb;
        private double jenkinsfileMaxDiskMb;
        private int jenkinsfileMaxGpus;

        private Builder(String name) {
            this.name = name;
        }

        public Builder masterUrls(String v) {
            masterUrls = v;
            return this;
        }

        public Builder jenkinsUrl(String v) {
            jenkinsUrl = v;
            return this;
        }

        public Builder frameworkName(String v) {
            frameworkName = v;
            return this;
        }

        public Builder frameworkUser(String v) {
            frameworkUser = v;
            return this;
        }

        public Builder credentialsId(String v) {
            credentialsId = v;
            return this;
        }

        public Builder dcosCredentialsId(String v) {
            dcosCredentialsId = v;
            return this;
        }

        public Builder caCertificate(String v) {
            caCertificate = v;
            return this;
        }

        public Builder encoding(String v) {
            encoding = v;
            return this;
        }

        public Builder failoverTimeoutHours(int v) {
            failoverTimeoutHours = v;
            return this;
        }

        /** Minutes a template may be unable to launch before builds waiting only for it go. */
        public Builder neverLaunchGraceMinutes(int v) {
            neverLaunchGraceMinutes = v;
            return this;
        }

        public Builder maxAgents(int v) {
            maxAgents = v;
            return this;
        }

        public Builder maxCpus(double v) {
            maxCpus = v;
            return this;
        }

        public Builder maxMemMb(double v) {
            maxMemMb = v;
            return this;
        }

        public Builder templates(List<TemplateSettings> v) {
            templates.clear();
            templates.addAll(v);
            return this;
        }

        /** Whether templates may be privileged or mount host paths (cloud and Jenkinsfile). */
        public Builder allowPrivileged(boolean v) {
            allowPrivileged = v;
            return this;
        }

        /** UNPRIVILEGED (default), ANY or NONE: see {@link JenkinsfileRules}. */
        public Builder jenkinsfileTemplates(String v) {
            jenkinsfileTemplates = v;
            return this;
        }

        /** One image prefix per line; empty: any image. */
        public Builder jenkinsfileImagePrefixes(String v) {
            jenkinsfileImagePrefixes = v;
            return this;
        }

        public Builder jenkinsfileMaxCpus(double v) {
            jenkinsfileMaxCpus = v;
            return this;
        }

        public Builder jenkinsfileMaxMemMb(double v) {
            jenkinsfileMaxMemMb = v;
            return this;
        }

        public Builder jenkinsfileMaxDiskMb(double v) {
            jenkinsfileMaxDiskMb = v;
            return this;
        }

        public Builder jenkinsfileMaxGpus(int v) {
            jenkinsfileMaxGpus = v;
            return this;
        }

        public CloudSettings build() {
            return new CloudSettings(
                    name,
                    masterUrls,
                    jenkinsUrl,
                    frameworkName,
                    frameworkUser,
                    credentialsId,
                    dcosCredentialsId,
                    caCertificate,
                    failoverTimeoutHours,
                    maxAgents,
                    maxCpus,
                    maxMemMb,
                    encoding,
                    neverLaunchGraceMinutes,
                    templates,
                    allowPrivileged,
                    jenkinsfileTemplates,
                    jenkinsfileImagePrefixes,
                    jenkinsfileMaxCpus,
                    jenkinsfileMaxMemMb,
                    jenkinsfileMaxDiskMb,
                    jenkinsfileMaxGpus);
        }
    }
}
