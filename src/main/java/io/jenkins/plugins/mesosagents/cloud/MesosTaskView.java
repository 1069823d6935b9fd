package io.jenkins.plugins.mesosagents.cloud;

import io.jenkins.plugins.mesosagents.engine.LaunchedAgent;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * What the agent's page shows of its Mesos task: task id, host, state and a link to the task's
 * sandbox in the Mesos web UI (null where not known yet). Jenkins-free.
 */
public record MesosTaskView(String taskId, String host, String state, String sandboxUrl) {

    /**
     * From the agent's launch future: not done yet is "launching", a failure carries its reason.
     * The sandbox link is the Mesos UI route {@code #/agents/A/frameworks/F/executors/E/browse}
     * (apache/mesos 1.11.0 src/webui/app/app.js:62); our tasks carry no ExecutorInfo, so the agent
     * runs them under the command executor whose id is the task id (src/slave/slave.cpp:6775). It
     * needs an http(s) master address; a zk:// one gives no link.
     */
    static MesosTaskView of(
            String agentName,
            CompletableFuture<LaunchedAgent> running,
            String frameworkId,
            String masterUrls) {
        if (running == null || !running.isDone()) {
            return new MesosTaskView(
                    agentName, null, "launching: waiting for its Mesos task to run", null);
        }
        LaunchedAgent a;
        try {
            a = running.join();
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return new MesosTaskView(agentName, null, "failed: " + cause.getMessage(), null);
        }
        return new MesosTaskView(
                a.taskId(),
                a.hostname(),
                "TASK_RUNNING (reached)",
                sandbox(masterUrls, a.mesosAgentId(), frameworkId, a.taskId()));
    }

    static String sandbox(String masterUrls, String agentId, String frameworkId, String taskId) {
        if (masterUrls == null || agentId == null || agentId.isEmpty() || frameworkId.isEmpty()) {
            return null;
        }
        for (String raw : masterUrls.trim().split("[,\\s]+")) {
            if (raw.startsWith("http://") || raw.startsWith("https://")) {
                String base = raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
                return base
                        + "/#/agents/"
                        + agentId
                        + "/frameworks/"
                        + frameworkId
                        + "/executors/"
                        + taskId
                        + "/browse";
            }
        }
        return null;
    }
}
