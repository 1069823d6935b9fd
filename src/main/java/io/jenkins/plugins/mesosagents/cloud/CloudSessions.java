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
import io.jenkins.plugins.mesosagents.mesos.FrameworkIdentity;
import io.jenkins.plugins.mesosagents.mesos.MasterProbe;
import io.jenkins.plugins.mesosagents.mesos.MesosCredentials;
import io.jenkins.plugins.mesosagents.mesos.SchedulerConfig;
import io.jenkins.plugins.mesosagents.session.JsonFileEngineStore;
import io.jenkins.plugins.mesosagents.session.MesosSchedulerSession;
import io.jenkins.plugins.mesosagents.session.SchedulerSession;
import io.jenkins.plugins.mesosagents.settings.CloudSettings;
import io.jenkins.plugins.mesosagents.settings.DockerPullConfig;

import jenkins.model.Jenkins;

import org.jenkinsci.plugins.plaincredentials.StringCredentials;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    static List<AgentTemplate> agentTemplates(MesosCloud cloud) {
        List<AgentTemplate> valid = new ArrayList<>();
        for (MesosAgentTemplate template : cloud.getTemplates()) {
            try {
                SecretValue pullConfig = null;
                ContainerSettings container = template.getContainer();
                if (container != null && !container.getPullCredentialsId().isBlank()) {
                    StandardUsernamePasswordCredentials pull =
                            lookup(
                                    StandardUsernamePasswordCredentials.class,
                                    container.getPullCredentialsId());
                    pullConfig =
                            SecretValue.of(
                                    DockerPullConfig.json(
                                            container.getImage(),
                                            pull.getUsername(),
                                            pull.getPassword().getPlainText()));
                }
                valid.add(template.toAgentTemplate(pullConfig));
            } catch (InvalidTemplateException | IllegalStateException e) {
                LOGGER.warning(() -> "Mesos cloud " + cloud.name + ": " + e.getMessage());
            }
        }
        return valid;
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
                settings.framework(agentTemplates, System.getProperty("user.name", "nobody"))
                        .webuiUrl(url);
        MesosCredentials credentials =
                credentials(cloud.getCredentialsId(), cloud.getDcosCredentialsId());
        if (credentials != null) {
            framework.principal(credentials.principal());
        }
        FrameworkIdentity identity = framework.build();
        java.nio.file.Path state =
                Jenkins.get().getRootDir().toPath().resolve("mesos-agents").resolve(name + ".json");
        MesosSchedulerSession session =
                MesosSchedulerSession.start(
                        engineConfig,
                        new JenkinsNodes(name),
                        new JsonFileEngineStore(state),
                        ids -> {
                            SchedulerConfig.Builder config =
                                    SchedulerConfig.builder(settings.masters(), identity)
                                            .frameworkIdStore(ids);
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
