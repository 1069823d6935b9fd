package hudson.model;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/model/Actionable.java (signatures only). */
public abstract class Actionable extends AbstractModelObject {
    public <T extends Action> T getAction(Class<T> type) { throw new UnsupportedOperationException(); }

    public boolean addOrReplaceAction(Action a) { throw new UnsupportedOperationException(); }
}
