package io.jenkins.plugins.mesosagents.cloud;

import io.jenkins.plugins.mesosagents.engine.LaunchedAgent;
import io.jenkins.plugins.mesosagents.engine.TaskResources;

import java.io.Serializable;
import java.time.Instant;

/**
 * What a Mesos agent's task is, kept with its node (so it survives a Jenkins restart) for per-build
 * accounting: host, task id, the TaskInfo's resources and when Mesos says it started running (0:
 * not known). A plain class, not a record: XStream cannot set a record's fields.
 */
public final class TaskFacts implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String host;
    private final String taskId;
    private final double cpus;
    private final double memMb;
    private final double diskMb;
    private final double gpus;
    private final long runningSinceMillis;

    TaskFacts(String host, String taskId, TaskResources r, Instant runningSince) {
        this.host = host;
        this.taskId = taskId;
        this.cpus = r.cpus();
        this.memMb = r.memMb();
        this.diskMb = r.diskMb();
        this.gpus = r.gpus();
        this.runningSinceMillis = runningSince == null ? 0 : runningSince.toEpochMilli();
    }

    static TaskFacts of(LaunchedAgent a) {
        return new TaskFacts(a.hostname(), a.taskId(), a.resources(), a.runningSince());
    }

    String host() {
        return host;
    }

    String taskId() {
        return taskId;
    }

    TaskResources resources() {
        return new TaskResources(cpus, memMb, diskMb, gpus);
    }

    Instant runningSince() {
        return runningSinceMillis == 0 ? null : Instant.ofEpochMilli(runningSinceMillis);
    }
}
