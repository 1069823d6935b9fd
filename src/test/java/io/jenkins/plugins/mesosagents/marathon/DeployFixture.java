package io.jenkins.plugins.mesosagents.marathon;

import io.jenkins.plugins.mesosagents.testcluster.marathon.MarathonSimulator;

import okhttp3.OkHttpClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Shared pieces of the deploy tests: a simulator, a client, a recording listener and a fake clock.
 */
final class DeployFixture implements AutoCloseable {
    final MarathonSimulator marathon;
    final MarathonClient client;
    final List<String> lines = new CopyOnWriteArrayList<>();
    final OkHttpClient http = new OkHttpClient.Builder().callTimeout(10, TimeUnit.SECONDS).build();

    DeployFixture() throws Exception {
        this(Duration.ofMillis(20));
    }

    DeployFixture(Duration stepInterval) throws Exception {
        this(MarathonSimulator.builder().stepInterval(stepInterval).build(), MarathonAuth.none());
    }

    DeployFixture(MarathonSimulator marathon, MarathonAuth auth) throws Exception {
        this.marathon = marathon;
        String url = marathon.start();
        this.client = new MarathonClient(MarathonClient.parseUrl(url), auth, http);
    }

    /** A deployer on real time, polling every 10 ms. */
    /**
     * Starts one deploy on its own thread; its {@link DeployResult} or the exception it threw is
     * added to {@code outcome}, for tests that act on Marathon while the deploy waits.
     */
    Thread deployInBackground(DeployRequest request, List<Object> outcome) {
        Thread deploy =
                new Thread(
                        () -> {
                            try {
                                outcome.add(deployer().deploy(request));
                            } catch (Exception e) {
                                outcome.add(e);
                            }
                        });
        deploy.start();
        return deploy;
    }

    MarathonDeployer deployer() {
        return new MarathonDeployer(client, Clock.systemUTC(), Sleeper.SYSTEM, lines::add);
    }

    /**
     * A deployer whose clock jumps by each poll interval while really sleeping only {@code
     * realSleep}.
     */
    MarathonDeployer fastDeployer(Duration realSleep) {
        FakeClock clock = new FakeClock();
        return new MarathonDeployer(
                client,
                clock,
                duration -> {
                    clock.advance(duration);
                    Thread.sleep(realSleep.toMillis());
                },
                lines::add);
    }

    /**
     * A request on real time: 10 ms polls, a 20 s deadline, no settling (tests that settle say so).
     */
    static DeployRequest.Builder request(String json) {
        return DeployRequest.fromJson(json, "marathon.json")
                .pollInterval(Duration.ofMillis(10))
                .timeout(Duration.ofSeconds(20))
                .settleTime(Duration.ZERO);
    }

    static String app(String id, String image, int instances, boolean healthChecks) {
        return app(id, image, instances, healthChecks, "");
    }

    static String app(String id, String image, int instances, boolean healthChecks, String extra) {
        return "{\n"
                + "  \"id\": \""
                + id
                + "\",\n"
                + "  \"instances\": "
                + instances
                + ",\n"
                + "  \"cpus\": 0.1,\n"
                + "  \"mem\": 64,\n"
                + "  \"container\": {\"type\": \"DOCKER\", \"docker\": {\"image\": \""
                + image
                + "\"}},\n"
                + (healthChecks
                        ? "  \"healthChecks\": [{\"protocol\": \"HTTP\", \"path\": \"/health\","
                                + " \"maxConsecutiveFailures\": 2}],\n"
                        : "")
                + extra
                + "  \"labels\": {\"team\": \"shop\"}\n"
                + "}\n";
    }

    @Override
    public void close() {
        marathon.close();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    /** A clock that only moves when told to. */
    static final class FakeClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
