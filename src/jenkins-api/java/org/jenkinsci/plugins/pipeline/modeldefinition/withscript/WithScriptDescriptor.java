package org.jenkinsci.plugins.pipeline.modeldefinition.withscript;

import hudson.model.Descriptor;

import java.util.Map;

/** Stand-in of jenkinsci/pipeline-model-definition-plugin 4e96d2bdaf9b (release 2.2258.v4e96d2b_da_f9b_) pipeline-model-extensions/src/main/java/org/jenkinsci/plugins/pipeline/modeldefinition/withscript/WithScriptDescriptor.java (signatures only). */
public abstract class WithScriptDescriptor<T extends WithScriptDescribable<T>> extends Descriptor<T> {
    protected WithScriptDescriptor() { throw new UnsupportedOperationException(); }

    public String getName() { throw new UnsupportedOperationException(); }

    public String getScriptClass() { throw new UnsupportedOperationException(); }

    public T newInstance(Map<String,Object> arguments) throws Exception { throw new UnsupportedOperationException(); }

    public T newInstance() throws Exception { throw new UnsupportedOperationException(); }
}
