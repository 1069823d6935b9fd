package io.jenkins.plugins.mesosagents.testcluster.mesos;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.WatchedEvent;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Leader election as the masters do it: each master holds an EPHEMERAL_SEQUENTIAL znode {@code
 * <path>/json.info_NNNNNNNNNN} with its MasterInfo as JSON, in its own ZooKeeper session; the
 * leader is the lowest sequence number. A detector session watches the children and reports each
 * new leading znode.
 */
final class ZkElection implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ZkElection.class.getName());
    private static final String PREFIX = "json.info_";

    private final String connect;
    private final String path;
    private final List<MasterInfo> masters;
    private final CuratorFramework[] sessions;
    private final String[] znodes;
    private final CuratorFramework detector;
    private final BiConsumer<String, MasterInfo> onLeader;
    private volatile String leadingZnode;
    private volatile boolean closed;

    ZkElection(
            String connect,
            String path,
            List<MasterInfo> masters,
            BiConsumer<String, MasterInfo> onLeader)
            throws Exception {
        this.connect = connect;
        this.path = path;
        this.masters = masters;
        this.onLeader = onLeader;
        this.sessions = new CuratorFramework[masters.size()];
        this.znodes = new String[masters.size()];
        this.detector = client();
        detector.createContainers(path);
        for (int i = 0; i < masters.size(); i++) {
            contend(i);
        }
        detect();
    }

    private CuratorFramework client() throws InterruptedException {
        CuratorFramework c =
                CuratorFrameworkFactory.builder()
                        .connectString(connect)
                        .sessionTimeoutMs(10_000)
                        .connectionTimeoutMs(5_000)
                        .retryPolicy(new ExponentialBackoffRetry(100, 5))
                        .build();
        c.start();
        if (!c.blockUntilConnected(15, java.util.concurrent.TimeUnit.SECONDS)) {
            c.close();
            throw new IllegalStateException(
                    "cannot connect to ZooKeeper at " + connect + " within 15 s");
        }
        return c;
    }

    private void contend(int i) throws Exception {
        sessions[i] = client();
        byte[] data = WireCodec.toJson(masters.get(i)).getBytes(StandardCharsets.UTF_8);
        znodes[i] =
                sessions[i]
                        .create()
                        .creatingParentContainersIfNeeded()
                        .withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
                        .forPath(path + "/" + PREFIX, data);
    }

    private synchronized void detect() {
        if (closed) {
            return;
        }
        try {
            List<String> children =
                    detector.getChildren()
                            .usingWatcher(
                                    (org.apache.zookeeper.Watcher) (WatchedEvent e) -> detect())
                            .forPath(path);
            Optional<String> lowest =
                    children.stream()
                            .filter(c -> c.startsWith(PREFIX))
                            .min(Comparator.comparing(c -> c.substring(PREFIX.length())));
            if (lowest.isEmpty()) {
                if (leadingZnode != null) {
                    leadingZnode = null;
                    onLeader.accept(null, null);
                }
                return;
            }
            String znode = path + "/" + lowest.get();
            if (!znode.equals(leadingZnode)) {
                byte[] data = detector.getData().forPath(znode);
                MasterInfo.Builder b = MasterInfo.newBuilder();
                WireCodec.fromJson(new String(data, StandardCharsets.UTF_8), b, MasterInfo.class);
                leadingZnode = znode;
                onLeader.accept(znode, b.build());
            }
        } catch (Exception e) {
            if (!closed) {
                LOG.log(Level.WARNING, "leader detection failed; retrying on the next change", e);
            }
        }
    }

    /**
     * The leading master's session dies (its znode disappears); it rejoins the election at the
     * back.
     */
    void failoverLeader() throws Exception {
        String leading = leadingZnode;
        for (int i = 0; i < znodes.length; i++) {
            if (znodes[i].equals(leading)) {
                sessions[i].close();
                contend(i);
                return;
            }
        }
        throw new IllegalStateException("no master holds the leading znode " + leading);
    }

    String leadingZnode() {
        return leadingZnode;
    }

    @Override
    public void close() {
        closed = true;
        List<CuratorFramework> all = new ArrayList<>(List.of(sessions));
        all.add(detector);
        for (CuratorFramework c : all) {
            if (c != null) {
                try {
                    c.close();
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "closing a ZooKeeper session", e);
                }
            }
        }
    }
}
