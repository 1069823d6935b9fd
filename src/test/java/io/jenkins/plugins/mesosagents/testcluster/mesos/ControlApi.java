package io.jenkins.plugins.mesosagents.testcluster.mesos;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.time.Duration;

/**
 * The standalone cluster's fault-injection endpoint ({@code POST /sim/...} on every master), a thin
 * HTTP shell over {@link MesosSimulator}'s methods:
 *
 * <pre>
 * POST /sim/drop-streams                  POST /sim/failover
 * POST /sim/amnesia?first-millis=A&amp;last-millis=B   later failovers with amnesia: agents reregister A..B ms after
 * POST /sim/amnesia?off                    later failovers without amnesia (the default)
 * POST /sim/agents/{id|host}/partition    POST /sim/agents/{id|host}/heal    POST /sim/agents/{id|host}/remove
 * POST /sim/rescind-offers                POST /sim/unavailable?millis=N     POST /sim/silence?millis=N
 * POST /sim/garbage                        (writes "garbage\n", not RecordIO, on every stream)
 * POST /sim/revoke-tokens                  (DC/OS auth tokens issued so far stop working)
 * GET  /sim/tasks                          (JSON list of tasks with sandbox, pid, state)
 * POST /sim/calls/{TYPE|*|STATE}?status=N&amp;body=TEXT[&amp;times=N]   answer N with TEXT (see {@link CallFaults})
 * POST /sim/calls/{TYPE|*|STATE}?hang-millis=N[&amp;times=N]           hold the call, then handle it
 * POST /sim/calls/{TYPE|*|STATE}?drop[&amp;times=N]                    close the connection, no answer
 * POST /sim/calls/{TYPE|*}?swallow[&amp;times=N]                       202 but the call has no effect
 * POST /sim/calls/*?refuse-protobuf                                415 to protobuf bodies (JSON only)
 * POST /sim/calls/clear                                             remove every call fault
 * </pre>
 */
final class ControlApi {
    private static final ObjectMapper MAPPER =
            new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    private final MesosSimulator sim;

    ControlApi(MesosSimulator sim) {
        this.sim = sim;
    }

    HttpReply handle(String method, String path, String query) {
        try {
            if (path.equals("/sim/tasks") && method.equals("GET")) {
                return HttpReply.json(
                        200,
                        MAPPER.writeValueAsString(
                                sim.tasks().stream()
                                        .map(
                                                t ->
                                                        java.util.Map.of(
                                                                "task_id",
                                                                t.taskId(),
                                                                "framework_id",
                                                                t.frameworkId(),
                                                                "agent_id",
                                                                t.agentId(),
                                                                "state",
                                                                t.state(),
                                                                "sandbox",
                                                                t.sandbox().toString(),
                                                                "pid",
                                                                t.pid(),
                                                                "process_alive",
                                                                t.processAlive()))
                                        .toList()));
            }
            if (!method.equals("POST")) {
                return HttpReply.text(405, "use POST for " + path).withHeader("Allow", "POST");
            }
            String[] parts = path.split("/");
            if (path.equals("/sim/drop-streams")) {
                sim.dropStreams();
            } else if (path.equals("/sim/failover")) {
                sim.failoverLeader();
            } else if (path.equals("/sim/amnesia")) {
                sim.amnesia(amnesiaWindow(query == null ? "" : query));
            } else if (path.equals("/sim/rescind-offers")) {
                sim.rescindOffers();
            } else if (path.equals("/sim/unavailable") || path.equals("/sim/silence")) {
                String millis =
                        query == null ? null : query.replaceFirst("^.*millis=(\\d+).*$", "$1");
                if (millis == null || !millis.matches("\\d+")) {
                    return HttpReply.text(400, "POST " + path + " needs ?millis=N (how long)");
                }
                Duration d = Duration.ofMillis(Long.parseLong(millis));
                if (path.equals("/sim/silence")) {
                    sim.silenceStreams(d);
                } else {
                    sim.unavailableFor(d);
                }
            } else if (path.equals("/sim/revoke-tokens")) {
                sim.revokeAuthTokens();
            } else if (path.equals("/sim/garbage")) {
                sim.injectIntoStreams(
                        "garbage\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            } else if (path.equals("/sim/calls/clear")) {
                sim.callFaults().clear();
            } else if (parts.length == 4 && parts[2].equals("calls")) {
                injectCallFault(parts[3], query == null ? "" : query);
            } else if (parts.length == 5 && parts[2].equals("agents")) {
                switch (parts[4]) {
                    case "partition" -> sim.partitionAgent(parts[3]);
                    case "heal" -> sim.healAgent(parts[3]);
                    case "remove" -> sim.removeAgent(parts[3]);
                    default -> {
                        return HttpReply.text(
                                404,
                                "unknown agent action '"
                                        + parts[4]
                                        + "': partition, heal or remove");
                    }
                }
            } else {
                return HttpReply.text(
                        404,
                        "unknown control path "
                                + path
                                + "; see ControlApi's Javadoc or"
                                + " test-cluster/README.md");
            }
            return HttpReply.text(200, "ok\n");
        } catch (IllegalArgumentException e) {
            return HttpReply.text(400, String.valueOf(e.getMessage()));
        } catch (JsonProcessingException e) {
            return HttpReply.text(500, e.getMessage());
        }
    }

    private static AmnesiaWindow amnesiaWindow(String query) {
        java.util.Map<String, String> q = queryOf(query);
        if (q.containsKey("off")) {
            return null;
        }
        String first = q.get("first-millis");
        String last = q.get("last-millis");
        if (first == null || last == null || !first.matches("\\d+") || !last.matches("\\d+")) {
            throw new IllegalArgumentException(
                    "POST /sim/amnesia needs ?first-millis=A&last-millis=B (when the first and the"
                            + " last agent reregister after a failover, in ms) or ?off");
        }
        return new AmnesiaWindow(
                Duration.ofMillis(Long.parseLong(first)), Duration.ofMillis(Long.parseLong(last)));
    }

    private void injectCallFault(String key, String query) {
        java.util.Map<String, String> q = queryOf(query);
        injectCallFault(key, q);
    }

    private static java.util.Map<String, String> queryOf(String query) {
        java.util.Map<String, String> q = new java.util.HashMap<>();
        for (String kv : query.split("&")) {
            if (!kv.isEmpty()) {
                int eq = kv.indexOf('=');
                q.put(
                        eq < 0 ? kv : kv.substring(0, eq),
                        eq < 0
                                ? ""
                                : java.net.URLDecoder.decode(
                                        kv.substring(eq + 1),
                                        java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return q;
    }

    private void injectCallFault(String key, java.util.Map<String, String> q) {
        if (!key.equals(CallFaults.ANY) && !key.equals(CallFaults.STATE)) {
            org.apache.mesos.v1.scheduler.Protos.Call.Type.valueOf(key); // unknown: 400
        }
        int times = Integer.parseInt(q.getOrDefault("times", "-1"));
        CallFaults.Fault fault;
        if (q.containsKey("status")) {
            fault =
                    new CallFaults.Answer(
                            Integer.parseInt(q.get("status")), q.getOrDefault("body", ""));
        } else if (q.containsKey("hang-millis")) {
            fault = new CallFaults.Hang(Duration.ofMillis(Long.parseLong(q.get("hang-millis"))));
        } else if (q.containsKey("drop")) {
            fault = new CallFaults.Drop();
        } else if (q.containsKey("swallow")) {
            fault = new CallFaults.Swallow();
        } else if (q.containsKey("refuse-protobuf")) {
            fault = new CallFaults.RefuseProtobuf();
        } else {
            throw new IllegalArgumentException(
                    "POST /sim/calls/"
                            + key
                            + " needs one of ?status=N&body=TEXT, ?hang-millis=N,"
                            + " ?drop, ?swallow, ?refuse-protobuf (and optionally &times=N)");
        }
        sim.callFaults().inject(key, fault, times);
    }
}
