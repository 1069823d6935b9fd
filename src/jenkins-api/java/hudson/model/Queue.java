package hudson.model;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/model/Queue.java (signatures only). */
public class Queue {
    // never constructed by plugins: no constructor to link against
    private Queue() { throw new UnsupportedOperationException(); }

    public static void withLock(Runnable runnable) { throw new UnsupportedOperationException(); }

    public boolean cancel(Item item) { throw new UnsupportedOperationException(); }

    public java.util.List<BuildableItem> getBuildableItems() { throw new UnsupportedOperationException(); }

    /** Stand-in of Queue.Executable (the real one also extends WithConsoleUrl; flattened). */
    public interface Executable extends Runnable {
    }

    /** Stand-in of Queue.Task (ModelObject flattened). */
    public interface Task extends hudson.model.queue.SubTask {
    }

    /** Stand-in of Queue.Item (signatures only). */
    public abstract static class Item extends hudson.model.Actionable {
        private Item() { throw new UnsupportedOperationException(); }

        public final Task task = null;

        public long getId() { throw new UnsupportedOperationException(); }

        public Label getAssignedLabel() { throw new UnsupportedOperationException(); }
    }

    /** Stand-in of Queue.BuildableItem (signatures only; NotWaitingItem flattened). */
    public static final class BuildableItem extends Item {
        private BuildableItem() { throw new UnsupportedOperationException(); }
    }
}
