package hudson.slaves;

import hudson.ExtensionList;
import hudson.ExtensionPoint;
import hudson.model.Label;
import hudson.model.queue.CauseOfBlockage;
import java.util.Collection;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/slaves/CloudProvisioningListener.java (signatures only). */
public abstract class CloudProvisioningListener implements ExtensionPoint {
    public CauseOfBlockage canProvision(Cloud cloud, Cloud.CloudState state, int numExecutors) { throw new UnsupportedOperationException(); }

    public void onStarted(Cloud cloud, Label label, Collection<NodeProvisioner.PlannedNode> plannedNodes) { throw new UnsupportedOperationException(); }

    public static ExtensionList<CloudProvisioningListener> all() { throw new UnsupportedOperationException(); }
}
