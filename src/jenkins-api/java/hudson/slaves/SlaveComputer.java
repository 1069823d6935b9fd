package hudson.slaves;

import hudson.model.Computer;
import hudson.model.Executor;
import hudson.model.Queue;
import hudson.model.Slave;
import hudson.model.TaskListener;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/slaves/SlaveComputer.java (signatures only). */
public class SlaveComputer extends Computer {
    public SlaveComputer(Slave slave) {
        super(slave);
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean isAcceptingTasks() { throw new UnsupportedOperationException(); }

    public String getJnlpMac() { throw new UnsupportedOperationException(); }

    public void setAcceptingTasks(boolean acceptingTasks) { throw new UnsupportedOperationException(); }

    @Override
    public Slave getNode() { throw new UnsupportedOperationException(); }

    public TaskListener getListener() { throw new UnsupportedOperationException(); }

    public ComputerLauncher getLauncher() { throw new UnsupportedOperationException(); }

    @Override
    public boolean isConnecting() { throw new UnsupportedOperationException(); }

    @Override
    public void taskAccepted(Executor executor, Queue.Task task) { throw new UnsupportedOperationException(); }

    @Override
    public void taskStarted(Executor executor, Queue.Task task) { throw new UnsupportedOperationException(); }

    @Override
    public void taskCompleted(Executor executor, Queue.Task task, long durationMS) { throw new UnsupportedOperationException(); }

    @Override
    public void taskCompletedWithProblems(Executor executor, Queue.Task task, long durationMS, Throwable problems) { throw new UnsupportedOperationException(); }

    public void tryReconnect() { throw new UnsupportedOperationException(); }

    @SuppressWarnings("rawtypes")
    public RetentionStrategy getRetentionStrategy() { throw new UnsupportedOperationException(); }
}
