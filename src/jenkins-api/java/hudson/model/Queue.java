package hudson.model;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/model/Queue.java (signatures only). */
public class Queue {
    // never constructed by plugins: no constructor to link against
    private Queue() { throw new UnsupportedOperationException(); }

    public static void withLock(Runnable runnable) { throw new UnsupportedOperationException(); }

    /** Stand-in of Queue.Task. */
    public interface Task {
    }
}
