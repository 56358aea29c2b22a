package io.redraft.cluster;

import io.redraft.testing.ProcessCluster;
import io.redraft.testing.ServerProcessReaper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static io.redraft.testing.ProcessCluster.awaitCondition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three (or four) Redraft nodes, each its own JVM on loopback, used with Jedis through every node:
 * the cases where the process boundary matters — a leader killed with SIGKILL under load,
 * a wiped follower caught up by a snapshot sent over the peer port, membership and leadership
 * changes under load, and a node with the wrong cluster password. In-process clusters
 * ({@link ThreeNodeClusterTest}) cover the command semantics across nodes.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@ExtendWith(ServerProcessReaper.class)
class ProcessClusterTest {
    private static final Duration STEP = Duration.ofSeconds(30);
    /** The bound issue 5 asks for between a leader's death and the first write that succeeds after it. */
    private static final Duration FAILOVER_BOUND = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    /**
     * Writes through the followers and the leader at random; the next read through any node sees
     * each at once (linearizable reads), and every node ends with the same values.
     */
    @Test
    void writesThroughFollowersAreReadThroughEveryNode() throws IOException {
        try (ProcessCluster c = ProcessCluster.start(dir, 3)) {
            c.awaitHealthy(STEP);
            Random random = new Random(5);
            Jedis[] clients = new Jedis[4];
            try {
                for (int id = 1; id <= 3; id++) {
                    clients[id] = c.jedis(id);
                }
                for (int i = 0; i < 60; i++) {
                    int writeVia = 1 + random.nextInt(3);
                    int readVia = 1 + random.nextInt(3);
                    Jedis w = clients[writeVia];
                    String key = "k" + (i % 20);
                    String value = "v" + i;
                    assertEquals("OK", untilApplied("SET through node " + writeVia, () -> w.set(key, value)));
                    assertEquals((long) i + 1, untilApplied("INCR through node " + writeVia, () -> w.incr("n")));
                    // Acknowledged through one node: any other node's next read must see it.
                    assertEquals("v" + i, clients[readVia].get(key),
                            "written through node " + writeVia + ", read through node " + readVia);
                    assertEquals(Integer.toString(i + 1), clients[readVia].get("n"));
                }
                for (int id = 1; id <= 3; id++) {
                    for (int k = 0; k < 20; k++) {
                        assertEquals("v" + (40 + k), clients[id].get("k" + k), "node " + id);
                    }
                    assertEquals("60", clients[id].get("n"), "node " + id);
                }
            } finally {
                for (Jedis j : clients) {
                    if (j != null) {
                        j.close();
                    }
                }
            }
        }
    }

    /**
     * kill -9 of the leader while four threads write through the two other nodes: a new leader
     * takes writes within the bound, and once the old leader is back every acknowledged write is
     * on all three nodes (and nothing that was never sent, or was refused as not applied).
     *
     * <p>{@code -Dprocesscluster.failoverTrials=20} repeats kill and restart that many times on the
     * same cluster and prints the median and maximum failover time (leader killed → first write
     * acknowledged), the figure issue 5's closing note asks for. Later trials may kill a node that
     * writers use; their writes then fail (unknown) until it is back.
     */
    @Test
    void leaderKilledUnderLoadLosesNoAcknowledgedWrite() throws IOException {
        int trials = Integer.getInteger("processcluster.failoverTrials", 1);
        try (ProcessCluster c = ProcessCluster.start(dir, 3)) {
            int first = c.awaitHealthy(STEP);
            List<AckedWriter> writers = new ArrayList<>();
            // Failover: the first write acknowledged after the kill, whether a probing client's (a new
            // connection per attempt) or a writer's; and as the writers see it: a write in flight to
            // the dead leader waits raft-request-timeout (2 s here) before failing, and each writer
            // sends its next write only then.
            List<Long> failover = new ArrayList<>();
            List<Long> loaded = new ArrayList<>();
            try {
                int w = 0;
                for (int id = 1; id <= 3; id++) {
                    if (id != first) {
                        for (int k = 0; k < 2; k++) {
                            int via = id;
                            writers.add(new AckedWriter("kill" + (w++), via, () -> c.node(via).port()).start());
                        }
                    }
                }
                awaitProgress(writers, 100, "before the kill");
                for (int trial = 1; trial <= trials; trial++) {
                    int leader = trial == 1 ? first : c.awaitHealthy(STEP);
                    long killedAt = System.nanoTime();
                    c.kill9(leader);
                    long probeMs = firstFreshWrite(c, leader, killedAt);
                    awaitCondition(FAILOVER_BOUND, () -> "no write succeeded after the leader was killed: " + writers,
                            () -> firstAckAfter(writers, killedAt) > 0);
                    long writersMs = TimeUnit.NANOSECONDS.toMillis(firstAckAfter(writers, killedAt) - killedAt);
                    failover.add(Math.min(probeMs, writersMs));
                    loaded.add(writersMs);
                    int next = c.leader();
                    System.out.println("[ProcessClusterTest] trial " + trial + ": leader " + leader + " killed; a probing"
                            + " client's first write acknowledged after " + probeMs + " ms, the writers' after " + writersMs
                            + " ms; new leader " + next);
                    assertNotEquals(leader, next);
                    // Every writer through a live node gets through again.
                    for (AckedWriter aw : writers) {
                        long from = aw.acks();
                        if (c.node(aw.node()).isAlive()) {
                            awaitCondition(STEP, () -> "writer stalled: " + aw, () -> aw.acks() > from + 20);
                        }
                    }
                    c.restart(leader);
                }
                awaitProgress(writers, 50, "after the restart"); // the old leader rejoins while the load goes on
            } finally {
                writers.forEach(AckedWriter::close);
            }
            System.out.println("[ProcessClusterTest] failover over " + trials + " trial(s), leader killed -> first write"
                    + " acknowledged: " + summary(failover) + "; by the writers " + summary(loaded));
            for (List<Long> times : List.of(failover, loaded)) {
                assertTrue(times.stream().allMatch(t -> t < FAILOVER_BOUND.toMillis()), "failover times " + times);
            }
            c.awaitHealthy(STEP);
            assertEveryNodeHolds(c, writers);
        }
    }

    /**
     * A follower is removed, stopped and wiped; the leader compacts its log; the follower joins
     * again on an empty directory and can only catch up from the leader's snapshot, sent over the
     * peer port. Its keyspace then equals the leader's.
     */
    @Test
    void wipedFollowerRejoinsFromTheLeadersSnapshot() throws IOException {
        try (ProcessCluster c = ProcessCluster.start(dir, 3)) {
            c.awaitHealthy(STEP);
            int loader = anyFollower(c);
            try (Jedis j = c.jedis(loader)) {
                redis.clients.jedis.Pipeline p = j.pipelined();
                for (int i = 0; i < 2000; i++) {
                    p.set("before:" + i, "value-" + i);
                }
                for (Object r : p.syncAndReturnAll()) {
                    assertEquals("OK", r);
                }
            }
            int follower = anyFollower(c);
            int[] rest = c.running().stream().mapToInt(Integer::intValue).filter(id -> id != follower).toArray();
            assertEquals("OK", adminUntilOk(c, rest[0], "RAFT.NODE", "REMOVE", Integer.toString(follower)));
            awaitCondition(STEP, () -> c.raftInfo(rest[0]), () -> voters(c) == 2 && c.raftField(c.leader(), "raft_learners") == 0);
            c.kill9(follower);
            c.wipe(follower);
            // Both remaining nodes compact, so whichever leads when the follower is back has only a snapshot to offer.
            // (The 2000 pipelined writes share a few batch entries: the log index says what they reached.)
            long loadedTo = c.raftField(rest[0], "raft_commit_index");
            long compactedTo = Long.MAX_VALUE;
            for (int id : rest) {
                try (Jedis j = c.jedis(id)) {
                    j.bgsave();
                }
                awaitCondition(STEP, () -> c.raftInfo(id), () -> c.raftField(id, "raft_snapshot_index") >= loadedTo);
                compactedTo = Math.min(compactedTo, c.raftField(id, "raft_snapshot_index"));
            }
            for (int i = 0; i < 100; i++) { // a log tail on top of the snapshot
                assertEquals("OK", adminUntilOk(c, rest[1], "SET", "after:" + i, "value-" + i));
            }
            c.join(follower, rest[0]);
            awaitCondition(STEP, () -> c.raftInfo(rest[0]), () -> voters(c) == 3);
            int leader = c.awaitHealthy(STEP);
            awaitCondition(STEP, () -> c.raftInfo(follower),
                    () -> c.raftField(follower, "raft_applied_index") >= c.raftField(leader, "raft_commit_index"));
            // The rejoined node never snapshots by itself here (default threshold): a snapshot index
            // means it installed the leader's.
            long installed = c.raftField(follower, "raft_snapshot_index");
            assertTrue(installed >= compactedTo, "the follower's log starts at the leader's snapshot:\n" + c.raftInfo(follower));
            assertTrue(c.node(follower).logText().contains("Installed the leader's snapshot at index " + installed),
                    c.node(follower).describe());
            assertTrue(java.util.Arrays.stream(rest).anyMatch(id -> c.node(id).logText().contains("Sending the snapshot at index")),
                    "a remaining node sent its snapshot");
            assertSameKeyspace(c, leader, follower);
        }
    }

    /** Sends a command through node via (a new connection) as {@link #untilApplied} does. */
    private static Object adminUntilOk(ProcessCluster c, int via, String... argv) {
        return untilApplied(String.join(" ", argv) + " through node " + via, () -> {
            try (Jedis j = c.jedis(via)) {
                return reply(j.sendCommand(() -> argv[0].getBytes(), java.util.Arrays.copyOfRange(argv, 1, argv.length)));
            }
        });
    }

    /**
     * Runs a command until it is answered, again while the answer says it was not applied
     * (TRYAGAIN, CLUSTERDOWN: a leader change meanwhile; the machine is small and shared, so an
     * election can happen under load). Returns the reply; any other error fails.
     */
    private static Object untilApplied(String what, Supplier<Object> command) {
        Object[] reply = {null};
        String[] last = {""};
        awaitCondition(STEP, () -> what + ": " + last[0], () -> {
            try {
                reply[0] = command.get();
                return true;
            } catch (JedisDataException e) {
                last[0] = e.getMessage();
                if (e.getMessage().startsWith("TRYAGAIN") || e.getMessage().startsWith("CLUSTERDOWN")) {
                    return false;
                }
                throw e;
            }
        });
        return reply[0];
    }

    /**
     * With a background writer through every member: a fourth node is added, a follower removed,
     * the leadership transferred to the new node, and the leader itself removed. Writes keep
     * succeeding after each step and no acknowledged write (through any node, removed ones
     * included) is lost on the nodes that remain.
     */
    @Test
    void membershipAndLeadershipChangeUnderLoad() throws IOException {
        try (ProcessCluster c = ProcessCluster.start(dir, 3)) {
            c.awaitHealthy(STEP);
            Map<Integer, AckedWriter> writers = new TreeMap<>();
            List<AckedWriter> everyWriter = new ArrayList<>();
            try {
                for (int id = 1; id <= 3; id++) {
                    startWriter(c, id, writers, everyWriter);
                }
                awaitProgress(writers.values(), 50, "at start");

                // 1. A fourth node: RAFT.NODE ADD through a follower, then started (it finds itself in the book).
                int follower = anyFollower(c);
                assertEquals("OK", adminUntilOk(c, follower, "RAFT.NODE", "ADD", "4", "127.0.0.1:" + c.peerPort(4)));
                c.join(4, follower);
                awaitCondition(STEP, () -> c.raftInfo(4), () -> voters(c) == 4);
                startWriter(c, 4, writers, everyWriter);
                awaitProgress(writers.values(), 20, "after adding node 4");

                // 2. Remove a follower other than node 4, through node 4.
                int removed = anyFollower(c, 4);
                assertEquals("OK", adminUntilOk(c, 4, "RAFT.NODE", "REMOVE", Integer.toString(removed)));
                awaitCondition(STEP, () -> c.raftInfo(4), () -> voters(c) == 3);
                stop(c, removed, writers);
                awaitProgress(writers.values(), 20, "after removing node " + removed);

                // 3. Hand the leadership to node 4 (asked of whichever node leads).
                awaitCondition(STEP, () -> c.raftInfo(4), () -> {
                    int now = c.leader();
                    if (now == 4) {
                        return true;
                    }
                    if (now != 0) {
                        try (Jedis j = c.jedis(now)) {
                            assertEquals(4L, j.sendCommand(() -> "RAFT.TRANSFER-LEADER".getBytes(), "4"));
                        } catch (JedisException lostLeadershipMeanwhile) {
                            return false;
                        }
                    }
                    return ProcessCluster.poll(Duration.ofSeconds(2), () -> c.leader() == 4);
                });
                awaitProgress(writers.values(), 20, "after transferring the leadership to node 4");

                // 4. Remove the leader through another node: it hands over first, then is removed.
                int leader = c.leader();
                int via = anyFollower(c);
                assertEquals("OK", adminUntilOk(c, via, "RAFT.NODE", "REMOVE", Integer.toString(leader)));
                awaitCondition(STEP, () -> c.raftInfo(via), () -> {
                    int now = c.leader();
                    return now != 0 && now != leader && voters(c) == 2 && c.raftField(now, "raft_learners") == 0;
                });
                stop(c, leader, writers);
                awaitProgress(writers.values(), 20, "after removing the leader " + leader);
                System.out.println("[ProcessClusterTest] removed nodes " + removed + " and " + leader + " (leader); remaining "
                        + c.running() + ", leader " + c.leader());
            } finally {
                everyWriter.forEach(AckedWriter::close);
            }
            c.awaitHealthy(STEP);
            assertEveryNodeHolds(c, everyWriter);
        }
    }

    private static void startWriter(ProcessCluster c, int id, Map<Integer, AckedWriter> writers, List<AckedWriter> every) {
        AckedWriter w = new AckedWriter("via" + id, id, () -> c.node(id).port()).start();
        writers.put(id, w);
        every.add(w);
    }

    /** Stops the writer through node id, then the node (already removed from the cluster). */
    private static void stop(ProcessCluster c, int id, Map<Integer, AckedWriter> writers) {
        writers.remove(id).close();
        c.kill9(id);
    }

    /** The voters the current leader counts, 0 while there is none. */
    private static long voters(ProcessCluster c) {
        int leader = c.leader();
        return leader == 0 ? 0 : c.raftField(leader, "raft_voters");
    }

    /** A running node that does not lead (nor is one of except), once there is a leader. */
    private static int anyFollower(ProcessCluster c, int... except) {
        int[] found = {0};
        awaitCondition(STEP, () -> "no leader", () -> {
            int leader = c.leader();
            for (int id : c.running()) {
                if (leader != 0 && id != leader && java.util.Arrays.stream(except).noneMatch(e -> e == id)) {
                    found[0] = id;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    /**
     * A cluster with a password: a new node that joins with the wrong password, and one with the
     * wrong cluster id, are refused (and the refusal logged on both ends); neither enters the
     * membership. A member restarted with the wrong password never leads and the others go on.
     */
    @Test
    void wrongPasswordOrClusterIdIsRefused() throws IOException {
        try (ProcessCluster c = ProcessCluster.start(dir, 3, "--raft-cluster-password", "s3cret")) {
            int leader = c.awaitHealthy(STEP);
            int follower = leader % 3 + 1;
            int other = 6 - leader - follower;
            String members = membersOf(c.raftInfo(leader));

            c.join(4, other, "--raft-cluster-password", "wrong");
            c.join(5, other, "--raft-cluster-id", "another-cluster");
            awaitCondition(STEP, () -> c.node(leader).describe(), () -> c.node(leader).logText().contains("wrong cluster password")
                    && c.node(leader).logText().contains("wrong cluster id"));
            awaitCondition(STEP, () -> c.node(4).describe(), () -> c.node(4).logText().contains("peer handshake refused"));
            awaitCondition(STEP, () -> c.node(5).describe(), () -> c.node(5).logText().contains("peer handshake refused"));

            c.kill9(follower);
            c.restart(follower, "--raft-cluster-password", "wrong");
            awaitCondition(STEP, () -> c.node(follower).describe(),
                    () -> c.node(follower).logText().contains("wrong cluster password"));
            // Several election timeouts (0.5-1 s each) go by while we watch: nobody with the wrong
            // credentials leads, the membership stays, and writes through the good nodes succeed.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
            for (int i = 0; System.nanoTime() < until; i++) {
                String key = "during:" + i;
                awaitCondition(STEP, () -> "a write through node " + other + " failed",
                        () -> writeSucceeds(c, other, key));
                for (int bad : new int[]{4, 5, follower}) {
                    assertNotEquals("leader", role(c, bad), "node " + bad + " leads:\n" + c.raftInfo(bad));
                }
                int now = c.leader();
                if (now != 0) { // an election between the two good nodes is allowed; a change of members is not
                    assertEquals(members, membersOf(c.raftInfo(now)), "members seen by the leader, node " + now);
                }
            }
            awaitCondition(STEP, () -> "no leader among nodes " + leader + " and " + other,
                    () -> c.leader() == leader || c.leader() == other);
            int now = c.leader();
            assertEquals(3, c.raftField(now, "raft_voters"));
            assertEquals(0, c.raftField(now, "raft_learners"));
        }
    }

    private static boolean writeSucceeds(ProcessCluster c, int id, String key) {
        try (Jedis j = c.jedis(id)) {
            return "OK".equals(j.set(key, "x"));
        } catch (JedisException e) {
            return false;
        }
    }

    private static String role(ProcessCluster c, int id) {
        String info = c.raftInfo(id);
        return info == null ? "down" : info.replaceAll("(?s).*raft_role:(\\w+).*", "$1");
    }

    /** The ids and roles of the members in a RAFT.INFO text. */
    private static String membersOf(String raftInfo) {
        StringBuilder sb = new StringBuilder();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("raft_member_(\\d+):[^\\r\\n]*?\\brole=(\\w+)").matcher(raftInfo);
        while (m.find()) {
            sb.append(m.group(1)).append('=').append(m.group(2)).append(' ');
        }
        return sb.toString().trim();
    }

    private static Object reply(Object r) {
        return r instanceof byte[] b ? new String(b) : r;
    }

    /** Until every writer has this many more acknowledgements. */
    private static void awaitProgress(java.util.Collection<AckedWriter> writers, int more, String when) {
        for (AckedWriter w : writers) {
            long from = w.acks();
            awaitCondition(STEP, () -> when + ", writer stalled: " + w, () -> w.acks() >= from + more);
        }
    }

    /**
     * Milliseconds from killedAt until a SET through a surviving node is acknowledged, each attempt
     * on a new connection that gives up after 250 ms (a write stuck on the dead leader is
     * abandoned, not waited for).
     */
    private static long firstFreshWrite(ProcessCluster c, int killed, long killedAt) {
        int[] attempt = {0};
        awaitCondition(FAILOVER_BOUND, () -> "no write through a surviving node succeeded", () -> {
            List<Integer> alive = c.running();
            alive.remove(Integer.valueOf(killed));
            int via = alive.get(attempt[0]++ % alive.size());
            try (Jedis j = new Jedis("127.0.0.1", c.node(via).port(), 250)) {
                return "OK".equals(j.set("failover:probe", Integer.toString(attempt[0])));
            } catch (JedisException e) {
                return false;
            }
        });
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
    }

    private static String summary(List<Long> millis) {
        List<Long> sorted = millis.stream().sorted().toList();
        return "median " + sorted.get(sorted.size() / 2) + " ms, max " + sorted.get(sorted.size() - 1) + " ms " + millis;
    }

    private static long firstAckAfter(List<AckedWriter> writers, long t) {
        long first = -1;
        for (AckedWriter w : writers) {
            long a = w.firstAckOfWriteSentAfter(t);
            if (a > 0 && (first < 0 || a < first)) {
                first = a;
            }
        }
        return first;
    }

    private static void assertEveryNodeHolds(ProcessCluster c, List<AckedWriter> writers) {
        List<String> problems = new ArrayList<>();
        for (int id : c.running()) {
            try (Jedis j = c.jedis(id)) {
                for (AckedWriter w : writers) {
                    w.check(j, "node " + id, problems);
                }
            }
        }
        writers.forEach(w -> System.out.println("[ProcessClusterTest] " + w));
        assertTrue(problems.isEmpty(), problems.size() + " problems:\n  "
                + String.join("\n  ", problems.subList(0, Math.min(30, problems.size()))));
    }

    /** Every key of node a, with its value, is on node b and the other way round (DUMP compares any type). */
    private static void assertSameKeyspace(ProcessCluster c, int a, int b) {
        try (Jedis ja = c.jedis(a); Jedis jb = c.jedis(b)) {
            java.util.TreeSet<String> keysA = new java.util.TreeSet<>(ja.keys("*"));
            java.util.TreeSet<String> keysB = new java.util.TreeSet<>(jb.keys("*"));
            assertEquals(keysA, keysB, "keys of nodes " + a + " and " + b);
            for (String k : keysA) {
                assertEquals(java.util.HexFormat.of().formatHex(ja.dump(k)), java.util.HexFormat.of().formatHex(jb.dump(k)), k);
            }
        } catch (JedisException e) {
            throw new AssertionError(e);
        }
    }
}
