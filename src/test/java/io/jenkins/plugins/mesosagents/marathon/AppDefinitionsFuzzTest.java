package io.jenkins.plugins.mesosagents.marathon;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.jenkins.plugins.mesosagents.fuzz.FuzzBounds;

import java.util.Map;

/**
 * Fuzzes {@link AppDefinitions#render} from JSON text (parsing by {@link JsonSource}, overrides,
 * {@code ${VAR}} expansion, validation): only {@link InvalidAppDefinitionException} escapes, so
 * every bad definition reaches the user as one message naming file, line and column. Long run:
 * docs/reliability.md.
 */
class AppDefinitionsFuzzTest {
    private final FuzzBounds bounds = new FuzzBounds();

    @FuzzTest(maxDuration = "5m")
    void render(FuzzedDataProvider data) {
        Map<String, String> env =
                Map.of("A", data.consumeString(16), "IMAGE", data.consumeString(32));
        Overrides overrides =
                data.consumeBoolean()
                        ? Overrides.NONE
                        : Overrides.builder()
                                .id(data.consumeString(32))
                                .image(data.consumeString(32))
                                .instances(data.consumeInt())
                                .cpus(data.consumeRegularDouble())
                                .mem(data.consumeRegularDouble())
                                .build();
        String json = data.consumeRemainingAsString();
        bounds.check(
                json.length() + 96,
                () -> AppDefinitions.render(json, "marathon.json", env, overrides),
                InvalidAppDefinitionException.class);
    }
}
