package io.jenkins.plugins.mesosagents.image.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.jenkins.plugins.mesosagents.fuzz.FuzzBounds;

/**
 * Fuzzes the {@code WWW-Authenticate} parser {@link Challenge#parse}: its Javadoc promises no
 * exception at all, only a (possibly empty) list. Long run: docs/reliability.md.
 */
class ChallengeFuzzTest {
    private final FuzzBounds bounds = new FuzzBounds();

    @FuzzTest(maxDuration = "5m")
    void parse(FuzzedDataProvider data) {
        String header = data.consumeRemainingAsString();
        bounds.check(
                header.length(),
                () -> {
                    for (Challenge c : Challenge.parse(header)) {
                        assertThat(c.scheme()).isNotEmpty();
                    }
                });
    }
}
