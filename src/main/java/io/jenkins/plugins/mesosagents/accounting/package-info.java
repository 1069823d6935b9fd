/**
 * Per-build resource accounting, free of Jenkins types: what one build (or Pipeline {@code node}
 * block) used of one Mesos agent ({@link io.jenkins.plugins.mesosagents.accounting.AgentUsage}: the
 * task's TaskInfo resources over the time the build held the agent, within the time Mesos says the
 * task ran) and a bounded, recent-window ranking of jobs and folders by cpu·seconds ({@link
 * io.jenkins.plugins.mesosagents.accounting.UsageWindow}). The cloud glue records and shows them.
 */
package io.jenkins.plugins.mesosagents.accounting;
