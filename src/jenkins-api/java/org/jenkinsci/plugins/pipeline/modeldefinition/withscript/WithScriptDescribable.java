package org.jenkinsci.plugins.pipeline.modeldefinition.withscript;

import hudson.model.AbstractDescribableImpl;

import java.io.Serializable;

/**
 * Stand-in of jenkinsci/pipeline-model-definition-plugin 4e96d2bdaf9b (release 2.2258.v4e96d2b_da_f9b_) pipeline-model-extensions/src/main/java/org/jenkinsci/plugins/pipeline/modeldefinition/withscript/WithScriptDescribable.java
 * (signatures only; getScript(CpsScript) left out: workflow-cps is not stood in).
 */
public abstract class WithScriptDescribable<T extends WithScriptDescribable<T>> extends AbstractDescribableImpl<T> implements Serializable {
    @Override
    public WithScriptDescriptor getDescriptor() { throw new UnsupportedOperationException(); }
}
