/**
 * Mesos Agents for Jenkins. Jenkins-free logic lives in {@code mesos}, {@code engine}, {@code
 * image} and {@code marathon}; {@code cloud} and {@code steps} are the thin Jenkins glue and the
 * only packages that import Jenkins types. See docs/architecture.md.
 */
package io.jenkins.plugins.mesosagents;
