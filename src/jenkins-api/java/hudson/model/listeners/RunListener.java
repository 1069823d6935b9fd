package hudson.model.listeners;

import hudson.ExtensionPoint;
import hudson.model.Run;
import hudson.model.TaskListener;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/model/listeners/RunListener.java (signatures only). */
public abstract class RunListener<R extends Run> implements ExtensionPoint {
    protected RunListener() { throw new UnsupportedOperationException(); }

    public void onStarted(R r, TaskListener listener) { throw new UnsupportedOperationException(); }
}
