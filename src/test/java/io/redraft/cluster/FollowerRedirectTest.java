package io.redraft.cluster;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.JedisClusterCRC16;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** follower-redirect yes: followers answer writes with -MOVED to the leader's client address. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FollowerRedirectTest {
    @TempDir
    Path dir;
    private LocalCluster cluster;
    private int leader;
    private int follower;
    private String leaderAddress;

    @BeforeEach
    void start() throws Exception {
        cluster = new LocalCluster(dir, 3);
        leader = cluster.awaitLeader();
        follower = (leader + 1) % 3;
        leaderAddress = "127.0.0.1:" + cluster.nodes[leader].port();
        try (Jedis j = cluster.jedis(follower)) {
            assertEquals("OK", j.configSet("follower-redirect", "yes"));
        }
        // The leader's client address is announced through the log shortly after it leads.
        LocalCluster.awaitTrue("the leader's client address announced", () -> {
            try (Jedis j = cluster.jedis(follower)) {
                j.set("k", "v");
                return false;
            } catch (JedisDataException e) {
                return e.getMessage().startsWith("MOVED");
            }
        });
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void aWriteOnAFollowerIsMovedToTheLeaderWithTheKeysSlot() {
        try (Jedis f = cluster.jedis(follower)) {
            for (String key : List.of("foo", "user:1000", "{user1000}.following", "a{}b", "{}x", "x{y")) {
                JedisDataException e = assertThrows(JedisDataException.class, () -> f.set(key, "1"));
                assertEquals("MOVED " + JedisClusterCRC16.getSlot(key) + " " + leaderAddress, e.getMessage(), key);
            }
            JedisDataException e = assertThrows(JedisDataException.class, () -> f.blpop(1, "list"));
            assertEquals("MOVED " + JedisClusterCRC16.getSlot("list") + " " + leaderAddress, e.getMessage());
            e = assertThrows(JedisDataException.class, f::flushAll);
            assertEquals("MOVED 0 " + leaderAddress, e.getMessage(), "keyless writes name slot 0");
        }
        try (Jedis l = cluster.jedis(leader)) {
            assertEquals("OK", l.set("foo", "bar"), "the leader takes the write");
        }
    }

    @Test
    void roleNamesClientAddresses() {
        try (Jedis f = cluster.jedis(follower)) {
            List<Object> role = f.role();
            assertEquals("slave", role.get(0));
            assertEquals("127.0.0.1", role.get(1));
            assertEquals((long) cluster.nodes[leader].port(), role.get(2));
            assertEquals("connected", role.get(3));
            String info = LocalCluster.raftInfo(f);
            assertTrue(info.contains("raft_member_" + (leader + 1) + ":address=") && info.contains(",client=" + leaderAddress + ","),
                    info);
        }
        LocalCluster.awaitTrue("every follower announced", () -> {
            try (Jedis l = cluster.jedis(leader)) {
                List<Object> role = l.role();
                @SuppressWarnings("unchecked")
                List<List<String>> replicas = (List<List<String>>) role.get(2);
                return role.get(0).equals("master") && replicas.size() == 2 && replicas.stream()
                        .map(r -> Integer.parseInt(r.get(1)))
                        .allMatch(p -> p == cluster.nodes[(leader + 1) % 3].port() || p == cluster.nodes[(leader + 2) % 3].port());
            }
        });
    }

    @Test
    void aFollowerStillServesReadsAndPublish() {
        try (Jedis l = cluster.jedis(leader)) {
            l.set("r", "1");
        }
        try (Jedis f = cluster.jedis(follower)) {
            assertEquals("1", f.get("r"), "a linearizable read after the leader's write");
            assertEquals(0, f.publish("chan", "hello"));
        }
    }

    @Test
    void theFirstWriteInsideMultiIsMovedAndExecAborts() {
        try (Jedis f = cluster.jedis(follower)) {
            Transaction t = f.multi();
            t.get("a");
            t.set("a", "1");
            t.incr("b");
            JedisDataException e = assertThrows(JedisDataException.class, t::exec);
            assertTrue(e.getMessage().startsWith("EXECABORT"), e.getMessage());
        }
        // Raw: the queued write itself answers -MOVED, as in Redis Cluster.
        try (Jedis f = cluster.jedis(follower)) {
            assertEquals("OK", f.sendCommand(() -> "MULTI".getBytes()) instanceof byte[] b ? new String(b) : "?");
            JedisDataException e = assertThrows(JedisDataException.class,
                    () -> f.sendCommand(() -> "SET".getBytes(), "a", "1"));
            assertEquals("MOVED " + JedisClusterCRC16.getSlot("a") + " " + leaderAddress, e.getMessage());
            e = assertThrows(JedisDataException.class, () -> f.sendCommand(() -> "EXEC".getBytes()));
            assertTrue(e.getMessage().startsWith("EXECABORT"), e.getMessage());
        }
        try (Jedis l = cluster.jedis(leader)) {
            assertEquals(null, l.get("a"), "nothing of the aborted transaction was applied");
        }
    }

    @Test
    void aTransactionOfReadsIsServedByTheFollower() {
        try (Jedis l = cluster.jedis(leader)) {
            l.set("t", "x");
        }
        try (Jedis f = cluster.jedis(follower)) {
            Transaction t = f.multi();
            t.get("t");
            t.exists("t");
            assertEquals(List.of("x", true), t.exec());
        }
    }

    @Test
    void afterALeaderChangeTheRedirectionNamesTheNewLeader() {
        int target = (leader + 2) % 3; // not the follower redirecting
        try (Jedis l = cluster.jedis(leader)) {
            l.sendCommand(() -> "RAFT.TRANSFER-LEADER".getBytes(), Integer.toString(target + 1));
        }
        String newLeader = "127.0.0.1:" + cluster.nodes[target].port();
        LocalCluster.awaitTrue("-MOVED to the new leader", () -> {
            try (Jedis f = cluster.jedis(follower)) {
                f.set("k", "v");
                return false;
            } catch (JedisDataException e) {
                return e.getMessage().equals("MOVED " + JedisClusterCRC16.getSlot("k") + " " + newLeader);
            }
        });
        try (Jedis old = cluster.jedis(leader)) {
            old.configSet("follower-redirect", "yes");
            JedisDataException e = assertThrows(JedisDataException.class, () -> old.incr("n"));
            assertEquals("MOVED " + JedisClusterCRC16.getSlot("n") + " " + newLeader, e.getMessage(),
                    "the old leader, now a follower, redirects too");
        }
    }

    @Test
    void withRedirectOffTheFollowerForwardsAgain() {
        try (Jedis f = cluster.jedis(follower)) {
            assertEquals("OK", f.configSet("follower-redirect", "no"));
            assertEquals("OK", f.set("fw", "1"));
            assertEquals("1", f.get("fw"));
        }
    }

    @Test
    void withNoLeaderAWriteFailsWithClusterdown() {
        int other = (leader + 2) % 3;
        try (Jedis f = cluster.jedis(follower)) {
            f.configSet("raft-request-timeout", "500");
        }
        cluster.stop(leader);
        cluster.stop(other);
        LocalCluster.awaitTrue("the survivor knows no leader",
                () -> LocalCluster.infoLong(cluster.raftInfo(follower), "raft_leader_id") == 0);
        try (Jedis f = cluster.jedis(follower)) {
            JedisDataException e = assertThrows(JedisDataException.class, () -> f.set("x", "1"));
            assertTrue(e.getMessage().startsWith("CLUSTERDOWN"), e.getMessage());
        }
    }
}
