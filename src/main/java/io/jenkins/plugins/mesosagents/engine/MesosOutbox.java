package io.jenkins.plugins.mesosagents.engine;

import org.apache.mesos.v1.scheduler.Protos.Call;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where the engine's scheduler calls go: the Mesos client sends each call (with the current stream
 * id) on its own connection. Called on the engine's loop; implementations must not block for long
 * (queue and return). Every call carries the framework id the engine learned from SUBSCRIBED.
 * {@link #submit} reports the master's answer, which the engine waits for before it believes a call
 * took effect; an outbox that only implements {@link #send} is taken to be always accepted.
 */
@FunctionalInterface
public interface MesosOutbox {
    void send(Call call);

    /**
     * Sends the call; the stage completes when the master accepted it and fails (ideally with a
     * {@link CallFailure}) when it refused it or gave no answer.
     */
    default CompletionStage<Void> submit(Call call) {
        send(call);
        return CompletableFuture.completedFuture(null);
    }
}
