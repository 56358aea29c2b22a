package io.redraft.jepsen;

import io.redraft.testing.FreePorts;
import io.redraft.testing.ServerProcess;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cluster of Redraft nodes, each its own JVM ({@link ServerProcess}) on loopback, that the
 * nemesis kills, restarts, pauses and resumes. Node i (0-based) has Raft id i + 1, a fixed peer
 * port (picked once: the peers list must not change across restarts) and a client port that
 * changes at each restart. Elections are fast (raft-tick-ms 50, so a follower stands after
 * 0.5–1 s of silence) and a write gives up after 2 s, so faults show up as errors quickly.
 */
final class JepsenCluster implements AutoCloseable {
    /** Fault-free elections take a few rounds while connections come up; restarts replay a log. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    /**
     * More server options for every node, space separated ({@code -Djepsen.serverArgs="--read-consistency stale"}):
     * to soak other settings, or to check that the checkers catch a configuration known to be unsafe.
     */
    private static final List<String> EXTRA_ARGS = List.of(System.getProperty("jepsen.serverArgs", "").trim().split("\\s+"))
            .stream().filter(a -> !a.isEmpty()).toList();
    /**
     * Small, so that snapshots and log compaction happen many times per run: lagging or rejoining
     * followers catch up from a snapshot, restarts load a snapshot and replay the log's tail.
     */
    static final int SNAPSHOT_THRESHOLD = Integer.getInteger("jepsen.snapshotThreshold", 400);
    private static final Pattern LEADER = Pattern.compile("raft_leader_id:(\\d+)");
    private static final Pattern ROLE = Pattern.compile("raft_role:(\\w+)");

    private final Path root;
    /** What the nodes know each other by: the proxies' ports. */
    private final String peers;
    /** Where each node really listens for peers (raft-port), behind its proxy. */
    private final int[] peerPorts;
    /** Where the others reach each node: its proxy's port. */
    private final int[] proxiedPorts;
    private final Network network;
    private final ServerProcess[] nodes;
    private final boolean[] paused;
    /** Removed from the cluster and wiped: the next start joins (raft-join) instead of restarting. */
    private final boolean[] mustJoin;
    /** Every log file of every start, for the artifacts of a failed run. */
    private final List<Path> logs = new ArrayList<>();

    private JepsenCluster(Path root, int size) throws IOException {
        this.root = root;
        StringBuilder sb = new StringBuilder();
        int[] proxied = new int[size];
        this.peerPorts = new int[size];
        for (int i = 0; i < size; i++) {
            proxied[i] = FreePorts.pick();
            peerPorts[i] = FreePorts.pick();
            sb.append(i == 0 ? "" : ",").append(i + 1).append("@127.0.0.1:").append(proxied[i]);
        }
        this.peers = sb.toString();
        this.network = new Network(proxied, peerPorts);
        this.nodes = new ServerProcess[size];
        this.paused = new boolean[size];
        this.mustJoin = new boolean[size];
        this.proxiedPorts = proxied;
    }

    /** Starts every node (in parallel: each JVM takes seconds) and waits for a working leader. */
    static JepsenCluster start(Path root, int size) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(root.resolve("attempt-" + attempt), size);
            } catch (IllegalStateException e) {
                // The peer ports are picked free, then bound by the nodes a moment later: on a shared
                // machine another process may take one meanwhile. Not the cluster's fault: new ports.
                if (attempt == 3 || !String.valueOf(e.getMessage()).contains("Address already in use")) {
                    throw e;
                }
                System.out.println("JEPSEN: a picked port was taken meanwhile; starting the cluster again on others");
            }
        }
    }

    private static JepsenCluster startOnce(Path root, int size) throws IOException {
        JepsenCluster c = new JepsenCluster(root, size);
        try {
            for (int i = 0; i < size; i++) {
                c.launch(i);
            }
            for (int i = 0; i < size; i++) {
                c.node(i).awaitReady(READY_TIMEOUT);
            }
            c.awaitHealthy(Duration.ofSeconds(60));
        } catch (RuntimeException | IOException e) {
            c.close();
            throw e;
        }
        return c;
    }


    private synchronized void launch(int i) throws IOException {
        List<String> args = new ArrayList<>(List.of("--raft-node-id", Integer.toString(i + 1), "--raft-peers", peers));
        args.addAll(commonArgs(i));
        spawn(i, args);
    }

    /** Arguments of every start of node i: its real peer port, fast elections, frequent snapshots. */
    private List<String> commonArgs(int i) {
        List<String> args = new ArrayList<>(List.of("--raft-port", Integer.toString(peerPorts[i]), "--raft-tick-ms", "50",
                "--raft-request-timeout", "2000", "--raft-snapshot-threshold", Integer.toString(SNAPSHOT_THRESHOLD)));
        args.addAll(EXTRA_ARGS);
        return args;
    }

    private synchronized void spawn(int i, List<String> args) throws IOException {
        ServerProcess p = ServerProcess.start(root.resolve("node-" + (i + 1)), args.toArray(String[]::new));
        nodes[i] = p;
        paused[i] = false;
        logs.add(p.logFile());
    }

    int size() {
        return nodes.length;
    }

    private synchronized ServerProcess node(int i) {
        return nodes[i];
    }

    /** The client port of node i, or -1 while it is down (a paused node keeps its port: clients hang on it). */
    synchronized int port(int i) {
        ServerProcess p = nodes[i];
        if (p == null || !p.isAlive()) {
            return -1;
        }
        try {
            return p.port();
        } catch (IllegalStateException notReady) {
            return -1;
        }
    }

    synchronized boolean isUp(int i) {
        return nodes[i] != null && nodes[i].isAlive() && !paused[i];
    }

    void kill9(int i) {
        node(i).kill9();
    }

    /** Starts node i again on its data directory and waits until it answers (a wiped node joins through any member). */
    void restart(int i) throws IOException {
        boolean join;
        synchronized (this) {
            join = mustJoin[i];
        }
        if (join) {
            rejoin(i, anyOtherUp(i));
            return;
        }
        launch(i);
        node(i).awaitReady(READY_TIMEOUT);
    }

    private int anyOtherUp(int i) {
        for (int k = 1; k < nodes.length; k++) {
            int other = (i + k) % nodes.length;
            if (isUp(other)) {
                return other;
            }
        }
        throw new IllegalStateException("no node is up for node " + (i + 1) + " to join through");
    }

    /**
     * Deletes node i's data directory (the node must be down, and removed from the cluster: a
     * wiped voter would forget its vote and log). Its next start joins as a new member.
     */
    void wipe(int i) throws IOException {
        ServerProcess p = node(i);
        if (p.isAlive()) {
            throw new IllegalStateException("node " + (i + 1) + " is running: kill it before wiping its data");
        }
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(p.dir())) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(f);
            }
        }
        synchronized (this) {
            mustJoin[i] = true;
        }
    }

    /**
     * Starts wiped node i with {@code raft-join} through node {@code via}'s client port; it announces
     * its proxy's port, so partitions still cut it off. Waits until it answers (it has asked to be added).
     */
    void rejoin(int i, int via) throws IOException {
        List<String> args = new ArrayList<>(List.of("--raft-node-id", Integer.toString(i + 1), "--raft-join",
                "127.0.0.1:" + port(via), "--raft-announce-port", Integer.toString(proxiedPorts[i])));
        args.addAll(commonArgs(i));
        spawn(i, args);
        node(i).awaitReady(READY_TIMEOUT);
        synchronized (this) {
            mustJoin[i] = false;
        }
    }

    /**
     * RAFT.NODE REMOVE node i, sent through node {@code via} and retried while the outcome is
     * unknown or the cluster cannot take it; returns the reply ("not in the cluster" once it is gone).
     */
    String remove(int i, int via, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try (Jedis j = connect(via, 5_000)) {
                Object reply = j.sendCommand(() -> "RAFT.NODE".getBytes(), "REMOVE", Integer.toString(i + 1));
                return new String((byte[]) reply);
            } catch (JedisException | IllegalStateException e) {
                last = e.getMessage();
                if (last != null && last.contains("is not in the cluster")) {
                    return last;
                }
            }
            sleep(200);
        }
        throw new IllegalStateException("RAFT.NODE REMOVE " + (i + 1) + " did not succeed within " + timeout + ": " + last);
    }

    /**
     * Waits until a leader other than node i reports node i's membership: absent (role null) or
     * with the given role ("voter", "learner").
     */
    void awaitMembership(int i, String role, Duration timeout) {
        Pattern member = Pattern.compile("raft_member_" + (i + 1) + ":[^\\r\\n]*?\\brole=(\\w+)");
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no leader";
        while (System.nanoTime() < deadline) {
            for (int k = 0; k < nodes.length; k++) {
                String info = k == i ? null : raftInfo(k);
                Matcher r = info == null ? null : ROLE.matcher(info);
                if (r != null && r.find() && r.group(1).equals("leader")) {
                    Matcher m = member.matcher(info);
                    String now = m.find() ? m.group(1) : null;
                    if (java.util.Objects.equals(now, role)) {
                        return;
                    }
                    last = "node " + (k + 1) + " leads; node " + (i + 1) + " is " + (now == null ? "not a member" : "a " + now);
                }
            }
            sleep(100);
        }
        throw new IllegalStateException("node " + (i + 1) + " not " + (role == null ? "removed" : "a " + role)
                + " after " + timeout + " (" + last + ")");
    }

    /** BGSAVE on node i; returns its reply or the error. */
    String bgsave(int i) {
        try (Jedis j = connect(i, 5_000)) {
            return j.bgsave();
        } catch (JedisException | IllegalStateException e) {
            return e.getMessage();
        }
    }

    /** Waits up to timeout for node i's snapshot in progress to end; returns its raft_snapshot_index, or null. */
    String awaitSnapshot(int i, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Jedis j = connect(i, 5_000)) {
                if (j.info("persistence").contains("rdb_bgsave_in_progress:0")) {
                    Matcher m = Pattern.compile("raft_snapshot_index:(\\d+)").matcher(raftInfo(i));
                    return m.find() ? m.group(1) : null;
                }
            } catch (JedisException | IllegalStateException | NullPointerException e) {
                return null;
            }
            sleep(50);
        }
        return null;
    }

    void pause(int i) {
        ServerProcess p = node(i);
        synchronized (this) {
            paused[i] = true;
        }
        p.pause();
    }

    void resume(int i) {
        node(i).resume();
        synchronized (this) {
            paused[i] = false;
        }
    }

    Network network() {
        return network;
    }

    /** Ends any fault: heals the network, resumes paused nodes and restarts dead ones. */
    void heal() throws IOException {
        network.heal();
        for (int i = 0; i < nodes.length; i++) {
            boolean wasPaused;
            synchronized (this) {
                wasPaused = paused[i];
            }
            if (wasPaused) {
                resume(i);
            }
            if (port(i) < 0 && !node(i).isAlive()) {
                restart(i);
            }
        }
    }

    Jedis connect(int i, int timeoutMillis) {
        int port = port(i);
        if (port < 0) {
            throw new IllegalStateException("node " + (i + 1) + " is down");
        }
        return new Jedis("127.0.0.1", port, timeoutMillis);
    }

    /** RAFT.INFO of node i, or null when it does not answer within a second. */
    String raftInfo(int i) {
        if (!isUp(i)) {
            return null;
        }
        try (Jedis j = connect(i, 1_000)) {
            return new String((byte[]) j.sendCommand(() -> "RAFT.INFO".getBytes()));
        } catch (JedisException | IllegalStateException e) {
            return null;
        }
    }

    /** Index of a node that says it leads, or -1. */
    int leader() {
        for (int i = 0; i < nodes.length; i++) {
            String info = raftInfo(i);
            if (info != null) {
                Matcher m = ROLE.matcher(info);
                if (m.find() && m.group(1).equals("leader")) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** Asks the leader to hand over to node {@code to}; returns its reply or the error. */
    String transferLeadership(int from, int to) {
        try (Jedis j = connect(from, 2_000)) {
            Object reply = j.sendCommand(() -> "RAFT.TRANSFER-LEADER".getBytes(), Integer.toString(to + 1));
            return String.valueOf(reply);
        } catch (JedisException | IllegalStateException e) {
            return e.getMessage();
        }
    }

    /**
     * Waits until every node is up, all name the same leader, and a write through each node
     * succeeds (the address book is written after the first election).
     */
    void awaitHealthy(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            long leader = -1;
            boolean agreed = true;
            for (int i = 0; i < nodes.length && agreed; i++) {
                String info = raftInfo(i);
                Matcher m = info == null ? null : LEADER.matcher(info);
                long id = m != null && m.find() ? Long.parseLong(m.group(1)) : 0;
                agreed = id != 0 && (leader == -1 || id == leader);
                leader = id;
                last = "node " + (i + 1) + ": " + (info == null ? "no answer" : "leader " + id);
            }
            if (agreed && probeWrites()) {
                return;
            }
            sleep(100);
        }
        throw new IllegalStateException("cluster not healthy after " + timeout + " (" + last + ")");
    }

    private boolean probeWrites() {
        for (int i = 0; i < nodes.length; i++) {
            try (Jedis j = connect(i, 5_000)) {
                j.set("jepsen:probe", "node-" + (i + 1));
            } catch (JedisException | IllegalStateException e) {
                return false;
            }
        }
        return true;
    }

    synchronized List<Path> logs() {
        return List.copyOf(logs);
    }

    @Override
    public void close() {
        for (int i = 0; i < nodes.length; i++) {
            ServerProcess p = node(i);
            if (p != null) {
                if (p.isAlive()) {
                    synchronized (this) {
                        if (paused[i]) {
                            p.resume(); // a stopped process still dies of SIGKILL; resuming keeps it simple
                        }
                    }
                }
                p.close();
            }
        }
        network.close();
    }

    static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
