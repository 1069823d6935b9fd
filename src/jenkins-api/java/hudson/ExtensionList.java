package hudson;

import java.util.AbstractList;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/ExtensionList.java (signatures only). */
public class ExtensionList<T> extends AbstractList<T> {
    protected ExtensionList(jenkins.model.Jenkins jenkins, Class<T> extensionType) { throw new UnsupportedOperationException(); }

    @Override
    public T get(int index) { throw new UnsupportedOperationException(); }

    @Override
    public int size() { throw new UnsupportedOperationException(); }

    public <U extends T> U get(Class<U> type) { throw new UnsupportedOperationException(); }

    public static <T> ExtensionList<T> lookup(Class<T> type) { throw new UnsupportedOperationException(); }

    public static <U> U lookupSingleton(Class<U> type) { throw new UnsupportedOperationException(); }
}
