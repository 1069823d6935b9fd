package io.jenkins.plugins.mesosagents.session;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jenkins.plugins.mesosagents.engine.EngineStore;
import io.jenkins.plugins.mesosagents.engine.PersistedState;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the engine's restart state (framework id, known tasks) in one JSON file, written to a
 * temporary file and moved into place so that a crash mid-write never leaves a torn file. An
 * unreadable file is kept aside (renamed {@code .corrupt}) rather than silently overwritten, and
 * the engine starts as a new framework.
 */
public final class JsonFileEngineStore implements EngineStore {
    private static final Logger LOGGER = Logger.getLogger(JsonFileEngineStore.class.getName());
    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Path file;

    public JsonFileEngineStore(Path file) {
        this.file = file;
    }

    @Override
    public Optional<PersistedState> load() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), PersistedState.class));
        } catch (IOException e) {
            Path aside = file.resolveSibling(file.getFileName() + ".corrupt");
            LOGGER.log(
                    Level.SEVERE,
                    "Cannot read Mesos scheduler state "
                            + file
                            + "; moved it to "
                            + aside
                            + " and starting as a new framework (tasks of the old one are killed by"
                            + " Mesos after its failover timeout)",
                    e);
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException moveFailed) {
                e.addSuppressed(moveFailed);
            }
            return Optional.empty();
        }
    }

    @Override
    public void save(PersistedState state) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp =
                    Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            try {
                JSON.writeValue(tmp.toFile(), state);
                try {
                    Files.move(
                            tmp,
                            file,
                            StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save Mesos scheduler state to " + file, e);
        }
    }
}
