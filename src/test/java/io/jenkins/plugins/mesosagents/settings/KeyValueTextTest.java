package io.jenkins.plugins.mesosagents.settings;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mesosagents.engine.TemplateProblem;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

/** The snippet generator's key=value text areas (buildArgs, labels), both ways. */
class KeyValueTextTest {
    @Test
    void readsOnePairPerLineKeepingOrderAndEqualsInValues() {
        TemplateText.Parsed<Map<String, String>> parsed =
                KeyValueText.parse(
                        "labels",
                        "org.opencontainers.image.revision=abc\n# comment\n\nJAVA_OPTS=-Da=b\n");
        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.value())
                .containsExactly(
                        Map.entry("org.opencontainers.image.revision", "abc"),
                        Map.entry("JAVA_OPTS", "-Da=b"));
    }

    @Test
    void aLineWithoutKeyIsAProblemNamingIt() {
        assertThat(KeyValueText.parse("buildArgs", "VERSION\n=1").problems())
                .extracting(TemplateProblem::field, TemplateProblem::message)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "buildArgs",
                                "'VERSION' is not key=value (e.g. VERSION=1.4), one per line"),
                        org.assertj.core.groups.Tuple.tuple(
                                "buildArgs",
                                "'=1' is not key=value (e.g. VERSION=1.4), one per line"));
    }

    @Test
    void formatIsReadBackUnchanged() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("B", "2");
        map.put("A", "x=y");
        assertThat(KeyValueText.parse("f", KeyValueText.format(map)).value()).isEqualTo(map);
        assertThat(KeyValueText.format(null)).isEmpty();
    }
}
