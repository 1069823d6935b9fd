package io.jenkins.plugins.mesosagents.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jenkins.plugins.mesosagents.engine.TemplateStatus;
import io.jenkins.plugins.mesosagents.pool.PoolState;
import io.jenkins.plugins.mesosagents.pool.PoolTarget;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The warm pool's part of {@code cloud/NAME/stats}: target, rule, reason and its cost. */
class CloudFiguresWarmPoolTest {
    @Test
    void eachTemplateShowsItsPoolOrNull() throws Exception {
        TemplateStatus linux = new TemplateStatus("linux", 0, 0, 1, null, List.of(), 0, "", null, 3);
        TemplateStatus big = new TemplateStatus("big", 0, 0, 0, null, List.of(), 0, "", null, 3);
        PoolState pool =
                new PoolState(
                        "linux",
                        new PoolTarget(3, PoolTarget.Source.WINDOW, "window Mon-Fri 08:00-18:00 3"),
                        1,
                        2,
                        0,
                        12.345);
        JsonNode json =
                new ObjectMapper()
                        .readTree(
                                CloudFigures.json(
                                        "mesos",
                                        List.of(linux, big),
                                        Map.of("linux", pool),
                                        Instant.EPOCH));
        JsonNode p = json.path("templates").path("linux").path("warmPool");
        assertThat(p.path("target").asInt()).isEqualTo(3);
        assertThat(p.path("rule").asText()).isEqualTo("WINDOW");
        assertThat(p.path("why").asText()).isEqualTo("window Mon-Fri 08:00-18:00 3");
        assertThat(p.path("idle").asInt()).isEqualTo(1);
        assertThat(p.path("launching").asInt()).isEqualTo(2);
        assertThat(p.path("idleAgentMinutes").asDouble()).isEqualTo(12.3);
        assertThat(json.path("templates").path("big").path("warmPool").isNull()).isTrue();
    }
}
