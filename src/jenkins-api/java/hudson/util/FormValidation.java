package hudson.util;

import java.io.IOException;
import java.util.Collection;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/util/FormValidation.java (signatures only). */
public abstract class FormValidation extends IOException {
    public final Kind kind;

    private FormValidation(Kind kind) { throw new UnsupportedOperationException(); }

    public static FormValidation ok() { throw new UnsupportedOperationException(); }

    public static FormValidation ok(String message) { throw new UnsupportedOperationException(); }

    public static FormValidation ok(String format, Object... args) { throw new UnsupportedOperationException(); }

    public static FormValidation warning(String message) { throw new UnsupportedOperationException(); }

    public static FormValidation warning(String format, Object... args) { throw new UnsupportedOperationException(); }

    public static FormValidation error(String message) { throw new UnsupportedOperationException(); }

    public static FormValidation error(String format, Object... args) { throw new UnsupportedOperationException(); }

    public static FormValidation error(Throwable e, String message) { throw new UnsupportedOperationException(); }

    public static FormValidation aggregate(Collection<FormValidation> validations) { throw new UnsupportedOperationException(); }

    public static FormValidation validateRequired(String value) { throw new UnsupportedOperationException(); }

    public static FormValidation validatePositiveInteger(String value) { throw new UnsupportedOperationException(); }

    public static FormValidation validateNonNegativeInteger(String value) { throw new UnsupportedOperationException(); }

    public abstract String renderHtml();

    /** Stand-in of FormValidation.Kind. */
    public enum Kind {
        OK,
        WARNING,
        ERROR;
    }
}
