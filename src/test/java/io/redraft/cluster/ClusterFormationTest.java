package io.redraft.cluster;

import io.redraft.testing.FreePorts;
import io.redraft.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.redraft.testing.Raw.call;
import static io.redraft.testing.Raw.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RAFT.CLUSTER INIT and JOIN: a cluster formed at run time from nodes started alone. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterFormationTest {
    private static final String ALREADY = "ERR this node already belongs to a cluster (RAFT.INFO lists its members)";
    @TempDir
    Path dir;
    private final List<TestServer> started = new ArrayList<>();
    private final int[] raftPorts = new int[4];

    @AfterEach
    void stopAll() {
        started.forEach(TestServer::close);
    }

    /** Node id (1..3), standalone: no raft-peers, a fixed raft-port so that it can restart. */
    private TestServer node(int id) throws IOException {
        if (raftPorts[id] == 0) {
            raftPorts[id] = FreePorts.pick();
        }
        TestServer s = TestServer.startIn(dir.resolve("node-" + id), "raft-node-id", Integer.toString(id),
                "raft-port", Integer.toString(raftPorts[id]), "raft-tick-ms", "50");
        started.add(s);
        return s;
    }

    private static String address(TestServer s) {
        return "127.0.0.1:" + s.port();
    }

    private static String info(TestServer s) {
        try (Jedis j = s.jedis()) {
            return LocalCluster.raftInfo(j);
        }
    }

    @Test
    void helpAndRedisStyleErrors() throws IOException {
        TestServer a = node(1);
        try (Jedis j = a.jedis()) {
            @SuppressWarnings("unchecked")
            List<Object> help = (List<Object>) call(j, "RAFT.CLUSTER", "HELP");
            assertEquals("RAFT.CLUSTER <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", help.get(0));
            assertTrue(help.contains("JOIN <host>:<port>"));
            assertEquals("    Print this help.", help.get(help.size() - 1));
            assertEquals("ERR unknown subcommand 'nope'. Try RAFT.CLUSTER HELP.", error(j, "RAFT.CLUSTER", "nope"));
            assertEquals("ERR wrong number of arguments for 'raft.cluster' command", error(j, "RAFT.CLUSTER"));
            assertEquals("ERR wrong number of arguments for 'raft.cluster|join' command", error(j, "RAFT.CLUSTER", "JOIN"));
            assertEquals("ERR wrong number of arguments for 'raft.cluster|init' command", error(j, "RAFT.CLUSTER", "INIT", "x"));
            assertEquals("ERR invalid address 'nowhere': expected host:port", error(j, "RAFT.CLUSTER", "JOIN", "nowhere"));
            assertEquals("OK", call(j, "MULTI"));
            assertEquals("ERR Command not allowed inside a transaction", error(j, "RAFT.CLUSTER", "INIT"));
            assertEquals("OK", call(j, "DISCARD"));
        }
    }

    @Test
    void initOnOneNodeThenJoinTwoMoreFormsAClusterThatSurvivesARestart() throws IOException {
        TestServer a = node(1);
        try (Jedis j = a.jedis()) {
            j.set("before", "init"); // data written while standalone stays
            assertEquals("OK", call(j, "RAFT.CLUSTER", "INIT"));
            assertEquals(ALREADY, error(j, "RAFT.CLUSTER", "INIT"));
            String info = LocalCluster.raftInfo(j);
            assertTrue(info.contains("raft_member_1:address=127.0.0.1:" + raftPorts[1] + ","), info);
        }
        TestServer b = node(2);
        TestServer c = node(3);
        try (Jedis jb = b.jedis(); Jedis jc = c.jedis()) {
            assertEquals("OK", call(jb, "RAFT.CLUSTER", "JOIN", address(a)));
            assertEquals(ALREADY, error(jb, "RAFT.CLUSTER", "INIT"));
            assertEquals("OK", call(jc, "RAFT.CLUSTER", "JOIN", address(b))); // through any member
            assertEquals(ALREADY, error(jc, "RAFT.CLUSTER", "JOIN", address(a)));
        }
        LocalCluster.awaitTrue("three voters", () -> LocalCluster.infoLong(info(a), "raft_voters") == 3
                && LocalCluster.infoLong(info(c), "raft_voters") == 3);
        for (TestServer s : List.of(a, b, c)) {
            try (Jedis j = s.jedis()) {
                assertEquals("init", j.get("before"));
                j.incr("counter"); // writes through every node
            }
        }
        try (Jedis jc = c.jedis()) {
            assertEquals("3", jc.get("counter"));
        }
        // Restarted with the same configuration (no raft-peers), the nodes find each other again.
        for (TestServer s : List.of(a, b, c)) {
            s.close();
        }
        started.clear();
        TestServer a2 = node(1);
        TestServer b2 = node(2);
        TestServer c2 = node(3);
        LocalCluster.awaitTrue("a leader again", () -> {
            try (Jedis j = b2.jedis()) {
                return "ok".equals(j.set("after", "restart").toLowerCase());
            }
        });
        for (TestServer s : List.of(a2, b2, c2)) {
            try (Jedis j = s.jedis()) {
                assertEquals("3", j.get("counter"));
                assertEquals("restart", j.get("after"));
            }
        }
    }

    @Test
    void onlyAnEmptyNodeJoinsAndAFailedJoinLeavesItStandalone() throws IOException {
        TestServer a = node(1);
        try (Jedis j = a.jedis()) {
            assertEquals("OK", call(j, "RAFT.CLUSTER", "INIT"));
        }
        TestServer b = node(2);
        try (Jedis jb = b.jedis()) {
            jb.set("mine", "1");
            assertEquals("ERR this node is not empty: it holds keys in database 0; only an empty node can join a cluster",
                    error(jb, "RAFT.CLUSTER", "JOIN", address(a)));
            jb.del("mine");
            int closed = FreePorts.pick();
            String err = error(jb, "RAFT.CLUSTER", "JOIN", "127.0.0.1:" + closed);
            assertTrue(err.startsWith("ERR cannot join the cluster through 127.0.0.1:" + closed + ": "), err);
            assertEquals("OK", jb.set("still", "standalone"), "a join refused before any change leaves the node as it was");
            jb.del("still");
            assertEquals("OK", call(jb, "RAFT.CLUSTER", "JOIN", address(a)));
        }
        LocalCluster.awaitTrue("two voters", () -> LocalCluster.infoLong(info(a), "raft_voters") == 2);
    }

    @Test
    void aNodeWhoseIdIsTakenIsRefusedBeforeItsLogIsTouched() throws IOException {
        TestServer a = node(1);
        try (Jedis j = a.jedis()) {
            assertEquals("OK", call(j, "RAFT.CLUSTER", "INIT"));
        }
        TestServer twin = TestServer.startIn(dir.resolve("twin"), "raft-node-id", "1",
                "raft-port", Integer.toString(FreePorts.pick()), "raft-tick-ms", "50");
        started.add(twin);
        try (Jedis jt = twin.jedis()) {
            assertEquals("ERR cannot join the cluster through " + address(a) + ": node id 1 is already a member of that"
                    + " cluster (at 127.0.0.1:" + raftPorts[1] + "); give this node another raft-node-id",
                    error(jt, "RAFT.CLUSTER", "JOIN", address(a)));
            assertEquals("OK", jt.set("alone", "still"), "still a standalone node");
            assertEquals("OK", call(jt, "RAFT.CLUSTER", "INIT"), "which may form its own cluster");
        }
    }

    /**
     * A cluster formed at run time opens its peer port late; the leader must still add to the
     * membership only a node it has reached through the handshake. Here nothing answers at the
     * added address, so the node stays in the book and out of the membership while we watch.
     */
    @Test
    void aNodeTheLeaderCannotReachStaysOutOfAClusterFormedAtRunTime() throws IOException {
        TestServer a = node(1);
        try (Jedis j = a.jedis()) {
            assertEquals("OK", call(j, "RAFT.CLUSTER", "INIT"));
            assertEquals("OK", call(j, "RAFT.NODE", "ADD", "2", "127.0.0.1:" + FreePorts.pick()));
            long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(2); // 40 ticks
            while (System.nanoTime() < until) {
                String info = LocalCluster.raftInfo(j);
                assertEquals(0, LocalCluster.infoLong(info, "raft_learners"), info);
                assertEquals(1, LocalCluster.infoLong(info, "raft_voters"), info);
            }
        }
    }
}
