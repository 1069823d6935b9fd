package io.jenkins.plugins.mesosagents.cloud;

import hudson.Extension;
import hudson.model.Label;
import hudson.model.Node;
import hudson.model.PeriodicWork;
import hudson.model.Queue;
import hudson.slaves.Cloud;

import io.jenkins.plugins.mesosagents.engine.EngineSnapshot;
import io.jenkins.plugins.mesosagents.engine.NeverLaunchGrace;

import jenkins.YesNoMaybe;
import jenkins.model.Jenkins;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Cancels the queue items that wait only for a template the engine says cannot launch, once the
 * cloud's grace period has passed. "Only" means: the item's label is served by that template (the
 * one {@link MesosCloud#templateFor} picks), no other cloud can provision it, and every node
 * carrying the label is an agent of that template. Core's {@code Queue.cancel(Item)} carries no
 * cause (jenkins-2.479.3 Queue.java:745), so the reason goes to the Jenkins log with the item, and
 * stays on the cloud's page.
 */
@Extension(dynamicLoadable = YesNoMaybe.YES)
public final class NeverLaunchingItems extends PeriodicWork {
    private static final Logger LOGGER = Logger.getLogger(NeverLaunchingItems.class.getName());

    /** Per configured cloud; pruned to the configured clouds on every run. */
    private final Map<String, NeverLaunchGrace> graces = new HashMap<>();

    @Override
    public long getRecurrencePeriod() {
        return 30_000;
    }

    @Override
    protected void doRun() {
        Jenkins jenkins = Jenkins.get();
        List<MesosCloud> clouds = jenkins.clouds.getAll(MesosCloud.class);
        graces.keySet().retainAll(clouds.stream().map(c -> c.name).toList());
        for (MesosCloud cloud : clouds) {
            Optional<EngineSnapshot> snapshot =
                    MesosClouds.get().existing(cloud.name).map(s -> s.snapshot());
            if (snapshot.isEmpty() || cloud.getNeverLaunchGraceMinutes() == 0) {
                continue;
            }
            Map<String, String> overdue =
                    graces.computeIfAbsent(cloud.name, k -> new NeverLaunchGrace())
                            .overdue(
                                    snapshot.get(),
                                    Duration.ofMinutes(cloud.getNeverLaunchGraceMinutes()),
                                    Instant.now());
            if (!overdue.isEmpty()) {
                cancelWaitingOnlyFor(jenkins.getQueue(), jenkins.clouds, cloud, overdue);
            }
        }
    }

    static void cancelWaitingOnlyFor(
            Queue queue, List<Cloud> allClouds, MesosCloud cloud, Map<String, String> overdue) {
        for (Queue.BuildableItem item : queue.getBuildableItems()) {
            Label label = item.getAssignedLabel();
            MesosAgentTemplate template = label == null ? null : cloud.templateFor(label);
            String why = template == null ? null : overdue.get(template.getName());
            if (why == null || !onlyThisTemplate(allClouds, cloud, template, label)) {
                continue;
            }
            if (queue.cancel(item)) {
                LOGGER.warning(
                        () ->
                                "Cancelled queue item "
                                        + item
                                        + " (label "
                                        + label
                                        + "): Mesos cloud "
                                        + cloud.name
                                        + " cannot launch it: "
                                        + why
                                        + ". Fix the template, or raise the cloud's grace period"
                                        + " (neverLaunchGraceMinutes).");
            }
        }
    }

    private static boolean onlyThisTemplate(
            List<Cloud> allClouds, MesosCloud cloud, MesosAgentTemplate template, Label label) {
        for (Cloud other : allClouds) {
            if (other != cloud && other.canProvision(new Cloud.CloudState(label, 0))) {
                return false;
            }
        }
        for (Node node : label.getNodes()) {
            if (!(node instanceof MesosAgent agent)
                    || !cloud.name.equals(agent.getCloudName())
                    || !template.getName().equals(agent.getTemplateName())) {
                return false;
            }
        }
        return true;
    }
}
