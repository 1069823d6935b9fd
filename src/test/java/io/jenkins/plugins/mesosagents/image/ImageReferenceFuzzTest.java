package io.jenkins.plugins.mesosagents.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.jenkins.plugins.mesosagents.fuzz.FuzzBounds;

/**
 * Fuzzes {@link ImageReference#parse}: only {@link InvalidImageReferenceException} escapes (its
 * Javadoc), and a reference that parses prints back to text that parses to the same reference.
 * Long run: docs/reliability.md.
 */
class ImageReferenceFuzzTest {
    private final FuzzBounds bounds = new FuzzBounds();

    @FuzzTest(maxDuration = "5m")
    void parse(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        bounds.check(
                text.length(),
                () -> {
                    ImageReference ref = ImageReference.parse(text);
                    assertThat(ImageReference.parse(ref.toString())).isEqualTo(ref);
                },
                InvalidImageReferenceException.class);
    }
}
