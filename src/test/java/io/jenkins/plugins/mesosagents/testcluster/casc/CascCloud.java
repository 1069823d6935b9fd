package io.jenkins.plugins.mesosagents.testcluster.casc;

import io.jenkins.plugins.mesosagents.dcos.ServiceAccount;
import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.engine.EngineConfig;
import io.jenkins.plugins.mesosagents.engine.InvalidTemplateException;
import io.jenkins.plugins.mesosagents.engine.SecretValue;
import io.jenkins.plugins.mesosagents.mesos.FrameworkIdentity;
import io.jenkins.plugins.mesosagents.mesos.MesosCredentials;
import io.jenkins.plugins.mesosagents.mesos.SchedulerConfig;
import io.jenkins.plugins.mesosagents.settings.CloudSettings;
import io.jenkins.plugins.mesosagents.settings.DockerPullConfig;
import io.jenkins.plugins.mesosagents.settings.TemplateSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One {@code mesosAgents} cloud of a JCasC file, with the file's credentials: turns the settings
 * into what a tool runs the engine and the Mesos client with, through the same {@code settings/}
 * conversion the Jenkins cloud uses. Credential ids are resolved from the file's {@code
 * credentials:} section instead of Jenkins' store.
 */
public record CascCloud(
        CloudSettings settings,
        String source,
        String path,
        Map<String, CascCredential> credentials) {

    public CascCloud {
        credentials = Map.copyOf(credentials);
    }

    /**
     * Every template as the engine's, with image pull credentials resolved; an error listing every
     * problem of every template, each with its key path, when any is invalid.
     */
    public List<AgentTemplate> agentTemplates() {
        List<AgentTemplate> templates = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        // inheritance resolved and the cloud's rules applied, as the Jenkins cloud does
        var resolved = settings.resolvedTemplates();
        for (int i = 0; i < settings.templates().size(); i++) {
            String at = path + ".templates[" + i + "]";
            String name = settings.templates().get(i).name();
            TemplateSettings template = resolved.effective(name);
            var ruleProblems =
                    resolved.problems(name).stream()
                            .filter(
                                    p ->
                                            p.field().equals("inheritFrom")
                                                    || p.message().contains("allowPrivileged"))
                            .toList();
            ruleProblems.forEach(p -> problems.add(at + "." + p.field() + ": " + p.message()));
            if (template == null || !ruleProblems.isEmpty()) {
                continue;
            }
            SecretValue pullConfig = null;
            int before = problems.size();
            try {
                pullConfig = pullConfig(template, at);
            } catch (InvalidCascException e) {
                problems.add(e.getMessage());
            }
            try {
                AgentTemplate agentTemplate = template.toAgentTemplate(pullConfig);
                if (problems.size() == before) {
                    templates.add(agentTemplate);
                }
            } catch (InvalidTemplateException e) {
                e.problems().forEach(p -> problems.add(at + "." + p.field() + ": " + p.message()));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidCascException(
                    source + ": invalid templates:\n  " + String.join("\n  ", problems));
        }
        return templates;
    }

    /**
     * The engine's cloud-wide settings; {@code jenkinsUrl} is the cloud's {@code jenkinsUrl} unless
     * that is empty, then {@code fallbackJenkinsUrl}.
     */
    public EngineConfig.Builder engineConfig(String fallbackJenkinsUrl) {
        return settings.engineConfig(
                settings.jenkinsUrl().isBlank() ? fallbackJenkinsUrl : settings.jenkinsUrl());
    }

    /** The framework as the cloud registers it, with the credentials' principal. */
    public FrameworkIdentity.Builder framework(List<AgentTemplate> agentTemplates) {
        FrameworkIdentity.Builder framework =
                settings.framework(agentTemplates, System.getProperty("user.name", "nobody"));
        MesosCredentials credentials = mesosCredentials();
        if (credentials != null) {
            framework.principal(credentials.principal());
        }
        return framework;
    }

    /** Masters, credentials and CA as the cloud connects; the caller adds an id store etc. */
    public SchedulerConfig.Builder schedulerConfig(FrameworkIdentity identity) {
        SchedulerConfig.Builder config =
                SchedulerConfig.builder(settings.masters(), identity)
                        .encoding(settings.wireEncoding());
        MesosCredentials credentials = mesosCredentials();
        if (credentials != null) {
            config.credentials(credentials);
        }
        if (!settings.caCertificate().isBlank()) {
            config.caBundlePem(settings.caCertificate());
        }
        return config;
    }

    /**
     * The framework's credentials: {@code dcosCredentialsId} (secret text with the service account
     * JSON) before {@code credentialsId} (username/password), as the cloud does; null for none.
     */
    public MesosCredentials mesosCredentials() {
        if (!settings.dcosCredentialsId().isBlank()) {
            CascCredential.SecretText secret =
                    lookup(
                            CascCredential.SecretText.class,
                            settings.dcosCredentialsId(),
                            path + ".dcosCredentialsId");
            return MesosCredentials.DcosServiceAccount.of(
                    ServiceAccount.fromJson(secret.secret().reveal()));
        }
        if (!settings.credentialsId().isBlank()) {
            CascCredential.UsernamePassword basic =
                    lookup(
                            CascCredential.UsernamePassword.class,
                            settings.credentialsId(),
                            path + ".credentialsId");
            return new MesosCredentials.Basic(basic.username(), basic.password().reveal());
        }
        return null;
    }

    private SecretValue pullConfig(TemplateSettings template, String at) {
        if (template.container() == null || template.container().pullCredentialsId().isBlank()) {
            return null;
        }
        CascCredential.UsernamePassword pull =
                lookup(
                        CascCredential.UsernamePassword.class,
                        template.container().pullCredentialsId(),
                        at + ".container.pullCredentialsId");
        return SecretValue.of(
                DockerPullConfig.json(
                        template.container().image(), pull.username(), pull.password().reveal()));
    }

    private <C extends CascCredential> C lookup(Class<C> type, String id, String where) {
        CascCredential found = credentials.get(id);
        if (!type.isInstance(found)) {
            String kind = type == CascCredential.SecretText.class ? "string" : "usernamePassword";
            throw new InvalidCascException(
                    source
                            + ": "
                            + where
                            + " refers to '"
                            + id
                            + "', but the file's credentials section has no "
                            + kind
                            + " credential with that id"
                            + (found == null ? "" : " (it is a different kind)")
                            + "; add one under credentials: system: domainCredentials:"
                            + " - credentials: - "
                            + kind
                            + ":");
        }
        return type.cast(found);
    }
}
