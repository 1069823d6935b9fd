package io.jenkins.plugins.mesosagents.cloud;

import hudson.model.Computer;

/**
 * Runs slow Jenkins work (terminating a node) off the calling thread: retention checks hold the
 * queue lock and engine callbacks run on the engine's loop, neither of which may block. One seam,
 * so tests can run it inline.
 */
final class Background {
    private Background() {}

    static void run(Runnable work) {
        Computer.threadPoolForRemoting.submit(work);
    }
}
