package io.jenkins.plugins.mesosagents.cloud;

import io.jenkins.plugins.mesosagents.engine.AgentSizes;
import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.engine.InvalidTemplateException;
import io.jenkins.plugins.mesosagents.mesos.AgentResources;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Per cloud, the templates bigger than any agent its master reports ({@link AgentSizes}), from the
 * master's {@code /master/state} read the way Test connection reads it, at most every 5 minutes; a
 * failed read keeps the last answer. Used by {@link NeverLaunchingItems} on its own thread only.
 */
final class TooBigTemplates {
    private static final Logger LOGGER = Logger.getLogger(TooBigTemplates.class.getName());
    static final Duration REREAD_EVERY = Duration.ofMinutes(5);

    /** Reads a cloud's agents from its master. */
    interface AgentReader {
        List<AgentResources> read(MesosCloud cloud) throws Exception;
    }

    private final AgentReader reader;
    private final Map<String, Instant> readAt = new HashMap<>();
    private final Map<String, List<AgentResources>> agents = new HashMap<>();

    TooBigTemplates(AgentReader reader) {
        this.reader = reader;
    }

    /** Reads through {@link CloudSessions#probe}, the cloud's own connection settings. */
    static TooBigTemplates fromMasters() {
        return new TooBigTemplates(
                cloud ->
                        CloudSessions.probe(
                                        cloud.getMasterUrls(),
                                        cloud.getCredentialsId(),
                                        cloud.getDcosCredentialsId(),
                                        cloud.getCaCertificate())
                                .agentResources());
    }

    /** The cloud's valid templates that fit no agent, each with why. */
    Map<String, String> of(MesosCloud cloud, Instant now) {
        Instant last = readAt.get(cloud.name);
        if (last == null || !now.isBefore(last.plus(REREAD_EVERY))) {
            readAt.put(cloud.name, now);
            try {
                agents.put(cloud.name, reader.read(cloud));
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                LOGGER.log(
                        Level.FINE,
                        "Mesos cloud " + cloud.name + ": could not read the agents' sizes",
                        e);
            }
        }
        Map<String, String> tooBig = new LinkedHashMap<>();
        List<AgentResources> known = agents.getOrDefault(cloud.name, List.of());
        for (MesosAgentTemplate form : cloud.getTemplates()) {
            if (!form.isValid()) {
                continue; // NeverLaunchingItems has its own reason for it
            }
            try {
                AgentTemplate template = form.toAgentTemplate();
                AgentSizes.tooBig(
                                template,
                                known.stream().map(a -> a.forRole(template.role())).toList())
                        .ifPresent(why -> tooBig.put(template.name(), why));
            } catch (InvalidTemplateException e) {
                // isValid said otherwise a moment ago: judged on the next run
            }
        }
        return tooBig;
    }

    /** Forgets clouds no longer configured. */
    void retain(Collection<String> cloudNames) {
        readAt.keySet().retainAll(cloudNames);
        agents.keySet().retainAll(cloudNames);
    }
}
