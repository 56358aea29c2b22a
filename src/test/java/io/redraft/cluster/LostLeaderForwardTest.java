package io.redraft.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A write a follower forwarded to a leader that then died is answered as soon as the follower
 * sees the leadership go, not after raft-request-timeout (set very long here), so that a client
 * can retry against the new leader within an election's time.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LostLeaderForwardTest {
    @TempDir
    Path dir;

    @Test
    void aWriteForwardedToADeadLeaderFailsAtTheLeaderChange() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, 3, "raft-request-timeout", "60000")) {
            int leader = cluster.awaitLeader();
            int follower = (leader + 1) % 3;
            try (Jedis j = cluster.jedis(follower)) {
                assertEquals("OK", j.set("before", "1")); // the follower knows the leader and forwards to it
                cluster.stop(leader);
                long start = System.nanoTime();
                String outcome;
                try {
                    outcome = j.set("after", "1");
                } catch (JedisDataException e) {
                    outcome = e.getMessage();
                }
                long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
                assertTrue(seconds < 15, "answered after " + seconds + " s: " + outcome);
                // Either the follower had already seen the leader go (the write then waited for
                // the new one and succeeded) or it forwarded to the dead one: outcome unknown.
                assertTrue(outcome.equals("OK") || outcome.startsWith("TIMEOUT"), outcome);
            }
            int next = cluster.awaitLeader();
            try (Jedis j = cluster.jedis(follower == next ? follower : next)) {
                assertEquals("OK", j.set("later", "1"));
            }
        }
    }
}
