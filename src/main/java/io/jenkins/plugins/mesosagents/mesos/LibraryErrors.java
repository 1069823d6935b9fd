package io.jenkins.plugins.mesosagents.mesos;

import java.util.ServiceConfigurationError;

/**
 * Names the {@code Error}s a library throws when the plugin's class path is broken (a jar missing
 * from the .hpi, an API plugin at an incompatible version): they are no bugs in the input and no
 * network failures, so threads and web methods that catch exceptions must catch these as well and
 * say plainly that the packaging is at fault. Errors of the JVM itself (out of memory, stack
 * overflow) are not among them.
 */
public final class LibraryErrors {
    private static final String REPORT = ": the plugin's packaging is broken, report it";
    private static final String NOT_INITIALIZED = "Could not initialize class ";

    private LibraryErrors() {}

    /** A linkage or service-loading failure of a library. */
    public static boolean isLibraryError(Throwable t) {
        return t instanceof LinkageError || t instanceof ServiceConfigurationError;
    }

    /** One line for users, e.g. "missing class io.netty.handler.ssl.SslContext: …, report it". */
    public static String describe(Throwable t) {
        String message = t.getMessage() == null ? "" : t.getMessage();
        if (t instanceof NoClassDefFoundError) {
            if (message.startsWith(NOT_INITIALIZED)) {
                return "class "
                        + message.substring(NOT_INITIALIZED.length())
                        + " failed to initialize earlier (see the first error in the log)"
                        + REPORT;
            }
            return "missing class " + message.replace('/', '.') + REPORT;
        }
        if (t instanceof ExceptionInInitializerError && t.getCause() != null) {
            return "a library class failed to initialize ("
                    + t.getCause().getClass().getSimpleName()
                    + ": "
                    + t.getCause().getMessage()
                    + ")"
                    + REPORT;
        }
        if (t instanceof IncompatibleClassChangeError) { // NoSuchMethodError, NoSuchFieldError, …
            return "incompatible library version ("
                    + t.getClass().getSimpleName()
                    + ": "
                    + message
                    + ")"
                    + REPORT;
        }
        return "library failure (" + t.getClass().getSimpleName() + ": " + message + ")" + REPORT;
    }
}
