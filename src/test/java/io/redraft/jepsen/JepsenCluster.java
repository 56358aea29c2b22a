package io.redraft.jepsen;

import io.redraft.testing.ServerProcess;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

import java.io.IOException;
import java.net.ServerSocket;
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
    private static final Pattern LEADER = Pattern.compile("raft_leader_id:(\\d+)");
    private static final Pattern ROLE = Pattern.compile("raft_role:(\\w+)");

    private final Path root;
    /** What the nodes know each other by: the proxies' ports. */
    private final String peers;
    /** Where each node really listens for peers (raft-port), behind its proxy. */
    private final int[] peerPorts;
    private final Network network;
    private final ServerProcess[] nodes;
    private final boolean[] paused;
    /** Every log file of every start, for the artifacts of a failed run. */
    private final List<Path> logs = new ArrayList<>();

    private JepsenCluster(Path root, int size) throws IOException {
        this.root = root;
        StringBuilder sb = new StringBuilder();
        int[] proxied = new int[size];
        this.peerPorts = new int[size];
        for (int i = 0; i < size; i++) {
            proxied[i] = freePort();
            peerPorts[i] = freePort();
            sb.append(i == 0 ? "" : ",").append(i + 1).append("@127.0.0.1:").append(proxied[i]);
        }
        this.peers = sb.toString();
        this.network = new Network(proxied, peerPorts);
        this.nodes = new ServerProcess[size];
        this.paused = new boolean[size];
    }

    /** Starts every node (in parallel: each JVM takes seconds) and waits for a working leader. */
    static JepsenCluster start(Path root, int size) throws IOException {
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

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private synchronized void launch(int i) throws IOException {
        List<String> args = new ArrayList<>(List.of("--raft-node-id", Integer.toString(i + 1), "--raft-peers", peers,
                "--raft-port", Integer.toString(peerPorts[i]), "--raft-tick-ms", "50", "--raft-request-timeout", "2000"));
        args.addAll(EXTRA_ARGS);
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

    /** Starts node i again on its data directory and waits until it answers. */
    void restart(int i) throws IOException {
        launch(i);
        node(i).awaitReady(READY_TIMEOUT);
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
