package io.jenkins.plugins.mesosagents.cloud;

import hudson.model.Computer;
import hudson.model.Node;
import hudson.model.TaskListener;
import hudson.slaves.SlaveComputer;

import io.jenkins.plugins.mesosagents.engine.JenkinsAgents;

import jenkins.model.Jenkins;

import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The engine's view of Jenkins for one cloud: which agent nodes exist, and what to do when Mesos
 * says an agent's task is gone (terminate the node so that its build fails fast and is not left
 * waiting on a dead channel) or its host goes into maintenance (stop giving it builds; the
 * retention strategy releases it once idle).
 */
final class JenkinsNodes implements JenkinsAgents {
    private static final Logger LOGGER = Logger.getLogger(JenkinsNodes.class.getName());

    private final String cloudName;

    JenkinsNodes(String cloudName) {
        this.cloudName = cloudName;
    }

    @Override
    public Set<String> agentNames() {
        Set<String> names = new TreeSet<>();
        for (Node node : Jenkins.get().getNodes()) {
            if (node instanceof MesosAgent agent && cloudName.equals(agent.getCloudName())) {
                names.add(agent.getNodeName());
            }
        }
        return names;
    }

    @Override
    public void agentLost(String agentName, String reason) {
        Node node = Jenkins.get().getNode(agentName);
        if (!(node instanceof MesosAgent agent)) {
            return;
        }
        LOGGER.warning(() -> "The Mesos task of agent " + agentName + " is gone: " + reason);
        Background.run(
                () -> {
                    try {
                        agent.terminate();
                    } catch (Exception e) {
                        LOGGER.log(Level.WARNING, "Could not remove agent " + agentName, e);
                    }
                });
    }

    @Override
    public void agentNote(String agentName, String message) {
        Computer computer = Jenkins.get().getComputer(agentName);
        TaskListener log = computer instanceof SlaveComputer agent ? agent.getListener() : null;
        if (log != null) {
            log.getLogger().println(message);
        }
    }

    @Override
    public void taskEnded(String agentName, Instant at) {
        if (Jenkins.get().getComputer(agentName) instanceof MesosComputer computer) {
            computer.taskEnded(at);
        }
    }

    @Override
    public void agentDraining(String agentName, Instant start) {
        Computer computer = Jenkins.get().getComputer(agentName);
        if (computer instanceof MesosComputer mesosComputer) {
            LOGGER.info(
                    () ->
                            "Agent "
                                    + agentName
                                    + "'s host enters maintenance at "
                                    + start
                                    + ": no new builds on it");
            mesosComputer.drain();
        }
    }
}
