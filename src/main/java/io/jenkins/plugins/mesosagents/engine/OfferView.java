package io.jenkins.plugins.mesosagents.engine;

import org.apache.mesos.v1.Protos.Attribute;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Value;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One offer as the matcher sees it: usable scalar amounts and port ranges that shrink as tasks are
 * packed into it, the allocation role, fault domain and attribute values. Revocable, shared and
 * special disk resources are left out (agents must not depend on resources that can vanish or
 * cannot be split). Owned by the engine's loop; not thread-safe.
 */
final class OfferView {
    final Offer offer;
    final String offerId;
    final String agentId;
    final String hostname;

    /**
     * The offer's allocation role, or "" for an offer without allocation info (non MULTI_ROLE
     * framework).
     */
    final String role;

    final String region;
    final String zone;
    final boolean hasGpus;
    final boolean unavailable;
    final Instant receivedAt;

    double cpus;
    double mem;
    double disk;
    double gpus;
    int portCount;
    private static final long[] NO_PORTS = new long[0];

    /** Remaining port ranges as {begin, end, resourceIndex}; built when the first port is taken. */
    private List<long[]> ports;

    /**
     * Remaining amount of each scalar resource piece (aligned with the offer's resources; NaN = not
     * usable).
     */
    private double[] pieceRemaining;

    OfferView(Offer offer, Instant receivedAt) {
        this.offer = offer;
        this.offerId = offer.getId().getValue();
        this.agentId = offer.getAgentId().getValue();
        this.hostname = offer.getHostname();
        this.role = offer.hasAllocationInfo() ? offer.getAllocationInfo().getRole() : "";
        this.receivedAt = receivedAt;
        if (offer.hasDomain() && offer.getDomain().hasFaultDomain()) {
            region = offer.getDomain().getFaultDomain().getRegion().getName();
            zone = offer.getDomain().getFaultDomain().getZone().getName();
        } else {
            region = "";
            zone = "";
        }
        unavailable = offer.hasUnavailability();
        List<Resource> resources = offer.getResourcesList();
        for (int i = 0; i < resources.size(); i++) {
            Resource r = resources.get(i);
            if (!usable(r)) {
                continue;
            }
            if (r.getType() == Value.Type.SCALAR) {
                double v = r.getScalar().getValue();
                switch (r.getName()) {
                    case "cpus" -> cpus += v;
                    case "mem" -> mem += v;
                    case "disk" -> disk += v;
                    case "gpus" -> gpus += v;
                    default -> {}
                }
            } else if (r.getType() == Value.Type.RANGES && r.getName().equals("ports")) {
                for (Value.Range range : r.getRanges().getRangeList()) {
                    portCount +=
                            (int)
                                    Math.min(
                                            Integer.MAX_VALUE,
                                            range.getEnd() - range.getBegin() + 1);
                }
            }
        }
        hasGpus = gpus > 0;
    }

    /**
     * Agents must not depend on resources that can vanish (revocable) or cannot be split (shared,
     * special disks).
     */
    private static boolean usable(Resource r) {
        return !r.hasRevocable()
                && !r.hasShared()
                && !(r.hasDisk() && (r.getDisk().hasSource() || r.getDisk().hasPersistence()));
    }

    /** Remaining port ranges, each {begin, end, index of the offer resource it came from}. */
    List<long[]> ports() {
        if (ports == null) {
            ports = new ArrayList<>(2);
            List<Resource> resources = offer.getResourcesList();
            for (int i = 0; i < resources.size(); i++) {
                Resource r = resources.get(i);
                if (usable(r) && r.getType() == Value.Type.RANGES && r.getName().equals("ports")) {
                    for (Value.Range range : r.getRanges().getRangeList()) {
                        ports.add(new long[] {range.getBegin(), range.getEnd(), i});
                    }
                }
            }
        }
        return ports;
    }

    /** Remaining amounts of the scalar pieces; TaskInfo building cuts resources out of them. */
    double[] pieces() {
        if (pieceRemaining == null) {
            List<Resource> resources = offer.getResourcesList();
            pieceRemaining = new double[resources.size()];
            for (int i = 0; i < resources.size(); i++) {
                Resource r = resources.get(i);
                boolean scalar = usable(r) && r.getType() == Value.Type.SCALAR;
                pieceRemaining[i] = scalar ? r.getScalar().getValue() : Double.NaN;
            }
        }
        return pieceRemaining;
    }

    /**
     * The attribute's value as text; {@code hostname} falls back to the offer's host. null when
     * absent.
     */
    String attribute(String name) {
        // offers carry a handful of attributes: a scan beats building a map for each of thousands
        // of offers
        List<Attribute> attributes = offer.getAttributesList();
        for (int i = 0; i < attributes.size(); i++) {
            Attribute a = attributes.get(i);
            if (a.getName().equals(name)) {
                return attributeText(a);
            }
        }
        return name.equals(Constraint.HOSTNAME) ? hostname : null;
    }

    double remaining(Resources.Kind kind) {
        return switch (kind) {
            case CPUS -> cpus;
            case MEM -> mem;
            case DISK -> disk;
            case GPUS -> gpus;
        };
    }

    /**
     * Takes {@code count} ports (lowest first) plus the given fixed ones; null if they are not all
     * available.
     */
    long[] takePorts(int count, List<Integer> fixed) {
        if (count == 0 && fixed.isEmpty()) {
            return NO_PORTS;
        }
        List<long[]> ports = ports();
        if (count + fixed.size() > portCount) {
            return null;
        }
        for (int f : fixed) {
            if (rangeOf(f) < 0) {
                return null;
            }
        }
        long[] taken = new long[count + fixed.size()];
        int n = 0;
        for (int f : fixed) {
            removePort(rangeOf(f), f);
            taken[n++] = f;
        }
        while (n < taken.length) {
            long[] first = ports.get(0);
            taken[n++] = first[0];
            removePort(0, first[0]);
        }
        return taken;
    }

    /** Resource index of the piece that offered {@code port} (before it was taken). */
    int pieceOfPort(long port) {
        List<Resource> resources = offer.getResourcesList();
        for (int i = 0; i < resources.size(); i++) {
            Resource r = resources.get(i);
            if (r.getType() == Value.Type.RANGES && r.getName().equals("ports")) {
                for (Value.Range range : r.getRanges().getRangeList()) {
                    if (port >= range.getBegin() && port <= range.getEnd()) {
                        return i;
                    }
                }
            }
        }
        return -1;
    }

    private int rangeOf(long port) {
        List<long[]> ports = ports();
        for (int i = 0; i < ports.size(); i++) {
            long[] r = ports.get(i);
            if (port >= r[0] && port <= r[1]) {
                return i;
            }
        }
        return -1;
    }

    private void removePort(int rangeIndex, long port) {
        List<long[]> ports = ports();
        long[] r = ports.get(rangeIndex);
        portCount--;
        if (r[0] == r[1]) {
            ports.remove(rangeIndex);
        } else if (port == r[0]) {
            r[0]++;
        } else if (port == r[1]) {
            r[1]--;
        } else {
            ports.add(rangeIndex + 1, new long[] {port + 1, r[1], r[2]});
            r[1] = port - 1;
        }
    }

    private static String attributeText(Attribute a) {
        return switch (a.getType()) {
            case TEXT -> a.getText().getValue();
            case SCALAR -> formatScalar(a.getScalar().getValue());
            case SET -> String.join(",", a.getSet().getItemList());
            case RANGES -> {
                StringBuilder sb = new StringBuilder("[");
                for (Value.Range r : a.getRanges().getRangeList()) {
                    if (sb.length() > 1) {
                        sb.append(',');
                    }
                    sb.append(r.getBegin()).append('-').append(r.getEnd());
                }
                yield sb.append(']').toString();
            }
        };
    }

    static String formatScalar(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15
                ? Long.toString((long) v)
                : Double.toString(v);
    }

    @Override
    public String toString() {
        return "offer " + offerId + " on " + hostname;
    }
}
