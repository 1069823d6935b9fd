package hudson.slaves;

import hudson.ExtensionPoint;
import hudson.model.AbstractDescribableImpl;
import hudson.model.TaskListener;
import java.io.IOException;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/slaves/ComputerLauncher.java (signatures only). */
public abstract class ComputerLauncher extends AbstractDescribableImpl<ComputerLauncher> implements ExtensionPoint {
    public boolean isLaunchSupported() { throw new UnsupportedOperationException(); }

    public void launch(SlaveComputer computer, TaskListener listener) throws IOException, InterruptedException { throw new UnsupportedOperationException(); }

    public void afterDisconnect(SlaveComputer computer, TaskListener listener) { throw new UnsupportedOperationException(); }

    public void beforeDisconnect(SlaveComputer computer, TaskListener listener) { throw new UnsupportedOperationException(); }
}
