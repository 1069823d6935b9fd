package io.jenkins.plugins.mesosagents.mesos;

import static org.assertj.core.api.Assertions.assertThat;

import okhttp3.HttpUrl;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A library that fails to link (a jar missing from the .hpi, an API plugin at an incompatible
 * version) throws an {@code Error}, not an exception: the subscription thread must report it as a
 * packaging problem and keep trying with backoff instead of dying silently.
 */
class SubscriptionLibraryErrorTest {
    private FakeMaster master;
    private SchedulerConnection connection;

    @AfterEach
    void tearDown() throws Exception {
        if (connection != null) {
            connection.close();
        }
        if (master != null) {
            master.close();
        }
    }

    @Test
    void aNoClassDefFoundErrorIsReportedAndTheLoopKeepsSubscribing() throws Exception {
        master = new FakeMaster();
        master.onSubscribe(
                (request, stream) -> {
                    stream.open();
                    stream.send(master.subscribed("fw-1"));
                    stream.heartbeatsUntilGone();
                });
        AtomicInteger calls = new AtomicInteger();
        MasterDetector brokenTwice =
                () -> {
                    if (calls.incrementAndGet() <= 2) {
                        throw new NoClassDefFoundError("io/netty/handler/ssl/SslContext");
                    }
                    return List.<HttpUrl>of(master.url());
                };
        RecordingListener listener = new RecordingListener();
        connection =
                SchedulerConnection.start(
                        SchedulerConfig.builder(brokenTwice, SchedulerConnectionTest.JENKINS)
                                .backoff(SchedulerConnectionTest.FAST)
                                .requestTimeout(Duration.ofSeconds(2))
                                .build(),
                        listener);

        assertThat(listener.await("disconnected:"))
                .contains(
                        "missing class io.netty.handler.ssl.SslContext: the plugin's packaging is"
                                + " broken, report it");
        assertThat(listener.await("subscribed:")).contains("fw-1");
        assertThat(calls.get()).isGreaterThanOrEqualTo(3);
        assertThat(connection.state()).isEqualTo(ConnectionState.SUBSCRIBED);
    }
}
