package io.jenkins.plugins.mesosagents.testcluster;

import io.jenkins.plugins.mesosagents.testcluster.marathon.MarathonSimulator;
import io.jenkins.plugins.mesosagents.testcluster.registry.LocalRegistry;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pieces {@code test-cluster/run} starts next to the Mesos master: the simulated Marathon
 * (section {@code "marathon": {"stepMillis": 1000}}) and a real Docker registry (section {@code
 * "registry": {"user": ..., "password": ..., "tls": false}}), each printing its endpoint lines.
 */
final class Components {
    private Components() {}

    static TestCluster.Component marathon(TestCluster.Context context) throws Exception {
        long step = context.section().path("stepMillis").asLong(1000);
        MarathonSimulator marathon =
                MarathonSimulator.builder().stepInterval(Duration.ofMillis(step)).build();
        String url = marathon.start();
        return new TestCluster.Component() {
            @Override
            public Map<String, String> endpoints() {
                return Map.of("MARATHON", url);
            }

            @Override
            public void close() {
                marathon.close();
            }
        };
    }

    static TestCluster.Component registry(TestCluster.Context context) throws Exception {
        String user = context.section().path("user").asText("demo");
        String password = context.section().path("password").asText("demo-password");
        boolean tls = context.section().path("tls").asBoolean(false);
        LocalRegistry registry = LocalRegistry.builder().user(user, password).tls(tls).start();
        Map<String, String> endpoints = new LinkedHashMap<>();
        endpoints.put("REGISTRY", registry.hostPort());
        endpoints.put("REGISTRY_USER", user);
        endpoints.put("REGISTRY_PASSWORD", password);
        if (tls) {
            endpoints.put("REGISTRY_CA", registry.caCertificate().toString());
        }
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
                    System.err.println("test-cluster: could not stop the registry: " + e);
                }
            }
        };
    }
}
