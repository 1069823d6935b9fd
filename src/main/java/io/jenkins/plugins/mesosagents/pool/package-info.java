/**
 * Warm pools: how many idle agents a template keeps ready before any build asks for one, and why
 * (a minimum, a scheduled window, or an estimate from the template's recent demand). Jenkins-free
 * and deterministic given its clock: the cloud's Jenkins glue and the test-cluster's stand-in
 * controller both ask {@link io.jenkins.plugins.mesosagents.pool.WarmPools} what to launch and
 * which idle agent to keep, and do the launching through the engine as for any demand.
 */
package io.jenkins.plugins.mesosagents.pool;
