package hudson.model;

import net.sf.json.JSONObject;
import org.kohsuke.stapler.StaplerRequest2;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/model/Descriptor.java (signatures only). */
public abstract class Descriptor<T extends Describable<T>> {
    public final transient Class<? extends T> clazz;

    protected Descriptor(Class<? extends T> clazz) { throw new UnsupportedOperationException(); }

    protected Descriptor() { throw new UnsupportedOperationException(); }

    public String getDisplayName() { throw new UnsupportedOperationException(); }

    public String getId() { throw new UnsupportedOperationException(); }

    public T newInstance(StaplerRequest2 req, JSONObject formData) throws FormException { throw new UnsupportedOperationException(); }

    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException { throw new UnsupportedOperationException(); }

    public synchronized void save() { throw new UnsupportedOperationException(); }

    public synchronized void load() { throw new UnsupportedOperationException(); }

    public static <T> T bindJSON(StaplerRequest2 req, Class<T> type, JSONObject src) { throw new UnsupportedOperationException(); }

    /** Stand-in of Descriptor.FormException. */
    public static final class FormException extends Exception {
        public FormException(String message, String formField) { throw new UnsupportedOperationException(); }

        public FormException(String message, Throwable cause, String formField) { throw new UnsupportedOperationException(); }

        public FormException(Throwable cause, String formField) { throw new UnsupportedOperationException(); }

        public String getFormField() { throw new UnsupportedOperationException(); }
    }
}
