package hudson.model;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/model/AbstractDescribableImpl.java (signatures only). */
public abstract class AbstractDescribableImpl<T extends AbstractDescribableImpl<T>> implements Describable<T> {
    @Override
    public Descriptor<T> getDescriptor() { throw new UnsupportedOperationException(); }
}
