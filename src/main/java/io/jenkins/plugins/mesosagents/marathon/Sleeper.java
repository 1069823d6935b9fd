package io.jenkins.plugins.mesosagents.marathon;

import java.time.Duration;

/** Waits between polls; a seam so that tests can advance a fake clock instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
    Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
