package io.jenkins.plugins.mesosagents.cloud;

import hudson.Extension;
import hudson.model.Label;
import hudson.model.Queue;
import hudson.model.queue.QueueListener;

import jenkins.YesNoMaybe;
import jenkins.model.Jenkins;

import java.util.List;

/**
 * Tells the warm pools when a build becomes ready for an executor: the demand the adaptive
 * estimate is made of. A build counts for the template its label is routed to ({@link
 * MesosCloud#templateFor}), in each Mesos cloud that serves it. Core calls this for every item
 * entering the buildable state (Queue.java at jenkins-2.479.3), also after a block ends, so a
 * build blocked and unblocked counts twice; the estimate errs towards a warmer pool.
 */
@Extension(dynamicLoadable = YesNoMaybe.YES)
public final class WarmPoolArrivals extends QueueListener {
    @Override
    public void onEnterBuildable(Queue.BuildableItem item) {
        WarmPoolKeeper keeper = WarmPoolKeeper.find();
        if (keeper == null) {
            return;
        }
        arrived(keeper, Jenkins.get().clouds.getAll(MesosCloud.class), item.getAssignedLabel());
    }

    static void arrived(WarmPoolKeeper keeper, List<MesosCloud> clouds, Label label) {
        arrived(clouds, label, keeper::arrived);
    }

    static void arrived(
            List<MesosCloud> clouds, Label label, java.util.function.BiConsumer<String, String> record) {
        for (MesosCloud cloud : clouds) {
            MesosAgentTemplate template = cloud.templateFor(label);
            if (template != null) {
                record.accept(cloud.name, template.getName());
            }
        }
    }
}
