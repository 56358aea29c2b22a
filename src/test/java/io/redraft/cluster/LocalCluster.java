package io.redraft.cluster;

import io.redraft.testing.FreePorts;
import io.redraft.testing.TestServer;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * N in-process nodes on loopback forming one Raft group from raft-peers (ids 1..N, node index
 * i is id i + 1), for the cluster feature tests (public for those in other packages, e.g. pub/sub).
 * Closing stops every node still running.
 */
public final class LocalCluster implements AutoCloseable {
    public final TestServer[] nodes;
    private final Path dir;
    private final String peers;
    private final String[] extra;

    public LocalCluster(Path dir, int n, String... extra) throws IOException {
        this.dir = dir;
        this.extra = extra;
        this.nodes = new TestServer[n];
        int[] ports = new int[n];
        for (int i = 0; i < n; i++) {
            ports[i] = FreePorts.pick();
        }
        peers = IntStream.range(0, n).mapToObj(i -> (i + 1) + "@127.0.0.1:" + ports[i]).collect(Collectors.joining(","));
        try {
            for (int i = 0; i < n; i++) {
                nodes[i] = start(i);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    TestServer start(int i) {
        String[] base = {"raft-node-id", Integer.toString(i + 1), "raft-peers", peers, "raft-tick-ms", "50",
                "raft-fsync", "always"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return TestServer.startIn(dir.resolve("node-" + (i + 1)), all);
    }

    /**
     * Starts node index i (id i + 1) in its own directory as a newcomer that asks to join through
     * node {@code via} (raft-join) on a fresh peer port, instead of being one of raft-peers.
     */
    TestServer startJoining(int i, int via) throws IOException {
        String[] base = {"raft-node-id", Integer.toString(i + 1), "raft-join", "127.0.0.1:" + nodes[via].port(),
                "raft-port", Integer.toString(FreePorts.pick()), "raft-tick-ms", "50"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return TestServer.startIn(dir.resolve("node-" + (i + 1)), all);
    }

    /** Stops node i and deletes its directory (journal, snapshots), as if its disk were lost. */
    void wipe(int i) throws IOException {
        stop(i);
        try (Stream<Path> files = Files.walk(dir.resolve("node-" + (i + 1)))) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    void stop(int i) {
        nodes[i].close();
        nodes[i] = null;
    }

    Jedis jedis(int i) {
        return nodes[i].jedis();
    }


    static String raftInfo(Jedis j) {
        return new String((byte[]) j.sendCommand(() -> "RAFT.INFO".getBytes()));
    }

    static long infoLong(String info, String field) {
        return Long.parseLong(infoField(info, field));
    }

    static String infoField(String info, String field) {
        for (String line : info.split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        return fail("no " + field + " in " + info);
    }

    String raftInfo(int i) {
        try (Jedis j = jedis(i)) {
            return raftInfo(j);
        }
    }

    /** Node i's RAFT.INFO, or "" while it cannot answer (stopped, restarting). */
    String infoOrEmpty(int i) {
        try {
            return raftInfo(i);
        } catch (JedisException e) {
            return "";
        }
    }

    /** Waits up to 30 s until node i's RAFT.INFO contains text. */
    void awaitInfo(int i, String text) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!infoOrEmpty(i).contains(text)) {
            assertTrue(System.nanoTime() < deadline, "node " + (i + 1) + " never showed " + text + ":\n" + infoOrEmpty(i));
            sleep(50);
        }
    }

    /**
     * Repeats write until it returns (up to 20 s while it throws, e.g. during an election); its
     * reply must be OK.
     */
    static void retryUntilOk(Supplier<String> write) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                assertEquals("OK", write.get());
                return;
            } catch (JedisException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                sleep(50);
            }
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The index of the leader once every running node names it and a write through each succeeds. */
    int awaitLeader() {
        awaitTrue("no stable leader", () -> agreedLeader() >= 0 && writesSucceedEverywhere());
        return agreedLeader();
    }

    private int agreedLeader() {
        long leaderId = -1;
        for (int i = 0; i < nodes.length; i++) {
            if (nodes[i] == null) {
                continue;
            }
            long id;
            try {
                id = infoLong(raftInfo(i), "raft_leader_id");
            } catch (JedisException e) {
                return -1;
            }
            if (id == 0 || (leaderId != -1 && id != leaderId)) {
                return -1;
            }
            leaderId = id;
        }
        return (int) leaderId - 1;
    }

    private boolean writesSucceedEverywhere() {
        for (TestServer n : nodes) {
            if (n == null) {
                continue;
            }
            try (Jedis j = n.jedis()) {
                j.set("probe", "x");
            } catch (JedisException e) {
                return false;
            }
        }
        return true;
    }

    /** Polls every 20 ms for up to 30 s. */
    static void awaitTrue(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (JedisException e) {
                // not yet
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
        fail(what + " within 30 s");
    }

    @Override
    public void close() {
        for (int i = 0; i < nodes.length; i++) {
            if (nodes[i] != null) {
                nodes[i].close();
                nodes[i] = null;
            }
        }
    }
}
