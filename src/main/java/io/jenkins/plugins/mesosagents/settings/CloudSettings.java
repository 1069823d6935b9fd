package io.jenkins.plugins.mesosagents.settings;

import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.engine.EngineConfig;
import io.jenkins.plugins.mesosagents.engine.ProvisioningEngine;
import io.jenkins.plugins.mesosagents.mesos.FrameworkIdentity;
import io.jenkins.plugins.mesosagents.mesos.MasterDetector;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
        List<TemplateSettings> templates) {

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
        templates = List.copyOf(templates);
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
                .templates(templates);
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
        private final List<TemplateSettings> templates = new ArrayList<>();

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

        public Builder failoverTimeoutHours(int v) {
            failoverTimeoutHours = v;
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
                    templates);
        }
    }
}
