package hudson.model;

import hudson.slaves.ComputerLauncher;
import hudson.slaves.NodeDescriptor;
import hudson.slaves.RetentionStrategy;
import hudson.slaves.SlaveComputer;
import java.io.IOException;
import java.io.Serializable;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/model/Slave.java (signatures only). */
public abstract class Slave extends Node implements Serializable {
    protected String name;
    protected final String remoteFS;

    protected Slave(String name, String remoteFS, ComputerLauncher launcher) throws Descriptor.FormException, IOException { throw new UnsupportedOperationException(); }

    public ComputerLauncher getLauncher() { throw new UnsupportedOperationException(); }

    public void setLauncher(ComputerLauncher launcher) { throw new UnsupportedOperationException(); }

    public String getRemoteFS() { throw new UnsupportedOperationException(); }

    @Override
    public String getNodeName() { throw new UnsupportedOperationException(); }

    @Override
    public void setNodeName(String name) { throw new UnsupportedOperationException(); }

    public void setNodeDescription(String value) { throw new UnsupportedOperationException(); }

    @Override
    public String getNodeDescription() { throw new UnsupportedOperationException(); }

    @Override
    public int getNumExecutors() { throw new UnsupportedOperationException(); }

    public void setNumExecutors(int n) { throw new UnsupportedOperationException(); }

    @Override
    public Mode getMode() { throw new UnsupportedOperationException(); }

    public void setMode(Mode mode) { throw new UnsupportedOperationException(); }

    @SuppressWarnings("rawtypes")
    public RetentionStrategy getRetentionStrategy() { throw new UnsupportedOperationException(); }

    @SuppressWarnings("rawtypes")
    public void setRetentionStrategy(RetentionStrategy availabilityStrategy) { throw new UnsupportedOperationException(); }

    @Override
    public String getLabelString() { throw new UnsupportedOperationException(); }

    public void setLabelString(String labelString) throws IOException { throw new UnsupportedOperationException(); }

    @Override
    public Computer createComputer() { throw new UnsupportedOperationException(); }

    public SlaveComputer getComputer() { throw new UnsupportedOperationException(); }

    protected Object readResolve() { throw new UnsupportedOperationException(); }

    @Override
    public SlaveDescriptor getDescriptor() { throw new UnsupportedOperationException(); }

    /** Stand-in of Slave.SlaveDescriptor. */
    public abstract static class SlaveDescriptor extends NodeDescriptor {
        public SlaveDescriptor() { throw new UnsupportedOperationException(); }
    }
}
