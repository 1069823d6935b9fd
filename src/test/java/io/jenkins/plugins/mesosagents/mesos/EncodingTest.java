package io.jenkins.plugins.mesosagents.mesos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;

import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

class EncodingTest {

    @Test
    void jsonCallsUseSnakeCaseFieldNamesEnumNamesAndBase64Bytes() {
        Call call =
                Call.newBuilder()
                        .setType(Call.Type.ACKNOWLEDGE)
                        .setFrameworkId(FrameworkID.newBuilder().setValue("fw-1"))
                        .setAcknowledge(
                                Call.Acknowledge.newBuilder()
                                        .setAgentId(AgentID.newBuilder().setValue("a1"))
                                        .setTaskId(TaskID.newBuilder().setValue("t1"))
                                        .setUuid(ByteString.copyFrom(new byte[] {1, 2, 3})))
                        .build();
        String json = new String(Encoding.JSON.encode(call), UTF_8);
        assertThat(json)
                .isEqualTo(
                        "{\"framework_id\":{\"value\":\"fw-1\"},\"type\":\"ACKNOWLEDGE\","
                            + "\"acknowledge\":{\"agent_id\":{\"value\":\"a1\"},\"task_id\":{\"value\":\"t1\"},\"uuid\":\"AQID\"}}");
        assertThat(Encoding.JSON.mediaType()).isEqualTo("application/json");
        assertThat(Encoding.PROTOBUF.mediaType()).isEqualTo("application/x-protobuf");
    }

    @Test
    void subscribeJsonCarriesTheFrameworkInfoAsTheMasterDocumentsIt() {
        FrameworkInfo info =
                FrameworkIdentity.builder("jenkins", "jenkins")
                        .role("ci")
                        .principal("jenkins")
                        .failoverTimeout(Duration.ofDays(7))
                        .gpuResources(true)
                        .build()
                        .toFrameworkInfo(Optional.of("fw-1"));
        String json =
                new String(
                        Encoding.JSON.encode(
                                Call.newBuilder()
                                        .setType(Call.Type.SUBSCRIBE)
                                        .setFrameworkId(info.getId())
                                        .setSubscribe(
                                                Call.Subscribe.newBuilder().setFrameworkInfo(info))
                                        .build()),
                        UTF_8);
        assertThat(json)
                .contains(
                        "\"framework_info\":{\"user\":\"jenkins\",\"name\":\"jenkins\",\"id\":{\"value\":\"fw-1\"},"
                            + "\"failover_timeout\":604800.0,\"checkpoint\":true,\"principal\":\"jenkins\",\"capabilities\":[{\"type\":"
                            + "\"MULTI_ROLE\"},{\"type\":\"PARTITION_AWARE\"},{\"type\":\"REGION_AWARE\"},{\"type\":\"GPU_RESOURCES\"}],"
                            + "\"roles\":[\"ci\"]}");
    }

    @Test
    void jsonEventsIgnoreUnknownFieldsAndAcceptMasterStyleValues() throws Exception {
        // as the master writes them: uint64 as numbers, doubles, defaults emitted, fields this
        // client lacks
        String json =
                "{\"type\":\"OFFERS\",\"offers\":{\"offers\":[{\"id\":{\"value\":\"o1\"},\"framework_id\":"
                    + "{\"value\":\"fw\"},\"agent_id\":{\"value\":\"a\"},\"hostname\":\"h\",\"resources\":[{\"name\":"
                    + "\"ports\",\"type\":\"RANGES\",\"ranges\":{\"range\":[{\"begin\":31000,\"end\":32000}]}}],"
                    + "\"new_in_mesos_2\":[1,2]}]},\"unknown_top\":\"x\"}";
        Event event = Encoding.JSON.decodeEvent(json.getBytes(UTF_8));
        assertThat(event.getOffers().getOffers(0).getResources(0).getRanges().getRange(0).getEnd())
                .isEqualTo(32000);
        Event heartbeat = Encoding.JSON.decodeEvent("{\"type\":\"HEARTBEAT\"}".getBytes(UTF_8));
        assertThat(heartbeat.getType()).isEqualTo(Event.Type.HEARTBEAT);
    }

    @Test
    void malformedEventsAreRefused() {
        assertThatThrownBy(() -> Encoding.JSON.decodeEvent("{\"type\":".getBytes(UTF_8)))
                .isInstanceOf(InvalidProtocolBufferException.class);
        assertThatThrownBy(() -> Encoding.JSON.decodeEvent("{\"subscribed\":{}}".getBytes(UTF_8)))
                .isInstanceOf(InvalidProtocolBufferException.class)
                .hasMessageContaining("required");
        assertThatThrownBy(
                        () -> Encoding.PROTOBUF.decodeEvent(new byte[] {(byte) 0xff, (byte) 0xff}))
                .isInstanceOf(InvalidProtocolBufferException.class);
    }

    @Test
    void bothEncodingsRoundTripTheSameEvent() throws Exception {
        Event event = SchedulerConnectionTest.offers(3);
        assertThat(Encoding.PROTOBUF.decodeEvent(event.toByteArray())).isEqualTo(event);
        byte[] json =
                com.google.protobuf.util.JsonFormat.printer()
                        .preservingProtoFieldNames()
                        .print(event)
                        .getBytes(UTF_8);
        assertThat(Encoding.JSON.decodeEvent(json)).isEqualTo(event);
    }

    @Test
    void frameworkIdentityValidatesRoles() {
        assertThatThrownBy(() -> FrameworkIdentity.builder("j", "j").role("ci").role("ci").build())
                .hasMessageContaining("duplicate");
        assertThatThrownBy(() -> FrameworkIdentity.builder("j", "j").role("a//b").build())
                .hasMessageContaining("Invalid Mesos role 'a//b'");
        assertThatThrownBy(() -> FrameworkIdentity.builder("j", "").build())
                .hasMessageContaining("user");
        FrameworkInfo defaults =
                FrameworkIdentity.builder("j", "j").build().toFrameworkInfo(Optional.empty());
        assertThat(defaults.getRolesList()).containsExactly("*");
        assertThat(defaults.hasId()).isFalse();
        assertThat(defaults.getFailoverTimeout()).isEqualTo(7 * 24 * 3600.0);
    }
}
