package io.redraft.command;

import io.redraft.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Keys with short deadlines are deleted by the active expiry cycle (log entries proposed by the
 * keyspace thread), without any client touching them: DBSIZE counts stored keys, expired or not,
 * so it reaching zero proves the deletion.
 */
@Timeout(60)
class ActiveExpiryTest {
    @Test
    void untouchedExpiredKeysAreDeleted() throws InterruptedException {
        try (TestServer server = TestServer.start("hz", "100"); Jedis jedis = server.jedis()) {
            int n = 2000;
            Pipeline p = jedis.pipelined();
            for (int i = 0; i < n; i++) {
                p.set("short:" + i, "v");
                p.pexpire("short:" + i, 100 + (i % 50));
            }
            p.set("keep", "v");
            // Every key was stored with its deadline (PEXPIRE replied 1), so only expiry can remove them.
            long withDeadline = p.syncAndReturnAll().stream().filter(r -> Long.valueOf(1).equals(r)).count();
            assertEquals(n, withDeadline);

            long deadline = System.currentTimeMillis() + 30_000;
            while (jedis.dbSize() > 1 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(1, jedis.dbSize(), "expired keys left in memory");
            assertEquals("v", jedis.get("keep"));
        }
    }
}
