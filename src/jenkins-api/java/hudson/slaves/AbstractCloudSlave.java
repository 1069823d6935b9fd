package hudson.slaves;

import hudson.model.Descriptor;
import hudson.model.Slave;
import hudson.model.TaskListener;
import java.io.IOException;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/slaves/AbstractCloudSlave.java (signatures only). */
public abstract class AbstractCloudSlave extends Slave {
    protected AbstractCloudSlave(String name, String remoteFS, ComputerLauncher launcher) throws Descriptor.FormException, IOException {
        super(name, remoteFS, launcher);
        throw new UnsupportedOperationException();
    }

    @Override
    public abstract AbstractCloudComputer createComputer();

    public void terminate() throws InterruptedException, IOException { throw new UnsupportedOperationException(); }

    protected abstract void _terminate(TaskListener listener) throws IOException, InterruptedException;
}
