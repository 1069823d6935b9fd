package io.jenkins.plugins.mesosagents.bench;

import com.google.protobuf.util.JsonFormat;

import io.jenkins.plugins.mesosagents.mesos.Encoding;
import io.jenkins.plugins.mesosagents.mesos.RecordIoDecoder;

import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.Attribute;
import org.apache.mesos.v1.Protos.DomainInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Decoding one OFFERS event of 10,000 realistic offers (cpus, mem, disk, gpus, port ranges,
 * allocation role, attributes, fault domain) the way the subscription thread does: the RecordIO
 * bytes are fed in 64 KiB reads to {@link RecordIoDecoder}, and the record is parsed by {@link
 * Encoding}. Protobuf is the baseline, JSON the comparison. Run: {@code mvn -B -Pbench test-compile
 * exec:exec -Dbench=OffersDecodeBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 3, time = 10)
public class OffersDecodeBenchmark {
    static final int OFFERS = 10_000;
    private static final int READ_SIZE = 64 * 1024;

    @Param({"PROTOBUF", "JSON"})
    public Encoding encoding;

    private byte[] stream;

    @Setup
    public void encode() throws Exception {
        Event event = offersEvent(OFFERS);
        byte[] record =
                encoding == Encoding.PROTOBUF
                        ? event.toByteArray()
                        : JsonFormat.printer()
                                .preservingProtoFieldNames()
                                .omittingInsignificantWhitespace()
                                .print(event)
                                .getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((record.length + "\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(record);
        stream = out.toByteArray();
        System.out.printf("%n%s OFFERS record: %,d bytes%n", encoding, record.length);
    }

    @Benchmark
    public Event decode() throws Exception {
        RecordIoDecoder decoder = new RecordIoDecoder();
        List<byte[]> records = new ArrayList<>(1);
        for (int pos = 0; pos < stream.length; pos += READ_SIZE) {
            decoder.feed(stream, pos, Math.min(READ_SIZE, stream.length - pos), records::add);
        }
        Event event = encoding.decodeEvent(records.get(0));
        if (event.getOffers().getOffersCount() != OFFERS) {
            throw new IllegalStateException(
                    "decoded " + event.getOffers().getOffersCount() + " offers");
        }
        return event;
    }

    static Event offersEvent(int count) {
        Event.Offers.Builder offers = Event.Offers.newBuilder();
        FrameworkID framework =
                FrameworkID.newBuilder()
                        .setValue("3b5e1c0e-7f2a-4a8e-9d6c-0f6b1d2e3a4b-0000")
                        .build();
        for (int i = 0; i < count; i++) {
            String role = i % 3 == 0 ? "ci" : "*";
            Offer.Builder offer =
                    Offer.newBuilder()
                            .setId(
                                    OfferID.newBuilder()
                                            .setValue(
                                                    "3b5e1c0e-7f2a-4a8e-9d6c-0f6b1d2e3a4b-O"
                                                            + (1_000_000 + i)))
                            .setFrameworkId(framework)
                            .setAgentId(
                                    AgentID.newBuilder()
                                            .setValue("9c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f-S" + i))
                            .setHostname("agent-" + i + ".dc1.example.com")
                            .setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole(role))
                            .setDomain(
                                    DomainInfo.newBuilder()
                                            .setFaultDomain(
                                                    DomainInfo.FaultDomain.newBuilder()
                                                            .setRegion(
                                                                    DomainInfo.FaultDomain
                                                                            .RegionInfo.newBuilder()
                                                                            .setName(
                                                                                    "eu-west-"
                                                                                            + (i
                                                                                                    % 3)))
                                                            .setZone(
                                                                    DomainInfo.FaultDomain.ZoneInfo
                                                                            .newBuilder()
                                                                            .setName(
                                                                                    "zone-"
                                                                                            + (i
                                                                                                    % 6)))))
                            .addResources(scalar("cpus", 8 + i % 24, role))
                            .addResources(scalar("mem", 16_384 + (i % 16) * 1024, role))
                            .addResources(scalar("disk", 200_000 + i % 1000, role))
                            .addResources(
                                    Resource.newBuilder()
                                            .setName("ports")
                                            .setType(Value.Type.RANGES)
                                            .setAllocationInfo(
                                                    Resource.AllocationInfo.newBuilder()
                                                            .setRole(role))
                                            .setRanges(
                                                    Value.Ranges.newBuilder()
                                                            .addRange(
                                                                    Value.Range.newBuilder()
                                                                            .setBegin(31000)
                                                                            .setEnd(
                                                                                    31999
                                                                                            - i
                                                                                                    % 100))
                                                            .addRange(
                                                                    Value.Range.newBuilder()
                                                                            .setBegin(32100)
                                                                            .setEnd(32999))))
                            .addAttributes(text("rack", "rack-" + (i % 40)))
                            .addAttributes(text("os", "debian-12"))
                            .addAttributes(
                                    Attribute.newBuilder()
                                            .setName("jdk")
                                            .setType(Value.Type.SET)
                                            .setSet(
                                                    Value.Set.newBuilder()
                                                            .addItem("17")
                                                            .addItem("21")))
                            .addAttributes(
                                    Attribute.newBuilder()
                                            .setName("generation")
                                            .setType(Value.Type.SCALAR)
                                            .setScalar(Value.Scalar.newBuilder().setValue(3)));
            if (i % 10 == 0) {
                offer.addResources(scalar("gpus", 2, role));
            }
            offers.addOffers(offer);
        }
        return Event.newBuilder().setType(Event.Type.OFFERS).setOffers(offers).build();
    }

    private static Resource scalar(String name, double value, String role) {
        return Resource.newBuilder()
                .setName(name)
                .setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(value))
                .setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole(role))
                .build();
    }

    private static Attribute text(String name, String value) {
        return Attribute.newBuilder()
                .setName(name)
                .setType(Value.Type.TEXT)
                .setText(Value.Text.newBuilder().setValue(value))
                .build();
    }
}
