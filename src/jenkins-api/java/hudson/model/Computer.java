package hudson.model;

import hudson.security.ACL;
import hudson.security.AccessControlled;
import hudson.slaves.OfflineCause;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/model/Computer.java (signatures only). */
public abstract class Computer extends Actionable implements AccessControlled, ExecutorListener {
    public static final ExecutorService threadPoolForRemoting = null;

    protected Computer(Node node) { throw new UnsupportedOperationException(); }

    public void recordTermination() { throw new UnsupportedOperationException(); }

    public OfflineCause getOfflineCause() { throw new UnsupportedOperationException(); }

    public final Future<?> connect(boolean forceReconnect) { throw new UnsupportedOperationException(); }

    public Future<?> disconnect(OfflineCause cause) { throw new UnsupportedOperationException(); }

    public String getName() { throw new UnsupportedOperationException(); }

    public String getDisplayName() { throw new UnsupportedOperationException(); }

    public Node getNode() { throw new UnsupportedOperationException(); }

    public boolean isOffline() { throw new UnsupportedOperationException(); }

    public final boolean isOnline() { throw new UnsupportedOperationException(); }

    public abstract boolean isConnecting();

    public boolean isTemporarilyOffline() { throw new UnsupportedOperationException(); }

    public void setTemporarilyOffline(boolean temporarilyOffline, OfflineCause cause) { throw new UnsupportedOperationException(); }

    public int countIdle() { throw new UnsupportedOperationException(); }

    public final int countBusy() { throw new UnsupportedOperationException(); }

    public final int countExecutors() { throw new UnsupportedOperationException(); }

    public List<Executor> getExecutors() { throw new UnsupportedOperationException(); }

    public final boolean isIdle() { throw new UnsupportedOperationException(); }

    public final long getIdleStartMilliseconds() { throw new UnsupportedOperationException(); }

    public void waitUntilOnline() throws InterruptedException { throw new UnsupportedOperationException(); }

    public boolean isAcceptingTasks() { throw new UnsupportedOperationException(); }

    @Override
    public ACL getACL() { throw new UnsupportedOperationException(); }
}
