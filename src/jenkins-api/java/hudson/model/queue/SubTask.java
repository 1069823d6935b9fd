package hudson.model.queue;

import hudson.model.Queue;

/**
 * Stand-in of jenkins-2.479.3 core/src/main/java/hudson/model/queue/SubTask.java (signatures only;
 * ResourceActivity flattened).
 */
public interface SubTask {
    default Queue.Executable getOwnerExecutable() { throw new UnsupportedOperationException(); }
}
