package io.redraft.server;

import io.netty.channel.EventLoopGroup;
import io.redraft.cluster.ClientAddressAnnouncer;
import io.redraft.cluster.CommandExecutor;
import io.redraft.cluster.JoinRequest;
import io.redraft.cluster.KnownPeers;
import io.redraft.cluster.LatePeerPort;
import io.redraft.cluster.PeerPort;
import io.redraft.cluster.RaftPeers;
import io.redraft.cluster.RaftDriver;
import io.redraft.cluster.RaftSettings;
import io.redraft.cluster.SnapshotManager;
import io.redraft.raft.SnapshotMetadata;
import io.redraft.store.snapshot.SnapshotHeader;
import io.redraft.raft.Membership;
import io.redraft.raft.log.FsyncPolicy;
import io.redraft.raft.log.JournalOptions;
import io.redraft.raft.log.JournalRaftStorage;
import io.redraft.command.CommandTable;
import io.redraft.transport.NettyTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/** One Redraft node: its configuration, keyspace thread and client port, started and stopped together. */
public final class RedraftServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedraftServer.class);

    private final ServerContext context;
    private final CommandExecutor executor;
    private final ClientPort clientPort;
    /** Under dir: the Raft log, its hard state and snapshot metadata. */
    public static final String RAFT_DIR = "raft";
    private RaftDriver raft;
    private PeerPort peerPort;
    /** Without raft-peers: the peer port a cluster formed at run time opens. */
    private LatePeerPort latePort;
    private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);

    public RedraftServer(ServerConfig config) {
        this.context = new ServerContext(config, CommandTable.standard());
        this.executor = new CommandExecutor(context);
        this.clientPort = new ClientPort(context, executor.loop());
        context.onShutdown(this::close);
    }

    /**
     * Opens the Raft log under {@code dir}, replays it into the keyspace, then starts serving;
     * returns the bound client port.
     */
    public int start() throws IOException, InterruptedException {
        Path dir = Path.of(context.config().get("dir"));
        Files.createDirectories(dir);
        String join = context.config().get("raft-join");
        raft = openRaft(dir, join, join.isEmpty() ? Map.of() : JoinRequest.members(join), true);
        context.formation(new ClusterFormation(this));
        if (RaftPeers.parse(context.config().get("raft-peers")).isEmpty()) {
            // The only voter leads from the start: end blocked commands of the previous run,
            // replayed from the log with no client left to answer.
            try {
                executor.thread().submit(() -> executor.stateMachine().onLeadershipAcquired()).get();
            } catch (ExecutionException e) {
                throw new IOException("ending the blocked commands of the previous run failed", e.getCause());
            }
        }
        executor.start(); // the cron (active expiry) only once the keyspace is loaded
        int port = clientPort.bind(context.config().get("bind").split("\\s+")[0], context.config().getInt("port"));
        context.port(port);
        new ClientAddressAnnouncer(context).start(); // for follower-redirect's -MOVED
        log.info("Redraft {} ready to accept connections on {}:{} ({}), data in {}", ServerContext.REDRAFT_VERSION,
                context.config().get("bind"), port, clientPort.usesEpoll() ? "epoll" : "nio", dir.toAbsolutePath());
        return port;
    }

    /**
     * Opens this node's Raft log (a fresh directory starts a group whose only voter is this node)
     * and waits until the keyspace holds every write the log had when the node stopped.
     */
    private RaftDriver openRaft(Path dir, String join, Map<Long, String> joinMembers, boolean askToJoin)
            throws IOException, InterruptedException {
        ServerConfig config = context.config();
        long nodeId = config.getLong("raft-node-id");
        JournalOptions options = JournalOptions.DEFAULT.withFsync(FsyncPolicy.parse(config.get("raft-fsync"))).withAppenderSyncs()
                .sizedForSnapshotsEvery(config.getLong("raft-snapshot-threshold"));
        Map<Long, InetSocketAddress> peers = RaftPeers.parse(config.get("raft-peers"));
        if (peers.isEmpty() && join.isEmpty()) {
            peers = KnownPeers.read(dir.resolve(RAFT_DIR), nodeId); // a cluster formed by RAFT.CLUSTER
        }
        String bindHost = bindHost();
        int raftPort = config.getInt("raft-port");
        if (!join.isEmpty()) {
            raftPort = announcedPeerPort();
            for (Map.Entry<Long, String> m : joinMembers.entrySet()) {
                peers.putAll(RaftPeers.parse(m.getKey() + "@" + m.getValue()));
            }
            int announced = config.getInt("raft-announce-port");
            peers.put(nodeId, new InetSocketAddress(bindHost, announced != 0 ? announced : raftPort));
        } else if (!peers.isEmpty() && !peers.containsKey(nodeId)) {
            throw new IOException("raft-peers does not name this node (raft-node-id " + nodeId + ")");
        }
        // A fresh directory's first configuration: this node alone, the raft-peers, or (joining)
        // none: the leader adds this node when asked.
        Membership initial = !join.isEmpty() ? Membership.EMPTY : peers.isEmpty() ? Membership.ofVoters(nodeId)
                : Membership.ofVoters(peers.keySet().stream().mapToLong(Long::longValue).toArray());
        SnapshotManager snapshots = new SnapshotManager(context, executor, dir.resolve(config.get("dbfilename")));
        // On a restart loading the snapshot and opening the log (which checks every record) each
        // take a second or more: they run side by side. Nothing else touches the keyspace yet.
        FutureTask<SnapshotHeader> loading = new FutureTask<>(snapshots::load);
        new Thread(loading, "snapshot-load").start();
        long openStart = System.nanoTime();
        JournalRaftStorage storage;
        try {
            storage = JournalRaftStorage.open(dir.resolve(RAFT_DIR), initial, options);
        } catch (IOException | RuntimeException e) {
            try {
                loading.get(); // the keyspace must not change under the caller after we return
            } catch (ExecutionException loadFailed) {
                e.addSuppressed(loadFailed.getCause());
            }
            throw e;
        }
        log.info("Raft log opened in {} ms: entries {}..{}", (System.nanoTime() - openStart) / 1_000_000,
                storage.firstIndex(), storage.lastIndex());
        boolean fresh = storage.lastIndex() == 0;
        RaftDriver driver = null;
        // The raft thread: the driver runs on it and the peer port serves its connections on it.
        EventLoopGroup raftLoop = NettyTransport.group(1, "raft");
        try {
            long applied = checkSnapshot(snapshots, awaitLoad(loading), storage, initial);
            if (!peers.isEmpty()) {
                peerPort = new PeerPort(nodeId, config.get("raft-cluster-id"), config.get("raft-cluster-password"), peers, raftLoop);
            } else {
                latePort = new LatePeerPort(nodeId, config.get("raft-cluster-id"), config.get("raft-cluster-password"), bindHost, raftLoop);
            }
            driver = new RaftDriver(RaftSettings.from(config, dir), storage, executor, applied,
                    peerPort == null ? latePort : peerPort, raftLoop);
            driver.snapshots(snapshots);
            snapshots.driver(driver);
            context.snapshots(snapshots);
            Map<Long, String> addresses = new HashMap<>();
            peers.forEach((id, a) -> addresses.put(id, RaftPeers.format(a)));
            driver.addresses(addresses);
            driver.followDirectory(context.directory()::view, join.isEmpty() ? addresses : Map.of());
            if (peerPort != null) {
                int bound = peerPort.start(driver, bindHost, raftPort != 0 ? raftPort : peers.get(nodeId).getPort());
                log.info("Raft peer port listening on {}; peers {}", bound, addresses);
            }
            if (!join.isEmpty() && fresh && askToJoin) {
                JoinRequest.requestAddition(join, nodeId, RaftPeers.format(peers.get(nodeId)));
                log.info("Asked {} to add node {} at {} to its cluster", join, nodeId, RaftPeers.format(peers.get(nodeId)));
            }
        } catch (IOException | RuntimeException | InterruptedException e) {
            if (peerPort != null) {
                peerPort.close();
                peerPort = null;
            }
            if (driver == null) {
                raftLoop.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            }
            storage.close();
            throw e;
        }
        executor.writePath(driver);
        context.raft(driver);
        RaftDriver d = driver;
        context.directory().onChange(book -> {
            d.directoryChanged(book);
            openLatePort(d, book);
            try {
                KnownPeers.write(dir.resolve(RAFT_DIR), book);
            } catch (IOException e) {
                log.warn("cannot save the address book to {}: {}", dir.resolve(RAFT_DIR), e.toString());
            }
        });
        long started = System.nanoTime();
        try {
            long applied = driver.start().get();
            log.info("Raft log replayed up to index {} in {} ms", applied, (System.nanoTime() - started) / 1_000_000);
            SortedMap<Long, String> book = context.directory().view();
            executor.thread().execute(() -> openLatePort(d, book)); // a book restored from the snapshot
        } catch (ExecutionException e) {
            driver.close();
            throw new IOException("replaying the Raft log failed", e.getCause());
        }
        return driver;
    }

    String bindHost() {
        return context.config().get("bind").split("\\s+")[0];
    }

    /** The peer port this node announces when it joins or forms a cluster: raft-port, else port + 10000. */
    int announcedPeerPort() throws IOException {
        ServerConfig config = context.config();
        if (config.getInt("raft-port") != 0) {
            return config.getInt("raft-port");
        }
        int client = context.port() != 0 ? context.port() : config.getInt("port");
        if (client == 0 || client + 10000 > 65535) {
            throw new IOException("raft-join needs raft-port (or a fixed port) to announce");
        }
        return client + 10000;
    }

    /** Whether this node has no peer port (neither raft-peers, a join, nor a book that lists it). */
    boolean peerPortClosed() {
        return peerPort == null && (latePort == null || !latePort.isOpen());
    }

    /**
     * A node of a cluster formed at run time (RAFT.CLUSTER) has no raft-peers: its peer port opens
     * when the applied book lists it, at the address the book gives (after INIT, after a restart).
     */
    private void openLatePort(RaftDriver driver, SortedMap<Long, String> book) {
        LatePeerPort late = latePort;
        String mine = book.get(context.config().getLong("raft-node-id"));
        if (late != null && mine != null && !late.isOpen()) {
            try {
                late.open(driver, mine);
                log.info("Raft peer port listening at {}", mine);
            } catch (InterruptedException | RuntimeException e) {
                log.error("cannot open the Raft peer port at {}", mine, e);
            }
        }
    }

    /** RAFT.CLUSTER INIT, keyspace thread: opens the peer port of this standalone node at address. */
    void openPeerPort(String address) throws InterruptedException {
        latePort.open(raft, address);
    }

    /**
     * RAFT.CLUSTER JOIN, keyspace thread (nothing runs meanwhile): drops this empty standalone
     * node's Raft log and snapshot and opens a new, empty log that waits to be added to the
     * cluster whose members (peer addresses) are given, as --raft-join does at start. Asking
     * for the addition is the caller's next step.
     */
    void rejoin(String joinAddress, Map<Long, String> members) throws IOException, InterruptedException {
        Path dir = Path.of(context.config().get("dir"));
        SnapshotManager old = context.snapshots();
        if (old != null) {
            old.abortRunning();
        }
        closePeers();
        raft.close();
        deleteTree(dir.resolve(RAFT_DIR));
        Files.deleteIfExists(dir.resolve(context.config().get("dbfilename")));
        executor.stateMachine().applyEmpty(0); // the cluster's log starts over from index 1
        raft = openRaft(dir, joinAddress, members, false);
    }

    private void closePeers() {
        if (peerPort != null) {
            peerPort.close();
            peerPort = null;
        }
        if (latePort != null) {
            latePort.close();
            latePort = null;
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var files = Files.walk(root)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The snapshot loading's header (null: no snapshot file), or the error that stopped it. */
    private static SnapshotHeader awaitLoad(FutureTask<SnapshotHeader> loading) throws IOException, InterruptedException {
        try {
            return loading.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException("loading the snapshot failed", e.getCause());
        }
    }

    /**
     * Makes the log agree with the loaded snapshot h (null: no snapshot file): a log that already
     * holds the snapshot's entry is kept (its tail is replayed on top), one that does not (a node
     * started from a snapshot file alone, or a crash between installing a leader's snapshot and
     * resetting the log) is reset to it. Returns the index the keyspace now holds.
     */
    private static long checkSnapshot(SnapshotManager snapshots, SnapshotHeader h, JournalRaftStorage storage,
                                      Membership initial) throws IOException {
        SnapshotMetadata logStart = storage.snapshotMetadata();
        if (h == null) {
            if (logStart.index() > 0) {
                throw new IOException("the Raft log starts after index " + logStart.index() + " but the snapshot "
                        + snapshots.file() + " that holds the entries before it is missing");
            }
            return 0;
        }
        if (h.index() < logStart.index()) {
            throw new IOException("the snapshot " + snapshots.file() + " holds index " + h.index()
                    + " but the Raft log was compacted up to " + logStart.index() + ": the newer snapshot is missing");
        }
        boolean logHoldsIt = h.index() <= storage.lastIndex() && storage.term(h.index()) == h.term();
        if (h.index() > 0 && !logHoldsIt) {
            Membership m = SnapshotManager.membershipOf(h);
            storage.applySnapshot(new SnapshotMetadata(h.index(), h.term(), m != null ? m : initial));
        }
        return h.index();
    }

    public ServerContext context() {
        return context;
    }

    public int port() {
        return context.port();
    }

    /** Blocks until the node has been closed (the server's threads are daemons: main waits here). */
    public void awaitTermination() throws InterruptedException {
        stopped.await();
    }

    @Override
    public synchronized void close() {
        if (stopped.getCount() == 0) {
            return;
        }
        log.info("Shutting down: closing the client port, the Raft log and the keyspace thread");
        clientPort.close();
        closePeers();
        if (raft != null) {
            raft.close();
        }
        executor.shutdown();
        // Logged before the count-down: Main stops logging as soon as awaitTermination returns.
        log.info("Redraft is now ready to exit, bye bye...");
        stopped.countDown();
    }
}
