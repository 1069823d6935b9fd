package io.jenkins.plugins.mesosagents.engine;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a template is bigger than every agent of the cluster: no agent has, in total (free or
 * not), the cpus, memory, disk and gpus one agent of the template needs with the resources its role
 * can ever be offered. Such a template can never launch until the cluster changes; offers alone
 * cannot tell (an agent busy with other frameworks offers less than it has). Ports are not judged.
 */
public final class AgentSizes {
    private AgentSizes() {}

    /**
     * Why the template fits no agent, or empty when one agent could hold it or none is known.
     *
     * @param agents per agent, scalar name ({@code cpus}, {@code mem}, {@code disk}, {@code gpus})
     *     to the amount the template's role could ever be offered there
     */
    public static Optional<String> tooBig(
            AgentTemplate template, List<Map<String, Double>> agents) {
        if (agents.isEmpty()) {
            return Optional.empty();
        }
        double cpus = 0;
        double mem = 0;
        double disk = 0;
        double gpus = 0;
        for (Map<String, Double> agent : agents) {
            double c = agent.getOrDefault("cpus", 0.0);
            double m = agent.getOrDefault("mem", 0.0);
            double d = agent.getOrDefault("disk", 0.0);
            double g = agent.getOrDefault("gpus", 0.0);
            if (Resources.fits(template.cpus(), c)
                    && Resources.fits(template.memMb(), m)
                    && Resources.fits(template.diskMb(), d)
                    && Resources.fits(template.gpus(), g)) {
                return Optional.empty();
            }
            cpus = Math.max(cpus, c);
            mem = Math.max(mem, m);
            disk = Math.max(disk, d);
            gpus = Math.max(gpus, g);
        }
        return Optional.of(
                String.format(
                        Locale.ROOT,
                        "template %s is bigger than any of the %d agents the master reports for"
                                + " role %s: it needs %s cpus, %s MB memory, %s MB disk, %s gpus;"
                                + " the most any agent has is %s cpus, %s MB memory, %s MB disk,"
                                + " %s gpus",
                        template.name(),
                        agents.size(),
                        template.role(),
                        amount(template.cpus()),
                        amount(template.memMb()),
                        amount(template.diskMb()),
                        amount(template.gpus()),
                        amount(cpus),
                        amount(mem),
                        amount(disk),
                        amount(gpus)));
    }

    private static String amount(double value) {
        return value == Math.rint(value)
                ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.2f", value);
    }
}
