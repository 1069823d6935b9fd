package hudson.slaves;

import hudson.ExtensionPoint;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Computer;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/slaves/RetentionStrategy.java (signatures only). */
public abstract class RetentionStrategy<T extends Computer> extends AbstractDescribableImpl<RetentionStrategy<?>> implements ExtensionPoint {
    public abstract long check(T c);

    public boolean isManualLaunchAllowed(T c) { throw new UnsupportedOperationException(); }

    public boolean isAcceptingTasks(T c) { throw new UnsupportedOperationException(); }

    public void start(T c) { throw new UnsupportedOperationException(); }
}
