package io.jenkins.plugins.mesosagents.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.doNothing;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockStatic;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import hudson.ExtensionList;

import io.jenkins.plugins.mesosagents.engine.EngineSnapshot;
import io.jenkins.plugins.mesosagents.engine.TemplateFigures;
import io.jenkins.plugins.mesosagents.engine.TemplateStatus;
import io.jenkins.plugins.mesosagents.session.SchedulerSession;

import jenkins.model.Jenkins;

import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.StaplerResponse2;
import org.mockito.MockedStatic;
import org.springframework.security.access.AccessDeniedException;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cloud's figures as JSON at cloud/NAME/stats: what the engine counted, read with the
 * permission core's cloud page asks for (Cloud/index.jelly:28, SYSTEM_READ), with Mockito doubles
 * of Jenkins.
 */
class CloudStatsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static TemplateStatus linux(Instant backoff, int failures) {
        return new TemplateStatus(
                "linux",
                1,
                0,
                2,
                null,
                List.of(),
                failures,
                failures == 0 ? "" : "TASK_FAILED (REASON_CONTAINER_LAUNCH_FAILED): pull refused",
                backoff,
                3,
                new TemplateFigures(
                        7,
                        Map.of("LAUNCH_TIMEOUT", 1L, "TASK_FAILED (REASON_X)", 2L),
                        12_000,
                        40_000,
                        7));
    }

    @Test
    void jsonCarriesEveryFigureOfEachTemplate() throws Exception {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        JsonNode t =
                JSON.readTree(
                                CloudFigures.json(
                                        "mesos", List.of(linux(now.plusSeconds(60), 3)), now))
                        .get("templates")
                        .get("linux");
        assertThat(t.get("launched").asLong()).isEqualTo(7);
        assertThat(t.get("failed").asLong()).isEqualTo(3);
        assertThat(t.get("failedByReason").get("LAUNCH_TIMEOUT").asLong()).isEqualTo(1);
        assertThat(t.get("failedByReason").get("TASK_FAILED (REASON_X)").asLong()).isEqualTo(2);
        assertThat(t.get("queuedToOnlineP50Millis").asLong()).isEqualTo(12_000);
        assertThat(t.get("queuedToOnlineP95Millis").asLong()).isEqualTo(40_000);
        assertThat(t.get("backingOffUntil").asText()).isEqualTo("2026-01-01T00:01:00Z");
        assertThat(t.get("cannotLaunch").asText()).contains("3 times in a row", "pull refused");

        JsonNode calm =
                JSON.readTree(CloudFigures.json("mesos", List.of(linux(null, 0)), now))
                        .get("templates")
                        .get("linux");
        assertThat(calm.get("backingOffUntil").isNull()).isTrue();
        assertThat(calm.get("cannotLaunch").isNull()).isTrue();
    }

    @Test
    void doStatsChecksThePagePermissionThenWritesTheSnapshot() throws Exception {
        MesosClouds clouds = mock(MesosClouds.class);
        SchedulerSession session = mock(SchedulerSession.class);
        when(clouds.existing("mesos")).thenReturn(Optional.of(session));
        when(session.snapshot())
                .thenReturn(
                        new EngineSnapshot(
                                "fw",
                                true,
                                false,
                                1,
                                2,
                                0,
                                false,
                                Map.of("linux", linux(null, 0))));
        MesosCloud cloud = mock(MesosCloud.class, CALLS_REAL_METHODS);
        cloud.name = "mesos";
        doNothing().when(cloud).checkPermission(any());
        StaplerResponse2 rsp = mock(StaplerResponse2.class);
        StringWriter body = new StringWriter();
        when(rsp.getWriter()).thenReturn(new PrintWriter(body, true));
        try (MockedStatic<ExtensionList> ext = mockStatic(ExtensionList.class)) {
            ext.when(() -> ExtensionList.lookupSingleton(MesosClouds.class)).thenReturn(clouds);
            cloud.doStats(rsp);
            verify(cloud).checkPermission(Jenkins.SYSTEM_READ);
            verify(rsp).setContentType("application/json;charset=UTF-8");
            assertThat(
                            JSON.readTree(body.toString())
                                    .get("templates")
                                    .get("linux")
                                    .get("launched")
                                    .asLong())
                    .isEqualTo(7);

            StaplerResponse2 denied = mock(StaplerResponse2.class);
            doThrow(new AccessDeniedException("no")).when(cloud).checkPermission(any());
            assertThatThrownBy(() -> cloud.doStats(denied))
                    .isInstanceOf(AccessDeniedException.class);
            verify(denied, never()).getWriter();
        }
    }
}
