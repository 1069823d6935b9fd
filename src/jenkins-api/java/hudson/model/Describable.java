package hudson.model;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/model/Describable.java: abstract at this baseline. */
public interface Describable<T extends Describable<T>> {
    Descriptor<T> getDescriptor();
}
