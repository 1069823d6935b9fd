package io.jenkins.plugins.mesosagents.cloud;

import hudson.Extension;
import hudson.model.Label;
import hudson.model.Node;
import hudson.model.PeriodicWork;
import hudson.model.Queue;
import hudson.model.TaskListener;
import hudson.slaves.Cloud;

import io.jenkins.plugins.mesosagents.engine.NeverLaunchGrace;

import jenkins.YesNoMaybe;
import jenkins.model.Jenkins;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Cancels the queue items that wait only for a template that cannot launch, once the cloud's grace
 * period has passed: a template the engine says cannot launch (its launches failed past the
 * crash-loop limit), one bigger than any agent the master reports ({@link TooBigTemplates}), or one
 * that fails validation (the engine never receives it). "Only" means: the item's label is served by
 * that template (the one {@link MesosCloud#templateFor} picks, or for an invalid one {@link
 * MesosCloud#invalidTemplateFor}), no other cloud can provision it, and every node carrying the
 * label is an agent of that template. Core's {@code Queue.cancel(Item)} carries no cause
 * (jenkins-2.479.3 Queue.java:745), so the reason goes where it can: onto the item as a {@link
 * NeverLaunchCancellation} (in the cancelled item's API), into the log of the Pipeline whose node
 * block it was (Pipeline then fails the block with "Queue task was cancelled",
 * workflow-durable-task-step ExecutorStepExecution.CancelledItemListener), and to the Jenkins log.
 */
@Extension(dynamicLoadable = YesNoMaybe.YES)
public final class NeverLaunchingItems extends PeriodicWork {
    private static final Logger LOGGER = Logger.getLogger(NeverLaunchingItems.class.getName());

    /** Per configured cloud; pruned to the configured clouds on every run. */
    private final Map<String, NeverLaunchGrace> graces = new HashMap<>();

    private final TooBigTemplates tooBig = TooBigTemplates.fromMasters();

    @Override
    public long getRecurrencePeriod() {
        return 30_000;
    }

    @Override
    protected void doRun() {
        Jenkins jenkins = Jenkins.get();
        List<MesosCloud> clouds = jenkins.clouds.getAll(MesosCloud.class);
        List<String> names = clouds.stream().map(c -> c.name).toList();
        graces.keySet().retainAll(names);
        tooBig.retain(names);
        for (MesosCloud cloud : clouds) {
            if (cloud.getNeverLaunchGraceMinutes() == 0) {
                continue;
            }
            Map<String, String> cannotLaunch = new LinkedHashMap<>();
            MesosClouds.get()
                    .existing(cloud.name)
                    .ifPresent(
                            s -> cannotLaunch.putAll(NeverLaunchGrace.cannotLaunch(s.snapshot())));
            cannotLaunch.putAll(tooBig.of(cloud, Instant.now()));
            cannotLaunch.putAll(invalidTemplates(cloud));
            Map<String, String> overdue =
                    graces.computeIfAbsent(cloud.name, k -> new NeverLaunchGrace())
                            .overdue(
                                    cannotLaunch,
                                    Duration.ofMinutes(cloud.getNeverLaunchGraceMinutes()),
                                    Instant.now());
            if (!overdue.isEmpty()) {
                cancelWaitingOnlyFor(jenkins.getQueue(), jenkins.clouds, cloud, overdue);
            }
        }
    }

    /** The cloud's templates that fail validation, each with its problems. */
    static Map<String, String> invalidTemplates(MesosCloud cloud) {
        Map<String, String> invalid = new LinkedHashMap<>();
        for (MesosAgentTemplate template : cloud.getTemplates()) {
            if (!template.isValid()) {
                invalid.put(
                        template.getName(),
                        "template "
                                + template.getName()
                                + " is invalid ("
                                + template.getProblems().stream()
                                        .map(p -> p.field() + ": " + p.message())
                                        .collect(Collectors.joining("; "))
                                + ")");
            }
        }
        return invalid;
    }

    static void cancelWaitingOnlyFor(
            Queue queue, List<Cloud> allClouds, MesosCloud cloud, Map<String, String> overdue) {
        for (Queue.BuildableItem item : queue.getBuildableItems()) {
            Label label = item.getAssignedLabel();
            MesosAgentTemplate template = label == null ? null : cloud.templateFor(label);
            if (template == null && label != null) {
                template = cloud.invalidTemplateFor(label);
            }
            String why = template == null ? null : overdue.get(template.getName());
            if (why == null || !onlyThisTemplate(allClouds, cloud, template, label)) {
                continue;
            }
            String reason =
                    "Mesos cloud "
                            + cloud.name
                            + " cannot launch an agent for label "
                            + label
                            + ": "
                            + why
                            + ". The build waited only for this template for more than "
                            + cloud.getNeverLaunchGraceMinutes()
                            + " minutes and is removed from the queue. Fix the template, or raise"
                            + " the cloud's grace period (neverLaunchGraceMinutes).";
            // before cancel, which copies the item's actions into the LeftItem; no executor can
            // take the item meanwhile (only this template's agents carry its label, and none runs)
            item.addOrReplaceAction(new NeverLaunchCancellation(reason));
            if (queue.cancel(item)) {
                tellPipeline(item, reason);
                LOGGER.warning(() -> "Cancelled queue item " + item + ": " + reason);
            }
        }
    }

    /** A Pipeline node block's item: its run's log says why before the block fails. */
    private static void tellPipeline(Queue.BuildableItem item, String reason) {
        Queue.Executable owner = item.task == null ? null : item.task.getOwnerExecutable();
        if (owner == null) {
            return;
        }
        try {
            TaskListener log = PipelineRunLog.of(owner);
            if (log != null) {
                log.getLogger().println(reason);
            }
        } catch (IOException | LinkageError e) {
            LOGGER.log(Level.FINE, "No build log for " + owner + " to say why it was cancelled", e);
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
