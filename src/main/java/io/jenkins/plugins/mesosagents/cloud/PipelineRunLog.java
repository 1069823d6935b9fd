package io.jenkins.plugins.mesosagents.cloud;

import hudson.model.Queue;
import hudson.model.TaskListener;

import org.jenkinsci.plugins.workflow.flow.FlowExecutionOwner;

import java.io.IOException;

/**
 * The log of the Pipeline run that owns a queued or running task (a {@code node} block's
 * placeholder: its {@code getOwnerExecutable()} is the run), through workflow-api's {@code
 * FlowExecutionOwner.getListener()}, the way kubernetes-plugin's KubernetesSlave.getRunListener
 * finds it. The only class touching workflow-api, an optional dependency: callers reach it only for
 * a task that has an owner, and catch {@link LinkageError} for a Jenkins without the plugin.
 */
final class PipelineRunLog {
    private PipelineRunLog() {}

    /** The run's log, or null when the owner is not a Pipeline run. */
    static TaskListener of(Queue.Executable owner) throws IOException {
        if (owner instanceof FlowExecutionOwner.Executable pipelineRun) {
            FlowExecutionOwner flow = pipelineRun.asFlowExecutionOwner();
            return flow == null ? null : flow.getListener();
        }
        return null;
    }
}
