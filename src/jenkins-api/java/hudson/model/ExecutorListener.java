package hudson.model;

import hudson.ExtensionPoint;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/model/ExecutorListener.java (signatures only). */
public interface ExecutorListener extends ExtensionPoint {
    default void taskAccepted(Executor executor, Queue.Task task) { throw new UnsupportedOperationException(); }

    default void taskStarted(Executor executor, Queue.Task task) { throw new UnsupportedOperationException(); }

    default void taskCompleted(Executor executor, Queue.Task task, long durationMS) { throw new UnsupportedOperationException(); }

    default void taskCompletedWithProblems(Executor executor, Queue.Task task, long durationMS, Throwable problems) { throw new UnsupportedOperationException(); }
}
