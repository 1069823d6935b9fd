package io.jenkins.plugins.mesosagents.cloud;

import hudson.Extension;
import hudson.model.Label;
import hudson.model.LoadStatistics;
import hudson.model.Queue;
import hudson.model.queue.QueueListener;
import hudson.slaves.Cloud;
import hudson.slaves.CloudProvisioningListener;
import hudson.slaves.NodeProvisioner;

import jenkins.YesNoMaybe;
import jenkins.model.Jenkins;

import java.util.Collection;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Provisions Mesos agents as soon as work is queued instead of waiting for Jenkins' load averages
 * to build up (which takes minutes for a second agent of a label). Only asks Mesos clouds; other
 * clouds keep the standard strategy. Off with {@code
 * -Dio.jenkins.plugins.mesosagents.disableNoDelayProvisioning=true}.
 */
@Extension(ordinal = 100, dynamicLoadable = YesNoMaybe.YES)
public class NoDelayProvisionerStrategy extends NodeProvisioner.Strategy {
    private static final Logger LOGGER =
            Logger.getLogger(NoDelayProvisionerStrategy.class.getName());
    static final String DISABLE = "io.jenkins.plugins.mesosagents.disableNoDelayProvisioning";

    @Override
    public NodeProvisioner.StrategyDecision apply(NodeProvisioner.StrategyState state) {
        if (Boolean.getBoolean(DISABLE)) {
            return NodeProvisioner.StrategyDecision.CONSULT_REMAINING_STRATEGIES;
        }
        Label label = state.getLabel();
        LoadStatistics.LoadStatisticsSnapshot snapshot = state.getSnapshot();
        int available =
                snapshot.getAvailableExecutors()
                        + snapshot.getConnectingExecutors()
                        + state.getPlannedCapacitySnapshot()
                        + state.getAdditionalPlannedCapacity();
        int demand = snapshot.getQueueLength();
        if (available >= demand) {
            return NodeProvisioner.StrategyDecision.CONSULT_REMAINING_STRATEGIES;
        }
        Jenkins jenkins = Jenkins.get();
        if (jenkins.isQuietingDown()) {
            return NodeProvisioner.StrategyDecision.CONSULT_REMAINING_STRATEGIES;
        }
        clouds:
        for (MesosCloud cloud : jenkins.clouds.getAll(MesosCloud.class)) {
            int excess = demand - available;
            if (excess <= 0) {
                break;
            }
            Cloud.CloudState cloudState =
                    new Cloud.CloudState(label, state.getAdditionalPlannedCapacity());
            if (!cloud.canProvision(cloudState)) {
                continue;
            }
            for (CloudProvisioningListener listener : CloudProvisioningListener.all()) {
                if (listener.canProvision(cloud, cloudState, excess) != null) {
                    continue clouds;
                }
            }
            Collection<NodeProvisioner.PlannedNode> planned = cloud.provision(cloudState, excess);
            for (CloudProvisioningListener listener : CloudProvisioningListener.all()) {
                try {
                    listener.onStarted(cloud, label, planned);
                } catch (RuntimeException e) {
                    LOGGER.log(Level.WARNING, "Provisioning listener failed", e);
                }
            }
            state.recordPendingLaunches(planned);
            available += planned.stream().mapToInt(p -> p.numExecutors).sum();
        }
        return available >= demand
                ? NodeProvisioner.StrategyDecision.PROVISIONING_COMPLETED
                : NodeProvisioner.StrategyDecision.CONSULT_REMAINING_STRATEGIES;
    }

    /**
     * Asks for a provisioning review as soon as an item becomes buildable, instead of on the next
     * 10 s tick.
     */
    @Extension(dynamicLoadable = YesNoMaybe.YES)
    public static final class FastProvisioning extends QueueListener {
        @Override
        public void onEnterBuildable(Queue.BuildableItem item) {
            if (Boolean.getBoolean(DISABLE)) {
                return;
            }
            Jenkins jenkins = Jenkins.get();
            Label label = item.getAssignedLabel();
            for (MesosCloud cloud : jenkins.clouds.getAll(MesosCloud.class)) {
                if (cloud.canProvision(new Cloud.CloudState(label, 0))) {
                    NodeProvisioner provisioner =
                            label == null
                                    ? jenkins.unlabeledNodeProvisioner
                                    : label.nodeProvisioner;
                    provisioner.suggestReviewNow();
                    return;
                }
            }
        }
    }
}
