package io.redraft.cluster;

import io.redraft.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Three in-process nodes on loopback forming one Raft group through their peer ports: writes
 * through any node, linearizable reads on every node, a leader's loss and its return.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ThreeNodeClusterTest {
    @TempDir
    Path dir;
    private final int[] peerPorts = new int[3];
    private final TestServer[] nodes = new TestServer[3];
    private String peers;

    @BeforeEach
    void startCluster() throws IOException {
        for (int i = 0; i < 3; i++) {
            peerPorts[i] = freePort();
        }
        peers = IntStream.range(0, 3).mapToObj(i -> (i + 1) + "@127.0.0.1:" + peerPorts[i]).collect(Collectors.joining(","));
        for (int i = 0; i < 3; i++) {
            nodes[i] = start(i);
        }
    }

    @AfterEach
    void stopCluster() {
        for (TestServer n : nodes) {
            if (n != null) {
                n.close();
            }
        }
    }

    private TestServer start(int i) {
        return TestServer.startIn(dir.resolve("node-" + (i + 1)), "raft-node-id", Integer.toString(i + 1),
                "raft-peers", peers, "raft-tick-ms", "50", "raft-fsync", "always");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * Index of the leader, once every running node names the same one and a write through each
     * of them succeeds (elections at start may take a few rounds while connections come up).
     */
    private int awaitLeader() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            int leader = agreedLeader();
            if (leader >= 0 && probeWritesSucceed()) {
                return leader;
            }
            sleep(50);
        }
        return fail("no stable leader within 30 s");
    }

    private int agreedLeader() {
        long leaderId = -1;
        for (TestServer n : nodes) {
            if (n == null) {
                continue;
            }
            long id;
            try (Jedis j = n.jedis()) {
                String info = new String((byte[]) j.sendCommand(() -> "RAFT.INFO".getBytes()));
                id = Long.parseLong(info.replaceAll("(?s).*raft_leader_id:(\\d+).*", "$1"));
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

    private boolean probeWritesSucceed() {
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

    @Test
    void writesThroughAnyNodeAreReadOnEveryNode() {
        awaitLeader();
        for (int i = 0; i < 3; i++) {
            try (Jedis j = nodes[i].jedis()) {
                assertEquals("OK", j.set("k" + i, "v" + i));
                assertEquals("v" + i, j.get("k" + i), "read your write through node " + (i + 1));
            }
        }
        for (int n = 0; n < 3; n++) {
            try (Jedis j = nodes[n].jedis()) {
                for (int i = 0; i < 3; i++) {
                    assertEquals("v" + i, j.get("k" + i), "node " + (n + 1) + " reads k" + i);
                }
            }
        }
    }

    @Test
    void concurrentIncrementsThroughEveryNodeAreEachAppliedOnce() throws Exception {
        awaitLeader();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int n = 0; n < 3; n++) {
                int node = n;
                done.add(pool.submit(() -> {
                    try (Jedis j = nodes[node].jedis()) {
                        for (int k = 0; k < 200; k++) {
                            j.incr("counter");
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (int n = 0; n < 3; n++) {
            try (Jedis j = nodes[n].jedis()) {
                assertEquals("600", j.get("counter"), "node " + (n + 1));
            }
        }
    }

    /**
     * Optimistic increments with WATCH through every node at once: a transaction whose watched
     * key another node changed must abort everywhere, so none is lost and none counted twice.
     */
    @Test
    void watchedIncrementsThroughEveryNodeLoseNothing() throws Exception {
        awaitLeader();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int n = 0; n < 3; n++) {
                int node = n;
                done.add(pool.submit(() -> {
                    try (Jedis j = nodes[node].jedis()) {
                        for (int k = 0; k < 40; ) {
                            j.watch("cas");
                            String v = j.get("cas");
                            redis.clients.jedis.Transaction t = j.multi();
                            t.set("cas", Integer.toString(v == null ? 1 : Integer.parseInt(v) + 1));
                            t.incr("commits");
                            if (t.exec() != null) {
                                k++; // else another node's increment came between: retry
                            }
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(90, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (int n = 0; n < 3; n++) {
            try (Jedis j = nodes[n].jedis()) {
                assertEquals("120", j.get("cas"), "node " + (n + 1));
                assertEquals("120", j.get("commits"), "node " + (n + 1));
            }
        }
    }

    @Test
    void aNewLeaderTakesOverAndTheOldOneCatchesUpWhenItReturns() {
        int leader = awaitLeader();
        try (Jedis j = nodes[leader].jedis()) {
            j.set("before", "1");
        }
        nodes[leader].close();
        nodes[leader] = null;
        int next = awaitLeader();
        assertTrue(next != leader);
        int follower = 3 - leader - next;
        retryUntilOk(() -> {
            try (Jedis j = nodes[follower].jedis()) {
                return j.set("after", "2");
            }
        });
        nodes[leader] = start(leader);
        try (Jedis j = nodes[leader].jedis()) {
            assertEquals("1", j.get("before"));
            assertEquals("2", j.get("after"));
        }
    }

    @Test
    void aJoiningNodeBecomesAVoterAndTheLeaderCanBeRemoved() throws IOException {
        int leader = awaitLeader();
        try (TestServer fourth = TestServer.startIn(dir.resolve("node-4"), "raft-node-id", "4",
                "raft-join", "127.0.0.1:" + nodes[0].port(), "raft-port", Integer.toString(freePort()),
                "raft-tick-ms", "50")) {
            awaitInfo(leader, "raft_voters:4");
            retryUntilOk(() -> {
                try (Jedis j = fourth.jedis()) {
                    return j.set("from4", "yes");
                }
            });
            try (Jedis j = nodes[leader].jedis()) {
                assertEquals("yes", j.get("from4"));
            }
            // Remove the leader through the new node: it hands over, and its successor removes it.
            try (Jedis j = fourth.jedis()) {
                Object reply = j.sendCommand(() -> "RAFT.NODE".getBytes(), "REMOVE", Integer.toString(leader + 1));
                assertEquals("OK", new String((byte[]) reply));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            int next = -1;
            while (next < 0 && System.nanoTime() < deadline) {
                for (int i = 0; i < 3; i++) {
                    if (i != leader && info(i).contains("raft_role:leader") && info(i).contains("raft_voters:3")) {
                        next = i;
                    }
                }
                sleep(50);
            }
            assertTrue(next >= 0, "a new leader governs the three remaining voters");
            retryUntilOk(() -> {
                try (Jedis j = fourth.jedis()) {
                    return j.set("after-removal", "yes");
                }
            });
        }
    }

    @Test
    void aWipedFollowerRejoinsAndCatchesUpFromTheLeadersSnapshot() throws IOException {
        int leader = awaitLeader();
        int follower = (leader + 1) % 3;
        try (Jedis j = nodes[leader].jedis()) {
            for (TestServer n : nodes) {
                try (Jedis each = n.jedis()) {
                    each.configSet("raft-snapshot-threshold", "200");
                }
            }
            for (int i = 0; i < 600; i++) {
                j.set("key" + i, "value" + i);
            }
            j.sendCommand(() -> "RAFT.NODE".getBytes(), "REMOVE", Integer.toString(follower + 1));
        }
        awaitInfo(leader, "raft_voters:2");
        nodes[follower].close();
        nodes[follower] = null;
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(dir.resolve("node-" + (follower + 1)))) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        awaitInfo(leader, "raft_snapshot_index:");
        assertTrue(!info(leader).contains("raft_snapshot_index:0\r"), "the leader compacted its log:\n" + info(leader));
        nodes[follower] = TestServer.startIn(dir.resolve("node-" + (follower + 1)), "raft-node-id",
                Integer.toString(follower + 1), "raft-join", "127.0.0.1:" + nodes[leader].port(),
                "raft-port", Integer.toString(freePort()), "raft-tick-ms", "50");
        awaitInfo(leader, "raft_voters:3");
        try (Jedis j = nodes[follower].jedis()) {
            for (int i = 0; i < 600; i++) {
                assertEquals("value" + i, j.get("key" + i));
            }
        }
        assertTrue(!info(follower).contains("raft_snapshot_index:0\r"), "the follower installed a snapshot:\n" + info(follower));
    }

    private String info(int i) {
        try (Jedis j = nodes[i].jedis()) {
            return new String((byte[]) j.sendCommand(() -> "RAFT.INFO".getBytes()));
        } catch (JedisException e) {
            return "";
        }
    }

    private void awaitInfo(int node, String text) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!info(node).contains(text)) {
            assertTrue(System.nanoTime() < deadline, "node " + (node + 1) + " never showed " + text + ":\n" + info(node));
            sleep(50);
        }
    }

    /**
     * PFCOUNT refreshing an HLL's cached count changes the string: through any node it is
     * applied from the log, so every node holds the same bytes, cache included.
     */
    @Test
    void hyperLogLogCacheIsTheSameOnEveryNode() {
        awaitLeader();
        for (int n = 0; n < 3; n++) {
            try (Jedis j = nodes[n].jedis()) {
                for (int k = 0; k < 50; k++) {
                    j.pfadd("hll", "node" + n + "-" + k);
                }
                assertTrue(j.pfcount("hll") > 0);
            }
        }
        byte[] expected = null;
        for (int n = 0; n < 3; n++) {
            try (Jedis j = nodes[n].jedis()) {
                byte[] value = j.get("hll".getBytes());
                assertEquals(0, value[15] & 0x80, "node " + (n + 1) + " holds a valid cached count");
                if (expected == null) {
                    expected = value;
                }
                assertEquals(java.util.HexFormat.of().formatHex(expected), java.util.HexFormat.of().formatHex(value),
                        "node " + (n + 1));
            }
        }
    }

    private static void retryUntilOk(java.util.function.Supplier<String> write) {
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

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
