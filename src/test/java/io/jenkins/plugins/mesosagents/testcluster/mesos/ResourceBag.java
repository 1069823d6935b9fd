package io.jenkins.plugins.mesosagents.testcluster.mesos;

import java.util.BitSet;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable amount of scalar resources (kept in thousandths, as the master keeps three decimal
 * digits) plus a set of ports, all taken from one pool: the unreserved pool {@code *} or one
 * reserved role.
 */
record ResourceBag(Map<String, Long> scalarMillis, BitSet ports) {

    static final ResourceBag EMPTY = new ResourceBag(Map.of(), new BitSet());

    ResourceBag {
        scalarMillis = Map.copyOf(scalarMillis);
        ports = (BitSet) ports.clone();
    }

    static ResourceBag of(double cpus, double mem, double disk, double gpus, BitSet ports) {
        Map<String, Long> m = new TreeMap<>();
        put(m, "cpus", cpus);
        put(m, "mem", mem);
        put(m, "disk", disk);
        put(m, "gpus", gpus);
        return new ResourceBag(m, ports);
    }

    private static void put(Map<String, Long> m, String name, double value) {
        long millis = Math.round(value * 1000);
        if (millis > 0) {
            m.put(name, millis);
        }
    }

    double scalar(String name) {
        return scalarMillis.getOrDefault(name, 0L) / 1000.0;
    }

    ResourceBag plus(ResourceBag other) {
        Map<String, Long> m = new TreeMap<>(scalarMillis);
        other.scalarMillis.forEach((k, v) -> m.merge(k, v, Long::sum));
        BitSet p = (BitSet) ports.clone();
        p.or(other.ports);
        return new ResourceBag(m, p);
    }

    ResourceBag minus(ResourceBag other) {
        Map<String, Long> m = new TreeMap<>(scalarMillis);
        other.scalarMillis.forEach((k, v) -> m.merge(k, -v, Long::sum));
        m.values().removeIf(v -> v <= 0);
        BitSet p = (BitSet) ports.clone();
        p.andNot(other.ports);
        return new ResourceBag(m, p);
    }

    boolean contains(ResourceBag other) {
        for (Map.Entry<String, Long> e : other.scalarMillis.entrySet()) {
            if (scalarMillis.getOrDefault(e.getKey(), 0L) < e.getValue()) {
                return false;
            }
        }
        BitSet missing = (BitSet) other.ports.clone();
        missing.andNot(ports);
        return missing.isEmpty();
    }

    boolean isEmpty() {
        return scalarMillis.isEmpty() && ports.isEmpty();
    }

    /** Parses "31000-32000,8080" into a port set. */
    static BitSet parsePorts(String spec) {
        BitSet set = new BitSet();
        if (spec == null || spec.isBlank()) {
            return set;
        }
        for (String part : spec.split(",")) {
            String p = part.trim().replace("[", "").replace("]", "");
            if (p.isEmpty()) {
                continue;
            }
            String[] ends = p.split("-");
            int begin = Integer.parseInt(ends[0].trim());
            int end = ends.length > 1 ? Integer.parseInt(ends[1].trim()) : begin;
            if (begin < 0 || end > 65535 || begin > end) {
                throw new IllegalArgumentException(
                        "port range '" + p + "' is not within 0-65535 or begin > end");
            }
            set.set(begin, end + 1);
        }
        return set;
    }
}
