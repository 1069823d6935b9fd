/**
 * The provisioning engine of a Mesos cloud, free of Jenkins types. {@link
 * io.jenkins.plugins.mesosagents.engine.ProvisioningEngine} takes demand ({@code provision}, {@code
 * release}), Mesos scheduler events ({@code onEvent}) and clock ticks ({@code tick}) on one serial
 * loop and answers with scheduler calls through {@link
 * io.jenkins.plugins.mesosagents.engine.MesosOutbox}, agent outcomes through planned-agent futures
 * and {@link io.jenkins.plugins.mesosagents.engine.JenkinsAgents}, and durable state through {@link
 * io.jenkins.plugins.mesosagents.engine.EngineStore}. Templates are immutable {@link
 * io.jenkins.plugins.mesosagents.engine.AgentTemplate} values.
 */
package io.jenkins.plugins.mesosagents.engine;
