package io.jenkins.plugins.mesosagents.engine;

/** Why a template's requested agents are still waiting (or why one failed to launch). */
public enum WaitReason {
    NO_OFFERS("no offers received from Mesos"),
    ROLE_NOT_OFFERED("no offers for the template's role"),
    AGENT_DRAINING("offered agents are scheduled for maintenance"),
    FAULT_DOMAIN("no offers in the required fault domain"),
    GPU_HOST_RESERVED("only GPU hosts offered; they are kept for GPU templates"),
    CONSTRAINT_UNMET("placement constraint not met"),
    INSUFFICIENT_CPUS("offers have too few cpus"),
    INSUFFICIENT_MEM("offers have too little memory"),
    INSUFFICIENT_DISK("offers have too little disk"),
    INSUFFICIENT_GPUS("offers have too few gpus"),
    INSUFFICIENT_PORTS("offers have too few free ports"),
    CAP_REACHED("an agent, cpu or memory cap is reached"),
    BACKING_OFF("backing off after repeated launch failures"),
    SUPPRESSED_WAITING_FOR_OFFERS("waiting for Mesos to send offers after REVIVE"),
    MESOS_CALL_FAILED("a call to Mesos was refused or got no answer"),
    NOT_SUBSCRIBED("the framework is not subscribed to Mesos");

    private final String description;

    WaitReason(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
