/**
 * Marathon v2 client and the deploy engine behind the Marathon deploy step: render an app
 * definition ({@link io.jenkins.plugins.mesosagents.marathon.AppDefinitions}), PUT it, wait until
 * the rollout is healthy and roll it back on deadline or failure ({@link
 * io.jenkins.plugins.mesosagents.marathon.MarathonDeployer}). No Jenkins types: the step in {@code
 * steps/} adapts this API. See docs/marathon-deploy.md.
 */
package io.jenkins.plugins.mesosagents.marathon;
