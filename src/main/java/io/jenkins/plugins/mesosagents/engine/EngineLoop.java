package io.jenkins.plugins.mesosagents.engine;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs submitted steps one at a time, in order, on the given executor — even a direct ({@code
 * Runnable::run}) one, where a step submitted from inside a step (a port calling back
 * synchronously) is queued, not nested. This is the engine's single-threaded event loop.
 */
final class EngineLoop {
    private static final Logger LOG = Logger.getLogger(EngineLoop.class.getName());

    private final Executor executor;
    private final Runnable afterEachStep;
    private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    EngineLoop(Executor executor, Runnable afterEachStep) {
        this.executor = executor;
        this.afterEachStep = afterEachStep;
    }

    void submit(Runnable step) {
        queue.add(step);
        if (draining.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        try {
            Runnable step;
            while ((step = queue.poll()) != null) {
                try {
                    step.run();
                    afterEachStep.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.SEVERE, "Mesos engine step failed; the engine continues", e);
                }
            }
        } finally {
            draining.set(false);
            if (!queue.isEmpty() && draining.compareAndSet(false, true)) {
                executor.execute(this::drain);
            }
        }
    }
}
