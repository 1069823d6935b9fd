package io.jenkins.plugins.mesosagents.engine;

import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskInfo;

/**
 * The scalar resources a task was launched with, as its TaskInfo gives them: cpus, mem and disk
 * (MB, as Mesos counts them) and gpus, each summed over the pieces the task took from its offer
 * (reserved and unreserved pieces of one kind are separate {@code Resource}s).
 */
public record TaskResources(double cpus, double memMb, double diskMb, double gpus) {

    /** Nothing known (a task recovered after a restart before it was seen running). */
    public static final TaskResources UNKNOWN = new TaskResources(0, 0, 0, 0);

    public static TaskResources of(TaskInfo task) {
        double cpus = 0;
        double mem = 0;
        double disk = 0;
        double gpus = 0;
        for (Resource r : task.getResourcesList()) {
            if (!r.hasScalar()) {
                continue;
            }
            double v = r.getScalar().getValue();
            switch (r.getName()) {
                case "cpus" -> cpus += v;
                case "mem" -> mem += v;
                case "disk" -> disk += v;
                case "gpus" -> gpus += v;
                default -> {}
            }
        }
        return new TaskResources(round3(cpus), round3(mem), round3(disk), round3(gpus));
    }

    // Mesos keeps three decimal digits of scalars; summing pieces must not add float noise
    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
