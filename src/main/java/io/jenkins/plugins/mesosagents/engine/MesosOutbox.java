package io.jenkins.plugins.mesosagents.engine;

import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * Where the engine's scheduler calls go: the Mesos client sends each call (with the current stream
 * id) on its own connection. Called on the engine's loop; implementations must not block for long
 * (queue and return). Every call carries the framework id the engine learned from SUBSCRIBED.
 */
@FunctionalInterface
public interface MesosOutbox {
    void send(Call call);
}
