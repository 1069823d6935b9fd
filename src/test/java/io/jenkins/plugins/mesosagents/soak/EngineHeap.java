package io.jenkins.plugins.mesosagents.soak;

import java.lang.management.ManagementFactory;

import javax.management.ObjectName;

/**
 * The shallow bytes and instances of the plugin's production classes on the heap after a full GC,
 * from the JVM's class histogram (the {@code GC.class_histogram} diagnostic command, which collects
 * first). The soak's JVM also holds the simulator, which keeps every task it ever launched; this
 * count leaves it out, so a leak in the engine, session or client shows as growth here even while
 * the simulator grows. Shallow only: the collections and strings those objects hold are not in it.
 */
final class EngineHeap {
    /** Instances and shallow bytes of our production classes, and the whole heap histogram total. */
    record Figures(long instances, long bytes, long trackedTasks, long pendingAgents) {}

    private static final String OURS = "io.jenkins.plugins.mesosagents.";

    private EngineHeap() {}

    static Figures measure() {
        String histogram;
        try {
            histogram =
                    (String)
                            ManagementFactory.getPlatformMBeanServer()
                                    .invoke(
                                            new ObjectName(
                                                    "com.sun.management:type=DiagnosticCommand"),
                                            "gcClassHistogram",
                                            new Object[] {new String[0]},
                                            new String[] {String[].class.getName()});
        } catch (Exception e) {
            return new Figures(-1, -1, -1, -1);
        }
        long instances = 0;
        long bytes = 0;
        long tracked = 0;
        long pending = 0;
        for (String line : histogram.split("\n")) {
            // " num:  #instances  #bytes  class name (module)"
            String[] f = line.trim().split("\\s+");
            if (f.length < 4 || !f[0].endsWith(":")) {
                continue;
            }
            String name = f[3];
            if (!name.startsWith(OURS)
                    || name.startsWith(OURS + "soak.")
                    || name.startsWith(OURS + "testcluster.")
                    || name.startsWith(OURS + "bench.")
                    || name.contains("SessionCluster")) {
                continue;
            }
            long n = Long.parseLong(f[1]);
            instances += n;
            bytes += Long.parseLong(f[2]);
            if (name.equals(OURS + "engine.TrackedTask")) {
                tracked = n;
            } else if (name.equals(OURS + "engine.PendingAgent")) {
                pending = n;
            }
        }
        return new Figures(instances, bytes, tracked, pending);
    }
}
