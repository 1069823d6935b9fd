package hudson.slaves;

import hudson.model.Descriptor;
import hudson.model.Node;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/slaves/NodeDescriptor.java (signatures only). */
public abstract class NodeDescriptor extends Descriptor<Node> {
    protected NodeDescriptor(Class<? extends Node> clazz) { throw new UnsupportedOperationException(); }

    protected NodeDescriptor() { throw new UnsupportedOperationException(); }

    public boolean isInstantiable() { throw new UnsupportedOperationException(); }
}
