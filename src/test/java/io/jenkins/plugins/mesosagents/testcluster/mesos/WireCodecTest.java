package io.jenkins.plugins.mesosagents.testcluster.mesos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

class WireCodecTest {

    @Test
    void jsonOutputEmitsDeclaredDefaultsAndUnquoted64BitIntegers() {
        assertThat(WireCodec.toJson(Filters.getDefaultInstance()))
                .isEqualTo("{\"refuse_seconds\":5.0}");
        assertThat(WireCodec.toJson(CommandInfo.newBuilder().setValue("x").build()))
                .contains("\"shell\":true");
        String ranges =
                WireCodec.toJson(
                        Value.Ranges.newBuilder()
                                .addRange(Value.Range.newBuilder().setBegin(31000).setEnd(32000))
                                .build());
        assertThat(ranges).isEqualTo("{\"range\":[{\"begin\":31000,\"end\":32000}]}");
    }

    @Test
    void jsonInputKnowsOnlySnakeCaseAndIgnoresUnknownKeys() throws Exception {
        Call c =
                WireCodec.parseCall(
                        ("{\"type\":\"DECLINE\",\"framework_id\":{\"value\":\"f\"},\"bogus\":1,"
                             + "\"decline\":{\"offer_ids\":[{\"value\":\"o\"}],\"filters\":{\"refuse_seconds\":\"7\"}}}")
                                .getBytes(StandardCharsets.UTF_8),
                        true);
        assertThat(c.getDecline().getFilters().getRefuseSeconds()).isEqualTo(7.0);
        Call camel =
                WireCodec.parseCall(
                        ("{\"type\":\"DECLINE\",\"frameworkId\":{\"value\":\"f\"}}")
                                .getBytes(StandardCharsets.UTF_8),
                        true);
        assertThat(camel.hasFrameworkId()).as("camelCase is not a stout field name").isFalse();
    }

    @Test
    void recordIoFramingIsDecimalLengthNewlineBytes() {
        assertThat(
                        new String(
                                WireCodec.frame("{\"a\":1}".getBytes(StandardCharsets.UTF_8)),
                                StandardCharsets.UTF_8))
                .isEqualTo("7\n{\"a\":1}");
    }

    @Test
    void malformedBodiesGiveTheMastersMessages() {
        assertThatThrownBy(() -> WireCodec.parseCall(new byte[] {(byte) 0xff, 1}, false))
                .hasMessage("Failed to parse body into Call protobuf");
        assertThatThrownBy(() -> WireCodec.parseCall("[1]".getBytes(StandardCharsets.UTF_8), true))
                .hasMessageStartingWith("Failed to convert JSON into Call protobuf");
    }
}
