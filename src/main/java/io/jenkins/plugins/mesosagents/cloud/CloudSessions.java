package io.jenkins.plugins.mesosagents.cloud;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;

import hudson.model.Item;
import hudson.security.ACL;

import io.jenkins.plugins.mesosagents.dcos.ServiceAccount;
import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.engine.EngineConfig;
import io.jenkins.plugins.mesosagents.engine.InvalidTemplateException;
import io.jenkins.plugins.mesosagents.engine.SecretValue;
import io.jenkins.plugins.mesosagents.engine.TemplateProblem;
import io.jenkins.plugins.mesosagents.mesos.FrameworkIdentity;
import io.jenkins.plugins.mesosagents.mesos.MasterProbe;
import io.jenkins.plugins.mesosagents.mesos.MesosCredentials;
import io.jenkins.plugins.mesosagents.mesos.SchedulerConfig;
import io.jenkins.plugins.mesosagents.session.JsonFileEngineStore;
import io.jenkins.plugins.mesosagents.session.MesosSchedulerSession;
import io.jenkins.plugins.mesosagents.session.SchedulerSession;
import io.jenkins.plugins.mesosagents.settings.CloudSettings;
import io.jenkins.plugins.mesosagents.settings.CloudTemplates;
import io.jenkins.plugins.mesosagents.settings.ContainerSetup;
import io.jenkins.plugins.mesosagents.settings.DockerPullConfig;
import io.jenkins.plugins.mesosagents.settings.TemplateSettings;

import jenkins.model.Jenkins;

import org.jenkinsci.plugins.plaincredentials.StringCredentials;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Builds what a {@link MesosCloud} runs on from its settings: the engine's templates (with image
 * pull secrets from the credentials store), the framework identity, the connection settings and the
 * restart-state file, started as one {@link SchedulerSession}; and the same connection settings for
 * the form's "Test connection".
 */
final class CloudSessions {
    private static final Logger LOGGER = Logger.getLogger(CloudSessions.class.getName());

    private CloudSessions() {}

    /**
     * The engine's templates of the cloud's valid templates (inheritance resolved); an invalid one
     * is left out with its problems logged, so the others keep working.
     */
    static List<AgentTemplate> agentTemplates(MesosCloud cloud) {
        List<AgentTemplate> valid = new ArrayList<>();
        CloudTemplates resolved = cloud.resolvedTemplates();
        for (MesosAgentTemplate template : cloud.getTemplates()) {
            List<TemplateProblem> problems = resolved.problems(template.getName());
            if (!problems.isEmpty()) {
                LOGGER.warning(
                        () ->
                                "Mesos cloud "
                                        + cloud.name
                                        + ": "
                                        + new InvalidTemplateException(template.getName(), problems)
                                                .getMessage());
            }
        }
        for (TemplateSettings template : resolved.valid()) {
            try {
                valid.add(agentTemplate(template));
            } catch (InvalidTemplateException | IllegalStateException e) {
                LOGGER.warning(() -> "Mesos cloud " + cloud.name + ": " + e.getMessage());
            }
        }
        return valid;
    }

    /**
     * The engine's template for these settings, with the container's pull credentials read from the
     * global credentials store.
     *
     * @throws InvalidTemplateException listing every problem
     * @throws IllegalStateException when the pull credentials do not exist
     */
    static AgentTemplate agentTemplate(TemplateSettings template) {
        SecretValue pullConfig = null;
        ContainerSetup container = template.container();
        if (container != null && !container.pullCredentialsId().isBlank()) {
            StandardUsernamePasswordCredentials pull =
                    lookup(
                            StandardUsernamePasswordCredentials.class,
                            container.pullCredentialsId());
            pullConfig =
                    SecretValue.of(
                            DockerPullConfig.json(
                                    container.image(),
                                    pull.getUsername(),
                                    pull.getPassword().getPlainText()));
        }
        return template.toAgentTemplate(pullConfig);
    }

    static SchedulerSession start(MesosCloud cloud) {
        String name = cloud.name;
        String url = cloud.effectiveJenkinsUrl();
        if (url == null || url.isBlank()) {
            throw new IllegalStateException(
                    "Mesos cloud "
                            + name
                            + " needs the Jenkins URL agents connect to: set it in the cloud's"
                            + " configuration or under Manage Jenkins → System → Jenkins URL");
        }
        CloudSettings settings = cloud.settings();
        List<AgentTemplate> agentTemplates = agentTemplates(cloud);
        EngineConfig engineConfig = settings.engineConfig(url).build();
        FrameworkIdentity.Builder framework =
                settings.framework(agentTemplates, CloudSettings.DEFAULT_FRAMEWORK_USER)
                        .webuiUrl(url);
        MesosCredentials credentials =
                credentials(cloud.getCredentialsId(), cloud.getDcosCredentialsId());
        if (credentials != null) {
            framework.principal(credentials.principal());
        }
        FrameworkIdentity identity = framework.build();
        java.nio.file.Path state = stateFile(name);
        MesosSchedulerSession session =
                MesosSchedulerSession.start(
                        engineConfig,
                        new JenkinsNodes(name),
                        new JsonFileEngineStore(state),
                        ids -> {
                            SchedulerConfig.Builder config =
                                    SchedulerConfig.builder(settings.masters(), identity)
                                            .frameworkIdStore(ids)
                                            .encoding(settings.wireEncoding());
                            if (credentials != null) {
                                config.credentials(credentials);
                            }
                            if (!cloud.getCaCertificate().isBlank()) {
                                config.caBundlePem(cloud.getCaCertificate());
                            }
                            return config.build();
                        },
                        Duration.ofSeconds(1),
                        Clock.systemUTC());
        session.updateTemplates(agentTemplates);
        return session;
    }

    /** The engine's restart state (framework id, tasks) of a cloud, keyed by its name. */
    static Path stateFile(String cloudName) {
        return Jenkins.get()
                .getRootDir()
                .toPath()
                .resolve("mesos-agents")
                .resolve(cloudName + ".json");
    }

    /** A renamed cloud keeps its framework and tasks: its state file takes the new name. */
    static void moveState(String from, String to) {
        Path source = stateFile(from);
        Path target = stateFile(to);
        try {
            if (Files.exists(source) && !Files.exists(target)) {
                Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            LOGGER.log(
                    Level.WARNING,
                    "Could not move the state of Mesos cloud " + from + " to " + target,
                    e);
        }
    }

    /** A deleted cloud's framework was torn down: its state is of no use any more. */
    static void deleteState(String cloudName) {
        try {
            Files.deleteIfExists(stateFile(cloudName));
        } catch (IOException e) {
            LOGGER.log(Level.WARNING, "Could not delete the state of Mesos cloud " + cloudName, e);
        }
    }

    /**
     * What "Test connection" reports: the leading master found with these settings, or why none
     * was.
     */
    static MasterProbe.Result probe(
            String masterUrls, String credentialsId, String dcosCredentialsId, String caCertificate)
            throws Exception {
        FrameworkIdentity probe =
                FrameworkIdentity.builder("jenkins-connection-test", "nobody").build();
        SchedulerConfig.Builder config =
                SchedulerConfig.builder(CloudSettings.masters(masterUrls, caCertificate), probe)
                        .requestTimeout(Duration.ofSeconds(10));
        MesosCredentials credentials = credentials(credentialsId, dcosCredentialsId);
        if (credentials != null) {
            config.credentials(credentials);
        }
        if (caCertificate != null && !caCertificate.isBlank()) {
            config.caBundlePem(caCertificate);
        }
        return MasterProbe.probe(config.build(), Duration.ofSeconds(10));
    }

    static MesosCredentials credentials(String credentialsId, String dcosCredentialsId) {
        if (dcosCredentialsId != null && !dcosCredentialsId.isBlank()) {
            StringCredentials secret = lookup(StringCredentials.class, dcosCredentialsId);
            return MesosCredentials.DcosServiceAccount.of(
                    ServiceAccount.fromJson(secret.getSecret().getPlainText()));
        }
        if (credentialsId != null && !credentialsId.isBlank()) {
            StandardUsernamePasswordCredentials basic =
                    lookup(StandardUsernamePasswordCredentials.class, credentialsId);
            return new MesosCredentials.Basic(
                    basic.getUsername(), basic.getPassword().getPlainText());
        }
        return null;
    }

    private static <C extends StandardCredentials> C lookup(Class<C> type, String id) {
        C found =
                CredentialsMatchers.firstOrNull(
                        CredentialsProvider.lookupCredentialsInItem(
                                type, (Item) null, ACL.SYSTEM2, List.of()),
                        CredentialsMatchers.withId(id));
        if (found == null) {
            throw new IllegalStateException(
                    "No "
                            + type.getSimpleName()
                            + " credentials with id '"
                            + id
                            + "' in the global credentials store");
        }
        return found;
    }
}
