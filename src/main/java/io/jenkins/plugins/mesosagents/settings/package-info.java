/**
 * The cloud's configuration as plain values (Jenkins-free): the cloud, template and container
 * fields named as on the form and in JCasC, and the one conversion of them into the engine's
 * templates, engine config, framework identity and master detector. The Jenkins form ({@code
 * cloud/}) and the test-cluster tools (JCasC reader, doctor, demo) both go through it.
 */
package io.jenkins.plugins.mesosagents.settings;
