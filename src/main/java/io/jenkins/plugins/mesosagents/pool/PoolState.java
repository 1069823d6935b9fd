package io.jenkins.plugins.mesosagents.pool;

/**
 * A template's pool as the cloud page shows it: the target and its reason, how many agents are
 * idle and launching, how many are being launched to reach the target, and the idle agent-minutes
 * spent so far (to a tenth of a minute).
 */
public record PoolState(
        String template,
        PoolTarget target,
        int idle,
        int launching,
        int toLaunch,
        double idleAgentMinutes) {
    public PoolState {
        idleAgentMinutes = Math.round(idleAgentMinutes * 10) / 10.0;
    }
}
