package org.jenkinsci.plugins.workflow.steps;

import hudson.EnvVars;
import java.io.IOException;
import java.io.Serializable;
import java.util.Map;

/** Stand-in of workflow-step-api 704 EnvironmentExpander.java (signatures only). */
public abstract class EnvironmentExpander implements Serializable {
    public EnvironmentExpander() { throw new UnsupportedOperationException(); }

    public abstract void expand(EnvVars env) throws IOException, InterruptedException;

    public static EnvironmentExpander constant(Map<String, String> env) { throw new UnsupportedOperationException(); }

    public static EnvironmentExpander merge(EnvironmentExpander original, EnvironmentExpander subsequent) { throw new UnsupportedOperationException(); }
}
