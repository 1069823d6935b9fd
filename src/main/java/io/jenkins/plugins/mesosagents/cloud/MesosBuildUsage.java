package io.jenkins.plugins.mesosagents.cloud;

import io.jenkins.plugins.mesosagents.accounting.AgentUsage;
import io.jenkins.plugins.mesosagents.engine.TaskResources;

import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

import java.time.Instant;

/**
 * One Mesos agent a build used, as saved with the build and shown on its page and in its JSON API:
 * the {@link AgentUsage} in plain fields (XStream cannot restore records), times as epoch
 * milliseconds (0: not known), derived figures computed by {@link AgentUsage}.
 */
@ExportedBean(defaultVisibility = 2)
public final class MesosBuildUsage {
    private final String agent;
    private final String template;
    private final String host;
    private final String taskId;
    private final double cpus;
    private final double memMb;
    private final double diskMb;
    private final double gpus;
    private final long startMillis;
    private final long endMillis;
    private final long taskRunningMillis;
    private final long taskEndedMillis;

    MesosBuildUsage(AgentUsage u) {
        this.agent = u.agentName();
        this.template = u.templateName();
        this.host = u.host();
        this.taskId = u.taskId();
        this.cpus = u.resources().cpus();
        this.memMb = u.resources().memMb();
        this.diskMb = u.resources().diskMb();
        this.gpus = u.resources().gpus();
        this.startMillis = u.start().toEpochMilli();
        this.endMillis = u.end().toEpochMilli();
        this.taskRunningMillis = millis(u.taskRunning());
        this.taskEndedMillis = millis(u.taskEnded());
    }

    /** The Jenkins-free value again, for the derived figures. */
    public AgentUsage toUsage() {
        return new AgentUsage(
                agent,
                template,
                host,
                taskId,
                new TaskResources(cpus, memMb, diskMb, gpus),
                Instant.ofEpochMilli(startMillis),
                Instant.ofEpochMilli(endMillis),
                instant(taskRunningMillis),
                instant(taskEndedMillis));
    }

    @Exported
    public String getAgent() {
        return agent;
    }

    @Exported
    public String getTemplate() {
        return template;
    }

    @Exported
    public String getHost() {
        return host;
    }

    @Exported
    public String getTaskId() {
        return taskId;
    }

    @Exported
    public double getCpus() {
        return cpus;
    }

    @Exported
    public double getMemMb() {
        return memMb;
    }

    @Exported
    public double getDiskMb() {
        return diskMb;
    }

    @Exported
    public double getGpus() {
        return gpus;
    }

    /** When the build started holding the agent, epoch milliseconds. */
    @Exported
    public long getStartMillis() {
        return startMillis;
    }

    /** When the build released the agent, epoch milliseconds. */
    @Exported
    public long getEndMillis() {
        return endMillis;
    }

    /** When Mesos says the task reached RUNNING, epoch milliseconds (0: not known). */
    @Exported
    public long getTaskRunningMillis() {
        return taskRunningMillis;
    }

    /** When Mesos says the task ended, if before the build released it (else 0). */
    @Exported
    public long getTaskEndedMillis() {
        return taskEndedMillis;
    }

    /** The charged seconds: the build's time on the agent within the task's running time. */
    @Exported
    public double getSeconds() {
        return toUsage().seconds();
    }

    @Exported
    public double getCpuSeconds() {
        return toUsage().cpuSeconds();
    }

    @Exported
    public double getGbSeconds() {
        return toUsage().gbSeconds();
    }

    public String getSecondsText() {
        return MesosUsageAction.oneDecimal(getSeconds());
    }

    public String getCpuSecondsText() {
        return MesosUsageAction.oneDecimal(getCpuSeconds());
    }

    public String getGbSecondsText() {
        return MesosUsageAction.oneDecimal(getGbSeconds());
    }

    private static long millis(Instant t) {
        return t == null ? 0 : t.toEpochMilli();
    }

    private static Instant instant(long millis) {
        return millis == 0 ? null : Instant.ofEpochMilli(millis);
    }
}
