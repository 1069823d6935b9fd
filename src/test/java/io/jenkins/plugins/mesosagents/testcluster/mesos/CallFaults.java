package io.jenkins.plugins.mesosagents.testcluster.mesos;

import org.apache.mesos.v1.scheduler.Protos.Call;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per-call-type fault injection on {@code /api/v1/scheduler} (and {@code GET /master/state}): what
 * a proxy, a master mid-failover or a stuck connection does to one kind of call. Rules for a key (a
 * {@link Call.Type} name, {@link #ANY} or {@link #STATE}) apply in the order they were added, each
 * for its number of calls (or until {@link #clear()}); calls without a rule reach the master
 * unchanged. The answers mimic the real master where it has one: {@code 503 "Master has not
 * finished recovery"}, {@code 415 "Expecting 'Content-Type' of application/json or
 * application/x-protobuf"} (Mesos 1.11.0 src/master/http.cpp:495-535), and the master's {@code 202}
 * that is sent before the call is acted on (http.cpp:662-720), which is what {@link Swallow} models
 * when nothing follows.
 */
public final class CallFaults {
    /** Key for a rule that applies to every scheduler call type. */
    public static final String ANY = "*";

    /** Key for {@code GET /master/state} (the endpoint the cloud's "Test connection" reads). */
    public static final String STATE = "STATE";

    /** What happens to a matching call. */
    public sealed interface Fault permits Answer, Hang, Drop, Swallow, RefuseProtobuf {}

    /** Answer this status and body instead of the master (a proxy, a refusing master). */
    public record Answer(int status, String body) implements Fault {}

    /** Hold the request this long, then let the master handle it as usual (a slow master). */
    public record Hang(Duration duration) implements Fault {}

    /** Close the connection without any answer; the master never sees the call. */
    public record Drop() implements Fault {}

    /** Answer 202 as the master does, but never act on the call (no offers, no updates). */
    public record Swallow() implements Fault {}

    /** Answer 415 to protobuf bodies (a JSON-only master or proxy); JSON passes. */
    public record RefuseProtobuf() implements Fault {}

    private static final class Rule {
        final Fault fault;
        int remaining;

        Rule(Fault fault, int remaining) {
            this.fault = fault;
            this.remaining = remaining;
        }
    }

    private final Map<String, Deque<Rule>> rules = new HashMap<>();
    private final Map<String, AtomicInteger> applied = new ConcurrentHashMap<>();

    /**
     * Applies {@code fault} to the next {@code times} calls of this type ({@code -1}: until
     * cleared).
     */
    public void inject(Call.Type type, Fault fault, int times) {
        inject(type.name(), fault, times);
    }

    /** As above with a key: a call type name, {@link #ANY} or {@link #STATE}. */
    public synchronized void inject(String key, Fault fault, int times) {
        if (times == 0 || times < -1) {
            throw new IllegalArgumentException(
                    "times must be -1 (until cleared) or > 0, was " + times);
        }
        rules.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(new Rule(fault, times));
    }

    /** Removes every rule (counters stay). */
    public synchronized void clear() {
        rules.clear();
    }

    /** How many calls of this key a fault was applied to so far. */
    public int applied(String key) {
        AtomicInteger n = applied.get(key);
        return n == null ? 0 : n.get();
    }

    public int applied(Call.Type type) {
        return applied(type.name());
    }

    /** The fault for this call, consuming one use of its rule; null when the call passes. */
    synchronized Fault take(String key, boolean protobuf) {
        Fault f = take(key);
        if (f == null) {
            f = take(ANY);
        }
        if (f instanceof RefuseProtobuf && !protobuf) {
            return null;
        }
        if (f != null) {
            applied.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        }
        return f;
    }

    private Fault take(String key) {
        Deque<Rule> q = rules.get(key);
        if (q == null || q.isEmpty()) {
            return null;
        }
        Rule r = q.peekFirst();
        if (r.remaining > 0 && --r.remaining == 0) {
            q.pollFirst();
        }
        return r.fault;
    }

    /** The 415 body the real master sends for a Content-Type it does not take (http.cpp:533). */
    static String unsupportedMediaTypeBody() {
        return "Expecting 'Content-Type' of application/json or application/x-protobuf";
    }
}
