package hudson;

import java.util.Map;
import java.util.TreeMap;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/EnvVars.java (signatures only). */
public class EnvVars extends TreeMap<String, String> {
    public EnvVars() { throw new UnsupportedOperationException(); }

    public EnvVars(Map<String, String> m) { throw new UnsupportedOperationException(); }

    public EnvVars(String... keyValuePairs) { throw new UnsupportedOperationException(); }

    public String expand(String s) { throw new UnsupportedOperationException(); }
}
