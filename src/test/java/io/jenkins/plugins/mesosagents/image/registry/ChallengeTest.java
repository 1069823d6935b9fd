package io.jenkins.plugins.mesosagents.image.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.List;

class ChallengeTest {
    @Test
    void parsesBearerWithQuotedCommasAndEscapes() {
        List<Challenge> challenges =
                Challenge.parse(
                        "Bearer realm=\"https://auth.example.com/token\","
                            + "service=\"registry.example.com\",scope=\"repository:a/b:pull,push\",error=\"insufficient_scope\"");
        assertThat(challenges).hasSize(1);
        Challenge bearer = challenges.get(0);
        assertThat(bearer.isBearer()).isTrue();
        assertThat(bearer.parameter("realm")).isEqualTo("https://auth.example.com/token");
        assertThat(bearer.parameter("service")).isEqualTo("registry.example.com");
        assertThat(bearer.parameter("scope")).isEqualTo("repository:a/b:pull,push");
        assertThat(bearer.parameter("error")).isEqualTo("insufficient_scope");
    }

    @Test
    void parsesSeveralChallengesAndTokenValues() {
        List<Challenge> challenges =
                Challenge.parse(
                        "Basic realm=\"x \\\"quoted\\\"\", Bearer realm=https://t/x, service=s");
        assertThat(challenges).extracting(Challenge::scheme).containsExactly("Basic", "Bearer");
        assertThat(challenges.get(0).parameter("REALM")).isEqualTo("x \"quoted\"");
        assertThat(challenges.get(1).parameter("realm")).isEqualTo("https://t/x");
        assertThat(challenges.get(1).parameter("service")).isEqualTo("s");
    }

    @Test
    void toleratesGarbage() {
        assertThat(Challenge.parse(null)).isEmpty();
        assertThat(Challenge.parse("")).isEmpty();
        assertThat(Challenge.parse("Negotiate"))
                .singleElement()
                .extracting(Challenge::scheme)
                .isEqualTo("Negotiate");
    }
}
