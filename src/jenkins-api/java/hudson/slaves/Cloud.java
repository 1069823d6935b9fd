package hudson.slaves;

import hudson.ExtensionPoint;
import hudson.model.Actionable;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.model.Label;
import hudson.security.ACL;
import hudson.security.AccessControlled;
import hudson.security.Permission;
import java.util.Collection;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/slaves/Cloud.java (signatures only). */
public abstract class Cloud extends Actionable implements ExtensionPoint, Describable<Cloud>, AccessControlled {
    public static final Permission PROVISION = null;

    public String name;

    protected Cloud(String name) { throw new UnsupportedOperationException(); }

    public String getDisplayName() { throw new UnsupportedOperationException(); }

    public String getUrl() { throw new UnsupportedOperationException(); }

    @Override
    public ACL getACL() { throw new UnsupportedOperationException(); }

    @Deprecated
    public Collection<NodeProvisioner.PlannedNode> provision(Label label, int excessWorkload) { throw new UnsupportedOperationException(); }

    public Collection<NodeProvisioner.PlannedNode> provision(CloudState state, int excessWorkload) { throw new UnsupportedOperationException(); }

    @Deprecated
    public boolean canProvision(Label label) { throw new UnsupportedOperationException(); }

    public boolean canProvision(CloudState state) { throw new UnsupportedOperationException(); }

    @Override
    public Descriptor<Cloud> getDescriptor() { throw new UnsupportedOperationException(); }

    /** Stand-in of Cloud.CloudState. */
    public static final class CloudState {
        public CloudState(Label label, int additionalPlannedCapacity) { throw new UnsupportedOperationException(); }

        public Label getLabel() { throw new UnsupportedOperationException(); }

        public int getAdditionalPlannedCapacity() { throw new UnsupportedOperationException(); }
    }
}
