package hudson.model;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Serializable;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/model/TaskListener.java (signatures only). */
public interface TaskListener extends Serializable {
    PrintStream getLogger();

    default PrintWriter error(String msg) { throw new UnsupportedOperationException(); }

    default PrintWriter error(String format, Object... args) { throw new UnsupportedOperationException(); }

    default PrintWriter fatalError(String msg) { throw new UnsupportedOperationException(); }
}
