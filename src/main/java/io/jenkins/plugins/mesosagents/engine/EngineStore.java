package io.jenkins.plugins.mesosagents.engine;

import java.util.Optional;

/**
 * Persistence for what must survive a Jenkins restart: the framework id and the tasks the engine
 * launched. The engine saves a complete snapshot after each change (on its loop); implementations
 * should write atomically and may coalesce writes.
 */
public interface EngineStore {
    Optional<PersistedState> load();

    void save(PersistedState state);
}
