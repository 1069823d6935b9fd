package io.jenkins.plugins.mesosagents.engine;

import java.util.ArrayDeque;

/**
 * Admission against the caps: a template's instance cap and the cloud's agent, cpu and memory caps,
 * counting agents waiting for offers, launching, running and being killed, so nothing is ever
 * over-provisioned.
 */
final class Caps {
    private Caps() {}

    static int admissible(EngineCore core, AgentTemplate t) {
        return admissible(core, t, pendingCpus(core), pendingMem(core));
    }

    /** As above, with the pending agents' cpu and memory sums computed once by the caller. */
    static int admissible(EngineCore core, AgentTemplate t, double pendingCpus, double pendingMem) {
        long room = Integer.MAX_VALUE;
        if (t.instanceCap() > 0) {
            room = Math.min(room, t.instanceCap() - inUse(core, t.name()));
        }
        EngineConfig c = core.config;
        if (c.maxAgents() > 0) {
            room = Math.min(room, c.maxAgents() - (core.pendingCount() + core.book.size()));
        }
        if (c.maxCpus() > 0) {
            room =
                    Math.min(
                            room,
                            (long)
                                    Math.floor(
                                            (c.maxCpus() - core.book.cpus() - pendingCpus + 1e-9)
                                                    / t.cpus()));
        }
        if (c.maxMemMb() > 0) {
            room =
                    Math.min(
                            room,
                            (long)
                                    Math.floor(
                                            (c.maxMemMb() - core.book.mem() - pendingMem + 1e-9)
                                                    / t.memMb()));
        }
        return (int) Math.max(0, room);
    }

    static String explain(EngineCore core, AgentTemplate t) {
        EngineConfig c = core.config;
        if (t.instanceCap() > 0 && inUse(core, t.name()) >= t.instanceCap()) {
            return "template instance cap "
                    + t.instanceCap()
                    + " reached ("
                    + inUse(core, t.name())
                    + " agents planned, launching or running)";
        }
        if (c.maxAgents() > 0 && core.pendingCount() + core.book.size() >= c.maxAgents()) {
            return "cloud cap of " + c.maxAgents() + " agents reached";
        }
        if (c.maxCpus() > 0 && cpus(core) + t.cpus() > c.maxCpus() + 1e-9) {
            return "cloud cpu cap "
                    + OfferView.formatScalar(c.maxCpus())
                    + " reached ("
                    + OfferView.formatScalar(cpus(core))
                    + " in use, an agent needs "
                    + OfferView.formatScalar(t.cpus())
                    + ")";
        }
        if (c.maxMemMb() > 0 && mem(core) + t.memMb() > c.maxMemMb() + 1e-9) {
            return "cloud memory cap "
                    + OfferView.formatScalar(c.maxMemMb())
                    + " MB reached ("
                    + OfferView.formatScalar(mem(core))
                    + " MB in use, an agent needs "
                    + OfferView.formatScalar(t.memMb())
                    + " MB)";
        }
        return "a cap admits fewer agents than requested";
    }

    private static int inUse(EngineCore core, String template) {
        ArrayDeque<PendingAgent> q = core.pending.get(template);
        return core.book.count(template) + (q == null ? 0 : q.size());
    }

    private static double cpus(EngineCore core) {
        return core.book.cpus() + pendingCpus(core);
    }

    private static double mem(EngineCore core) {
        return core.book.mem() + pendingMem(core);
    }

    static double pendingCpus(EngineCore core) {
        double sum = 0;
        for (PendingAgent p : core.pendingByName.values()) {
            sum += p.template.cpus();
        }
        return sum;
    }

    static double pendingMem(EngineCore core) {
        double sum = 0;
        for (PendingAgent p : core.pendingByName.values()) {
            sum += p.template.memMb();
        }
        return sum;
    }
}
