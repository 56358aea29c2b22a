package io.redraft.cluster;

import io.redraft.store.BlockedWaiters;
import io.redraft.testing.ServerTestBase;
import io.redraft.testing.TestServer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
            awaitWaiters(1); // proposals apply once committed
            Future<Object> local = pool.submit(() -> call(mine, "BLPOP", "k", "0"));
            awaitWaiters(2);

            onKeyspaceThread(() -> {
                server.server().context().executor().stateMachine().onLeadershipAcquired();
                return null;
            });
            awaitWaiters(1); // the orphan is gone, the live client still waits
            jedis.rpush("k", "v");
            assertEquals(List.of("k", "v"), future(local), "the live client gets the element, not the orphan");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRestartEndsTheWaitersOfThePreviousRun(@TempDir Path dir) throws Exception {
        try (TestServer first = TestServer.startIn(dir)) {
            CommandExecutor executor = first.server().context().executor();
            byte[][] argv = {b(first.server().context().runId()), b("1"), b("BLPOP"), b("k"), b("0")};
            executor.thread().submit(() -> executor.propose(new WriteEntry(WriteEntry.BLOCK, 0,
                    System.currentTimeMillis(), argv))).get(20, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (executor.thread().submit(() -> first.server().context().keyspace().waiters().size())
                    .get(20, TimeUnit.SECONDS) != 1) {
                assertTrue(System.nanoTime() < deadline, "the BLOCK entry never applied");
                Thread.sleep(2);
            }
        }
        try (TestServer again = TestServer.startIn(dir); Jedis j = again.jedis()) {
            // The replayed waiter belonged to a client of the previous run: it is gone at start,
            // so it does not take this push.
            j.rpush("k", "v");
            assertEquals(List.of("v"), j.lrange("k", 0, -1));
            CommandExecutor executor = again.server().context().executor();
            assertEquals(0, executor.thread().submit(() -> again.server().context().keyspace().waiters().size())
                    .get(20, TimeUnit.SECONDS));
        }
    }

    private void awaitWaiters(int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (waiterIds().size() != n) {
            assertTrue(System.nanoTime() < deadline, "never " + n + " waiters: " + waiterIds());
            Thread.sleep(2);
        }
    }

    private static Object future(Future<Object> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
