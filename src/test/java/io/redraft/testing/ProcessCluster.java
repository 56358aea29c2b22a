package io.redraft.testing;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Redraft nodes, each its own JVM ({@link ServerProcess}) on loopback, that form one Raft group
 * directly (no proxy in between: see the jepsen package for one with faults on the network).
 *
 * <p>Nodes are known by their Raft id. Each id gets a peer port picked once, because peers address
 * each other by it across restarts; the client port changes at every start. Elections are fast
 * (raft-tick-ms 50: a follower stands after 0.5–1 s of silence) and a request gives up after 2 s,
 * so a fault shows as an error quickly. Everything started is killed by PID in {@link #close}.
 */
public final class ProcessCluster implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Pattern LEADER = Pattern.compile("raft_leader_id:(\\d+)");
    private static final Pattern ROLE = Pattern.compile("raft_role:(\\w+)");

    private final Path root;
    private final List<String> common;
    /** Nodes 1..size start from raft-peers. */
    private final int size;
    /** Peer port of every id ever started here. */
    private final Map<Integer, Integer> peerPorts = new TreeMap<>();
    /** The process now (or last) running for each id; a killed one stays until restarted. */
    private final Map<Integer, ServerProcess> nodes = new TreeMap<>();
    /** Every process ever started, so close() misses none. */
    private final List<ServerProcess> started = new ArrayList<>();

    private ProcessCluster(Path root, int size, List<String> common) {
        this.root = root;
        this.size = size;
        this.common = common;
    }

    /**
     * Starts nodes 1..size from raft-peers (in parallel: each JVM takes seconds) and waits until
     * they agree on a leader and take a write through each of them. {@code extra} are server
     * options every node of this cluster gets ({@code --name value}).
     */
    public static ProcessCluster start(Path root, int size, String... extra) throws IOException {
        List<String> common = new ArrayList<>(List.of("--raft-tick-ms", "50", "--raft-request-timeout", "2000"));
        common.addAll(List.of(extra));
        ProcessCluster c = new ProcessCluster(root, size, common);
        try {
            for (int id = 1; id <= size; id++) {
                c.peerPorts.put(id, FreePorts.pick());
            }
            for (int id = 1; id <= size; id++) {
                c.launch(id, c.staticArgs(id));
            }
            for (int id = 1; id <= size; id++) {
                c.node(id).awaitReady(READY_TIMEOUT);
            }
            c.awaitHealthy(Duration.ofSeconds(60));
        } catch (IOException | RuntimeException | Error e) {
            c.close();
            throw e;
        }
        return c;
    }


    /** raft-peers naming the nodes this cluster was started with (later ones join). */
    private String peers() {
        StringBuilder sb = new StringBuilder();
        for (int id = 1; id <= size; id++) {
            sb.append(id == 1 ? "" : ",").append(id).append("@127.0.0.1:").append(peerPorts.get(id));
        }
        return sb.toString();
    }

    private List<String> staticArgs(int id) {
        return List.of("--raft-node-id", Integer.toString(id), "--raft-peers", peers(),
                "--raft-port", Integer.toString(peerPorts.get(id)));
    }

    private synchronized ServerProcess launch(int id, List<String> args) throws IOException {
        List<String> all = new ArrayList<>(common);
        all.addAll(args);
        ServerProcess p = ServerProcess.start(dir(id), all.toArray(String[]::new));
        nodes.put(id, p);
        started.add(p);
        return p;
    }

    public Path dir(int id) {
        return root.resolve("node-" + id);
    }

    public synchronized ServerProcess node(int id) {
        ServerProcess p = nodes.get(id);
        if (p == null) {
            throw new IllegalArgumentException("no node " + id);
        }
        return p;
    }

    /** Ids of the nodes whose process is alive. */
    public synchronized List<Integer> running() {
        List<Integer> ids = new ArrayList<>();
        nodes.forEach((id, p) -> {
            if (p.isAlive()) {
                ids.add(id);
            }
        });
        return ids;
    }

    /** The peer port of node id, picked now if the id is new (to name it in RAFT.NODE ADD before it starts). */
    public synchronized int peerPort(int id) throws IOException {
        Integer port = peerPorts.get(id);
        if (port == null) {
            port = FreePorts.pick();
            peerPorts.put(id, port);
        }
        return port;
    }

    /** SIGKILL by PID; waits until the process is gone. */
    public void kill9(int id) {
        node(id).kill9();
    }

    /** Starts node id again on its data directory, as it first started, and waits until it answers. */
    public ServerProcess restart(int id, String... extra) throws IOException {
        List<String> args = new ArrayList<>(staticArgs(id));
        args.addAll(List.of(extra));
        ServerProcess p = launch(id, args);
        p.awaitReady(READY_TIMEOUT);
        return p;
    }

    /**
     * Starts node id on an empty data directory with {@code --raft-join} through the client port
     * of node {@code via}: it asks to be added, enters as a learner and catches up. Returns once
     * it answers PING (not once it is a voter).
     */
    public synchronized ServerProcess join(int id, int via, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("--raft-node-id", Integer.toString(id),
                "--raft-join", "127.0.0.1:" + node(via).port(), "--raft-port", Integer.toString(peerPort(id))));
        args.addAll(List.of(extra));
        ServerProcess p = launch(id, args);
        p.awaitReady(READY_TIMEOUT);
        return p;
    }

    /** Deletes node id's data directory (the node must be stopped). */
    public void wipe(int id) throws IOException {
        if (node(id).isAlive()) {
            throw new IllegalStateException("node " + id + " is running");
        }
        Path d = dir(id);
        if (Files.exists(d)) {
            try (Stream<Path> files = Files.walk(d)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** A new connection to node id (10 s socket timeout). */
    public Jedis jedis(int id) {
        return node(id).jedis();
    }

    /** RAFT.INFO of node id, or null when it is down or does not answer within 2 s. */
    public String raftInfo(int id) {
        ServerProcess p = node(id);
        if (!p.isAlive()) {
            return null;
        }
        try (Jedis j = new Jedis("127.0.0.1", p.port(), 2_000)) {
            return new String((byte[]) j.sendCommand(() -> "RAFT.INFO".getBytes()));
        } catch (JedisException | IllegalStateException e) {
            return null;
        }
    }

    /** A numeric field of RAFT.INFO (e.g. "raft_snapshot_index"), -1 when absent or down. */
    public long raftField(int id, String name) {
        String info = raftInfo(id);
        if (info == null) {
            return -1;
        }
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + ":(-?\\d+)").matcher(info);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** The id of a running node that says it leads, or 0. */
    public int leader() {
        for (int id : running()) {
            String info = raftInfo(id);
            Matcher m = info == null ? null : ROLE.matcher(info);
            if (m != null && m.find() && m.group(1).equals("leader")) {
                return id;
            }
        }
        return 0;
    }

    /**
     * Waits until every running node names the same leader and a write through each of them
     * succeeds; returns the leader's id.
     */
    public int awaitHealthy(Duration timeout) {
        String[] last = {""};
        long[] leader = {0};
        awaitCondition(timeout, () -> last[0], () -> {
            leader[0] = 0;
            for (int id : running()) {
                String info = raftInfo(id);
                Matcher m = info == null ? null : LEADER.matcher(info);
                long named = m != null && m.find() ? Long.parseLong(m.group(1)) : 0;
                last[0] = "node " + id + ": " + (info == null ? "no answer" : "leader " + named);
                if (named == 0 || (leader[0] != 0 && named != leader[0])) {
                    return false;
                }
                leader[0] = named;
            }
            return leader[0] != 0 && probeWrites();
        });
        return (int) leader[0];
    }

    private boolean probeWrites() {
        for (int id : running()) {
            try (Jedis j = new Jedis("127.0.0.1", node(id).port(), 5_000)) {
                j.set("probe:" + id, "ok");
            } catch (JedisException e) {
                return false;
            }
        }
        return true;
    }

    /** Polls condition every 50 ms until it holds; fails with what() after timeout. */
    public static void awaitCondition(Duration timeout, Supplier<String> what, BooleanSupplier condition) {
        if (!poll(timeout, condition)) {
            throw new AssertionError("not within " + timeout + ": " + what.get());
        }
    }

    /** Polls condition every 50 ms until it holds (true) or timeout has passed (false). */
    public static boolean poll(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return true;
    }

    /** Kills every process this cluster started (by PID), whatever state the test left it in. */
    @Override
    public synchronized void close() {
        for (ServerProcess p : started) {
            p.close();
        }
    }
}
