package io.jenkins.plugins.mesosagents.engine;

/** The scalar resource kinds the matcher packs, with a template's need of each. */
final class Resources {
    private Resources() {}

    /** A scalar resource by its Mesos name. */
    enum Kind {
        CPUS("cpus"),
        MEM("mem"),
        DISK("disk"),
        GPUS("gpus");

        final String mesosName;

        Kind(String mesosName) {
            this.mesosName = mesosName;
        }
    }

    /** Kind.values() without the defensive copy, for hot loops; never modify. */
    static final Kind[] KINDS = Kind.values();

    static double need(AgentTemplate t, Kind kind) {
        return switch (kind) {
            case CPUS -> t.cpus();
            case MEM -> t.memMb();
            case DISK -> t.diskMb();
            case GPUS -> t.gpus();
        };
    }

    /** Mesos keeps three decimal digits of scalars; compare with that tolerance. */
    static boolean fits(double need, double available) {
        return need <= available + 0.0005;
    }
}
