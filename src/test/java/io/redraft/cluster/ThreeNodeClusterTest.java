package io.redraft.cluster;

import io.redraft.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three in-process nodes on loopback forming one Raft group through their peer ports: writes
 * through any node, linearizable reads on every node, a leader's loss and its return.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ThreeNodeClusterTest {
    @TempDir
    Path dir;
    private LocalCluster cluster;
    private TestServer[] nodes; // cluster.nodes: a stopped node is null

    @BeforeEach
    void startCluster() throws IOException {
        cluster = new LocalCluster(dir, 3);
        nodes = cluster.nodes;
    }

    @AfterEach
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void writesThroughAnyNodeAreReadOnEveryNode() {
        cluster.awaitLeader();
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
        cluster.awaitLeader();
        onEveryNodeAtOnce(j -> {
            for (int k = 0; k < 200; k++) {
                j.incr("counter");
            }
        });
        for (int n = 0; n < 3; n++) {
            try (Jedis j = nodes[n].jedis()) {
                assertEquals("600", j.get("counter"), "node " + (n + 1));
            }
        }
    }

    /**
     * A follower forwards writes that arrive together as one batch entry: each client still gets
     * its own reply, in its own order, and every node applies every write once.
     */
    @Test
    void pipelinedWritesThroughAFollowerAreAnsweredInOrder() throws Exception {
        int leader = cluster.awaitLeader();
        int follower = (leader + 1) % 3;
        try (Jedis a = nodes[follower].jedis(); Jedis b = nodes[follower].jedis()) {
            redis.clients.jedis.Pipeline pa = a.pipelined();
            redis.clients.jedis.Pipeline pb = b.pipelined();
            List<redis.clients.jedis.Response<Long>> ra = new ArrayList<>();
            List<redis.clients.jedis.Response<Long>> rb = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                ra.add(pa.incr("a"));
                rb.add(pb.rpush("list", "b" + i));
            }
            pa.sync();
            pb.sync();
            for (int i = 0; i < 500; i++) {
                assertEquals(i + 1, ra.get(i).get());
                assertEquals(i + 1, rb.get(i).get());
            }
        }
        for (int n = 0; n < 3; n++) {
            try (Jedis j = nodes[n].jedis()) {
                assertEquals("500", j.get("a"), "node " + (n + 1));
                assertEquals("b499", j.lindex("list", -1), "node " + (n + 1));
                assertEquals(500, j.llen("list"), "node " + (n + 1));
            }
        }
    }

    /**
     * Optimistic increments with WATCH through every node at once: a transaction whose watched
     * key another node changed must abort everywhere, so none is lost and none counted twice.
     */
    @Test
    void watchedIncrementsThroughEveryNodeLoseNothing() throws Exception {
        cluster.awaitLeader();
        onEveryNodeAtOnce(j -> {
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
        });
        for (int n = 0; n < 3; n++) {
            try (Jedis j = nodes[n].jedis()) {
                assertEquals("120", j.get("cas"), "node " + (n + 1));
                assertEquals("120", j.get("commits"), "node " + (n + 1));
            }
        }
    }

    @Test
    void aNewLeaderTakesOverAndTheOldOneCatchesUpWhenItReturns() {
        int leader = cluster.awaitLeader();
        try (Jedis j = nodes[leader].jedis()) {
            j.set("before", "1");
        }
        cluster.stop(leader);
        int next = cluster.awaitLeader();
        assertTrue(next != leader);
        int follower = 3 - leader - next;
        LocalCluster.retryUntilOk(() -> {
            try (Jedis j = nodes[follower].jedis()) {
                return j.set("after", "2");
            }
        });
        nodes[leader] = cluster.start(leader);
        try (Jedis j = nodes[leader].jedis()) {
            assertEquals("1", j.get("before"));
            assertEquals("2", j.get("after"));
        }
    }

    @Test
    void aJoiningNodeBecomesAVoterAndTheLeaderCanBeRemoved() throws IOException {
        int leader = cluster.awaitLeader();
        try (TestServer fourth = cluster.startJoining(3, 0)) {
            cluster.awaitInfo(leader, "raft_voters:4");
            LocalCluster.retryUntilOk(() -> {
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
            LocalCluster.awaitTrue("a new leader governs the three remaining voters", () -> {
                for (int i = 0; i < 3; i++) {
                    String info = cluster.infoOrEmpty(i);
                    if (i != leader && info.contains("raft_role:leader") && info.contains("raft_voters:3")) {
                        return true;
                    }
                }
                return false;
            });
            LocalCluster.retryUntilOk(() -> {
                try (Jedis j = fourth.jedis()) {
                    return j.set("after-removal", "yes");
                }
            });
        }
    }

    @Test
    void aWipedFollowerRejoinsAndCatchesUpFromTheLeadersSnapshot() throws IOException {
        int leader = cluster.awaitLeader();
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
        cluster.awaitInfo(leader, "raft_voters:2");
        cluster.wipe(follower);
        cluster.awaitInfo(leader, "raft_snapshot_index:");
        assertTrue(!cluster.infoOrEmpty(leader).contains("raft_snapshot_index:0\r"), "the leader compacted its log:\n" + cluster.infoOrEmpty(leader));
        nodes[follower] = cluster.startJoining(follower, leader);
        cluster.awaitInfo(leader, "raft_voters:3");
        try (Jedis j = nodes[follower].jedis()) {
            for (int i = 0; i < 600; i++) {
                assertEquals("value" + i, j.get("key" + i));
            }
        }
        assertTrue(!cluster.infoOrEmpty(follower).contains("raft_snapshot_index:0\r"), "the follower installed a snapshot:\n" + cluster.infoOrEmpty(follower));
    }

    /** Runs work with a connection to each node, the three at the same time; waits up to 90 s. */
    private void onEveryNodeAtOnce(java.util.function.Consumer<Jedis> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (TestServer node : nodes) {
                done.add(pool.submit(() -> {
                    try (Jedis j = node.jedis()) {
                        work.accept(j);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(90, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * PFCOUNT refreshing an HLL's cached count changes the string: through any node it is
     * applied from the log, so every node holds the same bytes, cache included.
     */
    @Test
    void hyperLogLogCacheIsTheSameOnEveryNode() {
        cluster.awaitLeader();
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
}
