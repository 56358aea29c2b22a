package io.redraft.cluster;

import io.redraft.store.BlockedWaiters;
import io.redraft.testing.ServerTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.redraft.testing.Raw.call;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Waiters whose client is not connected to this node (a previous incarnation's, another node's)
 * are removed through one log entry when the node takes the lead; its own clients keep waiting.
 */
@Timeout(60)
class OrphanWaitersTest extends ServerTestBase {
    private <T> T onKeyspaceThread(Callable<T> task) throws Exception {
        CommandExecutor executor = server.server().context().executor();
        return executor.thread().submit(task).get(20, TimeUnit.SECONDS);
    }

    private List<Long> waiterIds() throws Exception {
        return onKeyspaceThread(() -> {
            List<Long> ids = new ArrayList<>();
            for (BlockedWaiters.Waiter w : server.server().context().keyspace().waiters().all()) {
                ids.add(w.id());
            }
            return ids;
        });
    }

    @Test
    void leadershipRemovesWaitersOfAbsentClientsOnly() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Jedis mine = server.jedis()) {
            // A waiter as a restarted node finds in its log: owned by a run id that is not this
            // one, and first in line for k.
            byte[][] argv = {b("old-run-id"), b("7"), b("BLPOP"), b("k"), b("0")};
            onKeyspaceThread(() -> {
                server.server().context().executor().propose(new WriteEntry(WriteEntry.BLOCK, 0,
                        System.currentTimeMillis(), argv));
                return null;
            });
            assertEquals(1, waiterIds().size());
            Future<Object> local = pool.submit(() -> call(mine, "BLPOP", "k", "0"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (waiterIds().size() != 2) {
                assertTrue(System.nanoTime() < deadline, "the local client never blocked");
                Thread.sleep(2);
            }

            onKeyspaceThread(() -> {
                server.server().context().executor().stateMachine().onLeadershipAcquired();
                return null;
            });
            assertEquals(1, waiterIds().size(), "the orphan is gone, the live client still waits");
            jedis.rpush("k", "v");
            assertEquals(List.of("k", "v"), future(local), "the live client gets the element, not the orphan");
        } finally {
            pool.shutdownNow();
        }
    }

    private static Object future(Future<Object> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
