package io.jenkins.plugins.mesosagents.mesos;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Where the framework id outlives the process. The connection loads it before the first SUBSCRIBE
 * (so a restarted Jenkins re-subscribes as the same framework and its running builds survive),
 * stores it on every SUBSCRIBED, and never clears it itself: after "Framework has been removed" the
 * caller decides whether to {@link #clear()}.
 */
public interface FrameworkIdStore {

    Optional<String> load();

    void store(String frameworkId);

    void clear();

    /**
     * A store that forgets on restart; for tests and for frameworks that do not need to survive a
     * restart.
     */
    static FrameworkIdStore inMemory() {
        AtomicReference<String> id = new AtomicReference<>();
        return new FrameworkIdStore() {
            @Override
            public Optional<String> load() {
                return Optional.ofNullable(id.get());
            }

            @Override
            public void store(String frameworkId) {
                id.set(frameworkId);
            }

            @Override
            public void clear() {
                id.set(null);
            }

            @Override
            public String toString() {
                return "FrameworkIdStore.inMemory[" + id.get() + "]";
            }
        };
    }
}
