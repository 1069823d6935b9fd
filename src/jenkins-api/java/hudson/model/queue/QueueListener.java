package hudson.model.queue;

import hudson.ExtensionPoint;
import hudson.model.Queue;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/model/queue/QueueListener.java (signatures only). */
public abstract class QueueListener implements ExtensionPoint {
    public void onEnterBuildable(Queue.BuildableItem bi) { throw new UnsupportedOperationException(); }
}
