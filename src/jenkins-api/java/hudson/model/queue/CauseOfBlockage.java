package hudson.model.queue;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/model/queue/CauseOfBlockage.java (signatures only). */
public abstract class CauseOfBlockage {
    public abstract String getShortDescription();
}
