package io.jenkins.plugins.mesosagents.settings;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mesosagents.engine.TemplateProblem;

import org.junit.jupiter.api.Test;

/** Numbers typed into a form: blank is the default, anything else not a number is a problem. */
class NumberTextTest {
    @Test
    void decimals() {
        assertThat(NumberText.decimal("cpus", " 0.5 ", 1).value()).isEqualTo(0.5);
        assertThat(NumberText.decimal("cpus", "", 1).value()).isEqualTo(1.0);
        assertThat(NumberText.decimal("cpus", null, 1).problems()).isEmpty();
        for (String bad : new String[] {"abc", "1,5", "NaN", "Infinity", "2 cpus"}) {
            assertThat(NumberText.decimal("cpus", bad, 1).problems())
                    .extracting(TemplateProblem::field, TemplateProblem::message)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(
                                    "cpus", "'" + bad + "' is not a number (e.g. 0.5 or 2)"));
        }
    }

    @Test
    void wholeNumbers() {
        assertThat(NumberText.integer("executors", "3", 1).value()).isEqualTo(3);
        assertThat(NumberText.integer("executors", " ", 1).value()).isEqualTo(1);
        assertThat(NumberText.integer("executors", "-2", 1).value()).isEqualTo(-2);
        for (String bad : new String[] {"1.5", "two", "99999999999"}) {
            assertThat(NumberText.integer("executors", bad, 1).problems())
                    .extracting(TemplateProblem::message)
                    .containsExactly("'" + bad + "' is not a whole number (e.g. 0, 1 or 10)");
        }
    }
}
