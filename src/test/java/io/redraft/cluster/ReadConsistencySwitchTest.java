package io.redraft.cluster;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CONFIG SET read-consistency at run time, in a three-node cluster. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReadConsistencySwitchTest {
    @TempDir
    Path dir;
    private LocalCluster cluster;
    private int leader;

    @BeforeEach
    void start() throws Exception {
        cluster = new LocalCluster(dir, 3);
        leader = cluster.awaitLeader();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private String confirmation(int node) {
        return LocalCluster.infoField(cluster.raftInfo(node), "raft_read_confirmation");
    }

    private long leaseReads(int node) {
        return LocalCluster.infoLong(cluster.raftInfo(node), "raft_lease_reads");
    }

    @Test
    void theLeaderSwitchesToLeaseReadsAndBack() {
        assertEquals("readindex", confirmation(leader));
        try (Jedis l = cluster.jedis(leader)) {
            l.set("k", "1");
            assertEquals("OK", l.configSet("read-consistency", "lease"));
            assertEquals("lease", l.configGet("read-consistency").get("read-consistency"));
            LocalCluster.awaitTrue("the core follows the setting", () -> confirmation(leader).equals("lease"));
            LocalCluster.awaitTrue("reads served from the lease", () -> {
                assertEquals("1", l.get("k"));
                return leaseReads(leader) > 0;
            });
            // Reads through a follower are confirmed by the leader too, from its lease.
            long before = leaseReads(leader);
            try (Jedis f = cluster.jedis((leader + 1) % 3)) {
                l.set("k", "2");
                assertEquals("2", f.get("k"));
            }
            assertTrue(leaseReads(leader) > before, "the follower's read was confirmed by the lease");

            assertEquals("OK", l.configSet("read-consistency", "linearizable"));
            LocalCluster.awaitTrue("back to ReadIndex", () -> confirmation(leader).equals("readindex"));
            long after = leaseReads(leader);
            for (int i = 0; i < 20; i++) {
                assertEquals("2", l.get("k"));
            }
            assertEquals(after, leaseReads(leader), "no lease read once linearizable again");
        }
    }

    @Test
    void staleReadsServeALoneNodeAndLinearizableReadsRefuseThem() {
        int survivor = (leader + 1) % 3;
        try (Jedis l = cluster.jedis(leader)) {
            l.set("s", "v");
        }
        try (Jedis f = cluster.jedis(survivor)) {
            assertEquals("v", f.get("s")); // the survivor has applied the write
            f.configSet("raft-request-timeout", "500");
        }
        cluster.stop(leader);
        cluster.stop((leader + 2) % 3);
        try (Jedis f = cluster.jedis(survivor)) {
            JedisDataException e = assertThrows(JedisDataException.class, () -> f.get("s"));
            assertTrue(e.getMessage().startsWith("CLUSTERDOWN"), e.getMessage());
            assertEquals("OK", f.configSet("read-consistency", "stale"));
            assertEquals("v", f.get("s"), "a stale read from what this node applied");
            assertEquals("OK", f.configSet("read-consistency", "linearizable"));
            e = assertThrows(JedisDataException.class, () -> f.get("s"));
            assertTrue(e.getMessage().startsWith("CLUSTERDOWN"), e.getMessage());
        }
    }
}
