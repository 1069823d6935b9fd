package hudson.model;

import java.io.IOException;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/model/Saveable.java (signatures only). */
public interface Saveable {
    void save() throws IOException;
}
