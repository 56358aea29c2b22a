package io.redraft.server;

import io.redraft.cluster.CommandExecutor;
import io.redraft.command.CommandTable;
import io.redraft.pubsub.PubSubRegistry;
import io.redraft.store.Keyspace;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The parts of a running node that commands may reach: configuration, the command table, the
 * keyspace, the clients, statistics, and the executor that owns the keyspace thread.
 */
public final class ServerContext {
    public static final String VERSION = "7.0.0";
    public static final String REDRAFT_VERSION = "0.1.0";

    private final ServerConfig config;
    private final CommandTable table;
    private final Keyspace keyspace;
    private final ClientRegistry clients = new ClientRegistry();
    private final ServerStats stats = new ServerStats();
    private final long startTimeMillis = System.currentTimeMillis();
    private final String runId;
    private volatile int port;
    private CommandExecutor executor;
    private final ClientPause pause = new ClientPause(this);
    private final SlowLog slowLog;
    private final LatencyMonitor latency;
    private final PubSubRegistry pubsub;
    /** DEBUG SET-ACTIVE-EXPIRE: whether the cron proposes deletions of expired keys. */
    private volatile boolean activeExpire = true;

    public ServerContext(ServerConfig config, CommandTable table) {
        this.config = config;
        this.table = table;
        this.keyspace = new Keyspace(config.getInt("databases"));
        byte[] id = new byte[20];
        new SecureRandom().nextBytes(id);
        this.runId = HexFormat.of().formatHex(id);
        this.slowLog = new SlowLog(config);
        this.latency = new LatencyMonitor(config);
        this.pubsub = new PubSubRegistry(this); // last: it registers close/reset listeners
    }

    /** Pub/Sub subscriptions of this node's clients (keyspace thread). */
    public PubSubRegistry pubsub() {
        return pubsub;
    }

    private volatile io.redraft.cluster.RaftDriver raft;
    private final io.redraft.cluster.ClusterDirectory directory = new io.redraft.cluster.ClusterDirectory();

    private volatile io.redraft.cluster.SnapshotManager snapshots;

    /** The node's keyspace snapshots; null until the log is open. */
    public io.redraft.cluster.SnapshotManager snapshots() {
        return snapshots;
    }

    public void snapshots(io.redraft.cluster.SnapshotManager m) {
        this.snapshots = m;
    }

    /** The replicated address book of the cluster's nodes (keyspace thread). */
    public io.redraft.cluster.ClusterDirectory directory() {
        return directory;
    }

    private volatile ClusterFormation formation;

    /** RAFT.CLUSTER INIT / JOIN; null until the log is open. */
    public ClusterFormation formation() {
        return formation;
    }

    void formation(ClusterFormation f) {
        this.formation = f;
    }

    /** This node's Raft driver; null until the log is open. */
    public io.redraft.cluster.RaftDriver raft() {
        return raft;
    }

    public void raft(io.redraft.cluster.RaftDriver driver) {
        this.raft = driver;
    }

    /** CLIENT PAUSE state (keyspace thread). */
    public ClientPause pause() {
        return pause;
    }

    public SlowLog slowLog() {
        return slowLog;
    }

    public LatencyMonitor latency() {
        return latency;
    }

    public boolean activeExpire() {
        return activeExpire;
    }

    private volatile Runnable shutdownAction = () -> { };

    /** What SHUTDOWN runs: set by the node that owns this context. */
    public void onShutdown(Runnable action) {
        this.shutdownAction = action;
    }

    /** Stops the node from another thread (the caller may be the keyspace thread, which stopping joins). */
    public void requestShutdown() {
        Thread t = new Thread(shutdownAction, "shutdown");
        t.setDaemon(false);
        t.start();
    }

    public void activeExpire(boolean enabled) {
        this.activeExpire = enabled;
    }

    public ServerConfig config() {
        return config;
    }

    public CommandTable table() {
        return table;
    }

    public Keyspace keyspace() {
        return keyspace;
    }

    public ClientRegistry clients() {
        return clients;
    }

    public ServerStats stats() {
        return stats;
    }

    public long startTimeMillis() {
        return startTimeMillis;
    }

    /** LASTSAVE: the last snapshot's time in seconds; the start time until one is saved. */
    public long lastSaveSeconds() {
        io.redraft.cluster.SnapshotManager m = snapshots;
        return m == null ? startTimeMillis / 1000 : m.lastSaveSeconds();
    }

    public String runId() {
        return runId;
    }

    /** The client port actually bound (differs from the configured one when that was 0). */
    public int port() {
        return port;
    }

    public void port(int port) {
        this.port = port;
    }

    public CommandExecutor executor() {
        return executor;
    }

    public void executor(CommandExecutor executor) {
        this.executor = executor;
    }

    /** Listeners told on the keyspace thread when a client disconnects (pub/sub, blocking, WATCH). */
    private final java.util.List<java.util.function.Consumer<ClientSession>> closeListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    public void onSessionClosed(java.util.function.Consumer<ClientSession> listener) {
        closeListeners.add(listener);
    }

    /** Listeners told on the keyspace thread when a client sends RESET (MULTI, WATCH, pub/sub, tracking state). */
    private final java.util.List<java.util.function.Consumer<ClientSession>> resetListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    public void onSessionReset(java.util.function.Consumer<ClientSession> listener) {
        resetListeners.add(listener);
    }

    /** Called by RESET on the keyspace thread: every family drops the per-connection state it keeps. */
    public void sessionReset(ClientSession session) {
        for (java.util.function.Consumer<ClientSession> l : resetListeners) {
            l.accept(session);
        }
    }

    /** Called on the keyspace thread once a client's connection is closed. */
    public void sessionClosed(ClientSession session) {
        for (java.util.function.Consumer<ClientSession> l : closeListeners) {
            l.accept(session);
        }
        session.release();
    }
}
