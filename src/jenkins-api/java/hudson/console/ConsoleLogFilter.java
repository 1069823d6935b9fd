package hudson.console;

import hudson.ExtensionPoint;
import hudson.model.Run;
import java.io.IOException;
import java.io.OutputStream;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/console/ConsoleLogFilter.java (signatures only). */
public abstract class ConsoleLogFilter implements ExtensionPoint {
    @SuppressWarnings("rawtypes")
    public OutputStream decorateLogger(Run build, OutputStream logger) throws IOException, InterruptedException {
        throw new UnsupportedOperationException();
    }
}
