package io.jenkins.plugins.mesosagents.steps

import org.jenkinsci.plugins.pipeline.modeldefinition.agent.CheckoutScript
import org.jenkinsci.plugins.pipeline.modeldefinition.agent.DeclarativeAgentScript2
import org.jenkinsci.plugins.workflow.cps.CpsScript

/**
 * Runs a declarative stage on a Mesos agent defined in the Jenkinsfile:
 * mesosAgent(args) { node(env.MESOS_LABEL) { checkout; body } }, retried on agent loss when the
 * block sets retries (the pattern of pipeline-model-extensions' RetryableDeclarativeAgent Javadoc
 * and kubernetes-plugin's KubernetesDeclarativeAgentScript.groovy). Loaded by
 * WithScriptDescribable.getScript from MesosDeclarativeAgent's descriptor (its script class is the
 * agent class name + "Script"); WithScriptDescriptor's constructor allow-lists this file.
 */
class MesosDeclarativeAgentScript extends DeclarativeAgentScript2<MesosDeclarativeAgent> {

    MesosDeclarativeAgentScript(CpsScript s, MesosDeclarativeAgent a) {
        super(s, a)
    }

    @Override
    void run(Closure body) {
        Closure onAgent = {
            script.mesosAgent(describable.asArgs) {
                script.node(script.env.MESOS_LABEL) {
                    CheckoutScript.doCheckout2(script, describable, describable.customWorkspace, body)
                }
            }
        }
        if (describable.retries > 1) {
            script.retry(count: describable.retries, conditions: [script.agent(), script.nonresumable()]) {
                onAgent.call()
            }
        } else {
            onAgent.call()
        }
    }
}
