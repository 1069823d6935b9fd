package org.jenkinsci.plugins.pipeline.modeldefinition.agent;

import org.jenkinsci.plugins.pipeline.modeldefinition.withscript.WithScriptDescriptor;

/** Stand-in of jenkinsci/pipeline-model-definition-plugin 4e96d2bdaf9b (release 2.2258.v4e96d2b_da_f9b_) pipeline-model-extensions/src/main/java/org/jenkinsci/plugins/pipeline/modeldefinition/agent/DeclarativeAgentDescriptor.java (signatures only; static lookups left out). */
public abstract class DeclarativeAgentDescriptor<A extends DeclarativeAgent<A>> extends WithScriptDescriptor<A> {
}
