package hudson.slaves;

import hudson.model.TaskListener;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/slaves/JNLPLauncher.java (signatures only). */
public class JNLPLauncher extends ComputerLauncher {
    public JNLPLauncher() { throw new UnsupportedOperationException(); }

    public JNLPLauncher(boolean enableWorkDir) { throw new UnsupportedOperationException(); }

    protected Object readResolve() { throw new UnsupportedOperationException(); }

    @Override
    public boolean isLaunchSupported() { throw new UnsupportedOperationException(); }

    public boolean isWebSocket() { throw new UnsupportedOperationException(); }

    public void setWebSocket(boolean webSocket) { throw new UnsupportedOperationException(); }

    @Override
    public void launch(SlaveComputer computer, TaskListener listener) { throw new UnsupportedOperationException(); }
}
