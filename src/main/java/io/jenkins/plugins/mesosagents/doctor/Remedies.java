package io.jenkins.plugins.mesosagents.doctor;

import io.jenkins.plugins.mesosagents.engine.WaitReason;

/**
 * What to do about each of the engine's "why waiting" reasons, in one sentence; the long form is
 * docs/troubleshooting.md, which has a section per reason.
 */
public final class Remedies {
    private Remedies() {}

    public static String of(WaitReason reason) {
        return switch (reason) {
            case NO_OFFERS ->
                    "check that agents are registered and have unreserved resources, and that"
                            + " other frameworks do not hold them all";
            case ROLE_NOT_OFFERED ->
                    "use a role the cluster offers to this principal, or reserve resources for the"
                            + " template's role";
            case AGENT_DRAINING ->
                    "wait for the maintenance window to end, or bring more agents up";
            case FAULT_DOMAIN ->
                    "choose 'any region' or the region the agents are in, or add agents in the"
                            + " required region";
            case GPU_HOST_RESERVED ->
                    "the cloud keeps GPU hosts for templates that ask for GPUs: add agents"
                            + " without GPUs, or give this template a GPU";
            case CONSTRAINT_UNMET ->
                    "compare the constraint with the agents' attributes (the Mesos UI shows them)"
                            + " and correct it";
            case INSUFFICIENT_CPUS, INSUFFICIENT_MEM, INSUFFICIENT_DISK, INSUFFICIENT_GPUS ->
                    "lower the template's request to what one host can give, or add bigger hosts";
            case INSUFFICIENT_PORTS ->
                    "ask for fewer host ports or free ports on the agents (--resources=ports)";
            case CAP_REACHED ->
                    "raise the cloud's maximum agents/CPUs/memory or the template's instance cap";
            case BACKING_OFF -> "read the last launch failure in the agent's log and fix its cause";
            case SUPPRESSED_WAITING_FOR_OFFERS ->
                    "wait a few seconds; if it persists, check the master's allocation";
        };
    }
}
