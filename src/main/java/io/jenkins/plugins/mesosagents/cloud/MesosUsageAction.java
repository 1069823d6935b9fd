package io.jenkins.plugins.mesosagents.cloud;

import hudson.model.Run;

import io.jenkins.plugins.mesosagents.accounting.AgentUsage;

import jenkins.model.RunAction2;

import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Mesos resources a build used, saved with the build: one {@link MesosBuildUsage} per time the
 * build (a freestyle build, or each Pipeline {@code node} block) held a Mesos agent, with totals.
 * Shown in the build page's summary ({@code summary.jelly}) and as {@code actions[]} of the build's
 * JSON API; no link of its own (no icon, display name or URL, like core's InvisibleAction).
 */
@ExportedBean
public class MesosUsageAction implements RunAction2 {
    private final List<MesosBuildUsage> agents = new ArrayList<>();

    /**
     * Adds one usage to the build's action (created on first use) and saves the build: the executor
     * reports a freestyle build's end after the build saved itself.
     */
    static void record(Run<?, ?> run, AgentUsage usage) throws IOException {
        synchronized (run) {
            MesosUsageAction action = run.getAction(MesosUsageAction.class);
            if (action == null) {
                action = new MesosUsageAction();
                action.add(usage);
                run.addOrReplaceAction(action);
            } else {
                action.add(usage);
            }
            run.save();
        }
    }

    synchronized void add(AgentUsage usage) {
        agents.add(new MesosBuildUsage(usage));
    }

    @Exported(inline = true)
    public synchronized List<MesosBuildUsage> getAgents() {
        return List.copyOf(agents);
    }

    /** cpus × seconds over every agent the build used. */
    @Exported
    public synchronized double getCpuSeconds() {
        return agents.stream().mapToDouble(MesosBuildUsage::getCpuSeconds).sum();
    }

    /** memory GB × seconds over every agent the build used. */
    @Exported
    public synchronized double getGbSeconds() {
        return agents.stream().mapToDouble(MesosBuildUsage::getGbSeconds).sum();
    }

    public String getCpuSecondsText() {
        return oneDecimal(getCpuSeconds());
    }

    public String getGbSecondsText() {
        return oneDecimal(getGbSeconds());
    }

    static String oneDecimal(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    @Override
    public String getIconFileName() {
        return null;
    }

    @Override
    public String getDisplayName() {
        return null;
    }

    @Override
    public String getUrlName() {
        return null;
    }

    @Override
    public void onAttached(Run<?, ?> r) {}

    @Override
    public void onLoad(Run<?, ?> r) {}
}
