package io.jenkins.plugins.mesosagents.testcluster.demo;

import io.jenkins.plugins.mesosagents.testcluster.TestCluster;
import io.jenkins.plugins.mesosagents.testcluster.marathon.MarathonSimulator;
import io.jenkins.plugins.mesosagents.testcluster.registry.LocalRegistry;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The test-cluster pieces the demo plugs in, from the same cluster.json sections as {@code
 * test-cluster/run}: the simulated Marathon (kept reachable, the ship stage tells it which image's
 * health checks fail) and the real docker-registry with the demo credentials.
 */
final class DemoComponents {
    private DemoComponents() {}

    /** The Marathon simulator as a cluster component. */
    record Marathon(MarathonSimulator simulator, String url) implements TestCluster.Component {
        @Override
        public Map<String, String> endpoints() {
            return Map.of("MARATHON", url);
        }

        @Override
        public void close() {
            simulator.close();
        }
    }

    static TestCluster.Component marathon(TestCluster.Context context) throws Exception {
        long step = context.section().path("stepMillis").asLong(1000);
        MarathonSimulator marathon =
                MarathonSimulator.builder().stepInterval(Duration.ofMillis(step)).build();
        return new Marathon(marathon, marathon.start());
    }

    static TestCluster.Component registry(TestCluster.Context context) throws Exception {
        String user = context.section().path("user").asText("demo");
        String password = context.section().path("password").asText("demo-password");
        LocalRegistry registry = LocalRegistry.builder().user(user, password).tls(false).start();
        Map<String, String> endpoints = new LinkedHashMap<>();
        endpoints.put("REGISTRY", registry.hostPort());
        endpoints.put("REGISTRY_USER", user);
        endpoints.put("REGISTRY_PASSWORD", password);
        return new TestCluster.Component() {
            @Override
            public Map<String, String> endpoints() {
                return endpoints;
            }

            @Override
            public void close() {
                try {
                    registry.close();
                } catch (Exception e) {
                    System.err.println("demo: could not stop the registry: " + e);
                }
            }
        };
    }
}
