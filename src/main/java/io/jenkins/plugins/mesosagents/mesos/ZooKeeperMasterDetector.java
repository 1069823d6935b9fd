package io.jenkins.plugins.mesosagents.mesos;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;

import okhttp3.HttpUrl;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.CuratorWatcher;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.mesos.v1.Protos.MasterInfo;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Finds the leading master the way Mesos' own detector does: among the children {@code
 * json.info_<sequence>} of the ZooKeeper path (ephemeral sequential znodes holding the JSON of
 * {@code MasterInfo}), the one with the lowest sequence number leads. The path and its children are
 * watched, so a failover is seen within a ZooKeeper round trip; all reads happen on one detector
 * thread. Legacy {@code info_} (binary) and other children are ignored.
 */
public final class ZooKeeperMasterDetector implements MasterDetector {
    private static final Logger LOG = Logger.getLogger(ZooKeeperMasterDetector.class.getName());
    private static final String LABEL = "json.info_";
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    private final String connectString;
    private final String path;
    private final String scheme;
    private final CuratorFramework curator;
    private final ExecutorService refresher;
    private final CuratorWatcher watcher = event -> scheduleRefresh();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile Optional<HttpUrl> leader = Optional.empty();

    /**
     * @param digestAuth {@code user:password} for ZooKeeper digest auth, or null
     * @param scheme "http" or "https" for the leader's URL
     */
    public ZooKeeperMasterDetector(
            String connectString, String path, String digestAuth, String scheme) {
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException(
                    "Leader scheme must be http or https, was '" + scheme + "'");
        }
        this.connectString = connectString;
        this.path = path;
        this.scheme = scheme;
        CuratorFrameworkFactory.Builder builder =
                CuratorFrameworkFactory.builder()
                        .connectString(connectString)
                        .retryPolicy(new ExponentialBackoffRetry(500, 10, 15_000))
                        .sessionTimeoutMs(10_000)
                        .connectionTimeoutMs(10_000);
        if (digestAuth != null) {
            builder.authorization("digest", digestAuth.getBytes(StandardCharsets.UTF_8));
        }
        this.curator = builder.build();
        this.refresher =
                Executors.newSingleThreadExecutor(
                        r -> {
                            Thread t = new Thread(r, "mesos-zk-detector");
                            t.setDaemon(true);
                            return t;
                        });
        curator.getConnectionStateListenable()
                .addListener(
                        (client, newState) -> {
                            if (newState == ConnectionState.CONNECTED
                                    || newState == ConnectionState.RECONNECTED) {
                                scheduleRefresh();
                            }
                        });
    }

    /** Parses {@code zk://[user:pass@]h1:2181,h2:2181/path}. */
    public static ZooKeeperMasterDetector fromUrl(String url, String scheme) {
        String rest = url.substring("zk://".length());
        String auth = null;
        int at = rest.lastIndexOf('@', rest.indexOf('/') < 0 ? rest.length() : rest.indexOf('/'));
        if (at >= 0) {
            auth = rest.substring(0, at);
            rest = rest.substring(at + 1);
            if (auth.indexOf(':') < 0) {
                throw new IllegalArgumentException(
                        "Invalid ZooKeeper URL "
                                + HttpUrls.redact(url)
                                + ": credentials must be user:password");
            }
        }
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            throw new IllegalArgumentException(
                    "Invalid ZooKeeper URL "
                            + HttpUrls.redact(url)
                            + ": expected zk://host:2181[,host2:2181]/path, e.g."
                            + " zk://zk1:2181/mesos");
        }
        String hosts = rest.substring(0, slash);
        String znode = rest.substring(slash);
        if (znode.endsWith("/")) {
            znode = znode.substring(0, znode.length() - 1);
        }
        return new ZooKeeperMasterDetector(hosts, znode, auth, scheme);
    }

    public void start() {
        curator.start();
        scheduleRefresh();
    }

    @Override
    public List<HttpUrl> candidates() {
        return leader.map(List::of).orElse(List.of());
    }

    /** The current leader, if one is elected. */
    public Optional<HttpUrl> leader() {
        return leader;
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    @Override
    public void close() {
        refresher.shutdownNow();
        curator.close();
    }

    private void scheduleRefresh() {
        try {
            refresher.execute(this::refresh);
        } catch (RejectedExecutionException closed) {
            // detector closed
        }
    }

    private void refresh() {
        Optional<HttpUrl> next;
        try {
            next = readLeader();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            // the connection state listener refreshes again once ZooKeeper is reachable
            LOG.log(
                    Level.WARNING,
                    "Cannot read the Mesos leader from ZooKeeper "
                            + connectString
                            + path
                            + ": "
                            + e);
            return;
        }
        if (!next.equals(leader)) {
            LOG.info(
                    () ->
                            "Mesos leader in ZooKeeper "
                                    + connectString
                                    + path
                                    + ": "
                                    + next.map(HttpUrl::toString).orElse("none"));
            leader = next;
            listeners.forEach(Runnable::run);
        }
    }

    private Optional<HttpUrl> readLeader() throws Exception {
        for (int tries = 0; tries < 5; tries++) {
            if (curator.checkExists().usingWatcher(watcher).forPath(path) == null) {
                return Optional.empty();
            }
            List<String> children;
            try {
                children = curator.getChildren().usingWatcher(watcher).forPath(path);
            } catch (org.apache.zookeeper.KeeperException.NoNodeException gone) {
                continue;
            }
            Optional<String> lowest =
                    children.stream()
                            .filter(ZooKeeperMasterDetector::isMember)
                            .min(Comparator.comparingLong(ZooKeeperMasterDetector::sequence));
            if (lowest.isEmpty()) {
                return Optional.empty();
            }
            try {
                byte[] data = curator.getData().forPath(path + "/" + lowest.get());
                return toUrl(lowest.get(), data);
            } catch (org.apache.zookeeper.KeeperException.NoNodeException gone) {
                // the leader vanished between the two reads; look again
            }
        }
        return leader;
    }

    private static boolean isMember(String name) {
        return name.startsWith(LABEL)
                && name.length() > LABEL.length()
                && name.substring(LABEL.length()).chars().allMatch(Character::isDigit);
    }

    private static long sequence(String name) {
        return Long.parseLong(name.substring(LABEL.length()));
    }

    private Optional<HttpUrl> toUrl(String name, byte[] data) {
        try {
            MasterInfo.Builder info = MasterInfo.newBuilder();
            PARSER.merge(
                    new String(data == null ? new byte[0] : data, StandardCharsets.UTF_8), info);
            return Optional.of(urlOf(info.buildPartial()));
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            LOG.log(
                    Level.WARNING,
                    "Ignoring leader znode "
                            + path
                            + "/"
                            + name
                            + ": not a JSON MasterInfo ("
                            + e.getMessage()
                            + ")");
            return Optional.empty();
        }
    }

    /**
     * address.hostname (address.ip instead when the hostname does not resolve here), else
     * address.ip, else hostname, else the deprecated network-order uint32 ip.
     */
    HttpUrl urlOf(MasterInfo info) {
        String host;
        if (info.hasAddress() && !info.getAddress().getHostname().isEmpty()) {
            host = reachableName(info.getAddress().getHostname(), info.getAddress().getIp());
        } else if (info.hasAddress() && !info.getAddress().getIp().isEmpty()) {
            host = info.getAddress().getIp();
        } else if (!info.getHostname().isEmpty()) {
            host = info.getHostname();
        } else if (info.hasIp()) {
            int ip = info.getIp();
            host =
                    (ip & 0xff)
                            + "."
                            + ((ip >>> 8) & 0xff)
                            + "."
                            + ((ip >>> 16) & 0xff)
                            + "."
                            + ((ip >>> 24) & 0xff);
        } else {
            throw new IllegalArgumentException(
                    "MasterInfo has neither address nor hostname nor ip");
        }
        int port =
                info.hasAddress() && info.getAddress().hasPort()
                        ? info.getAddress().getPort()
                        : info.getPort();
        return new HttpUrl.Builder().scheme(scheme).host(host).port(port).build();
    }

    /**
     * The master writes both its hostname and its IP (Mesos 1.11.0
     * src/common/protobuf_utils.cpp:633-647); a hostname only the cluster's DNS knows would fail
     * every SUBSCRIBE, so the IP is used then.
     */
    private static String reachableName(String hostname, String ip) {
        if (ip.isEmpty() || ip.equals(hostname)) {
            return hostname;
        }
        try {
            java.net.InetAddress.getByName(hostname);
            return hostname;
        } catch (java.net.UnknownHostException e) {
            LOG.warning(
                    () ->
                            "Mesos master hostname "
                                    + hostname
                                    + " from ZooKeeper does not resolve here; using its IP "
                                    + ip);
            return ip;
        }
    }

    @Override
    public String toString() {
        return "ZooKeeperMasterDetector[" + connectString + path + "]";
    }
}
