package hudson.model;

import hudson.ExtensionPoint;
import hudson.model.labels.LabelAtom;
import hudson.security.ACL;
import hudson.security.AccessControlled;
import hudson.slaves.NodeDescriptor;
import java.io.IOException;
import java.util.Set;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/model/Node.java (signatures only). */
public abstract class Node extends AbstractModelObject implements Describable<Node>, ExtensionPoint, AccessControlled {
    public Node() { throw new UnsupportedOperationException(); }

    public String getDisplayName() { throw new UnsupportedOperationException(); }

    public void save() throws IOException { throw new UnsupportedOperationException(); }

    public abstract String getNodeName();

    public abstract void setNodeName(String name);

    public Node reconfigure(final org.kohsuke.stapler.StaplerRequest2 req, net.sf.json.JSONObject form) throws Descriptor.FormException { throw new UnsupportedOperationException(); }

    public abstract String getNodeDescription();

    public abstract int getNumExecutors();

    public abstract Mode getMode();

    public final Computer toComputer() { throw new UnsupportedOperationException(); }

    protected abstract Computer createComputer();

    public boolean isAcceptingTasks() { throw new UnsupportedOperationException(); }

    public Set<LabelAtom> getAssignedLabels() { throw new UnsupportedOperationException(); }

    public abstract String getLabelString();

    public LabelAtom getSelfLabel() { throw new UnsupportedOperationException(); }

    @Override
    public abstract NodeDescriptor getDescriptor();

    @Override
    public ACL getACL() { throw new UnsupportedOperationException(); }

    /** Stand-in of Node.Mode. */
    public enum Mode {
        NORMAL,
        EXCLUSIVE;
    }
}
