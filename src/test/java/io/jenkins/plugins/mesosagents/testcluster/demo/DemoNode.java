package io.jenkins.plugins.mesosagents.testcluster.demo;

import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.engine.SecretValue;

import okhttp3.WebSocket;

import java.time.Instant;

/**
 * A "Jenkins node" of the demo controller: a planned agent, its secret, its socket once connected,
 * when its task launched and ran, and the build it runs. Owned by the controller's queue thread
 * (secret and name are final, so the socket endpoint may read them anywhere).
 */
final class DemoNode {
    final String name;
    final AgentTemplate template;
    final SecretValue secret;
    WebSocket socket;
    Instant launch;
    Instant running;
    Instant online;
    String host = "";
    long pid;
    int buildsRun;
    BuildRun current;
    boolean draining;
    boolean done;
    Instant added;
    Instant idleSince;
    Instant released;
    long busyMillis;

    DemoNode(String name, AgentTemplate template, SecretValue secret) {
        this.name = name;
        this.template = template;
        this.secret = secret;
    }
}
