package io.redraft.cluster;

import io.redraft.store.BlockedWaiters;
import io.redraft.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.redraft.testing.Raw.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Blocking commands across a leader change in a three-node cluster: every blocked client, on the
 * old leader and on the followers, gets an UNBLOCKED error promptly, the replicated waiter table
 * is empty and identical on every node, and blocking works again under the new leader.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BlockedClientsLeaderChangeTest {
    private static final String UNBLOCKED =
            "UNBLOCKED force unblock from blocking operation, instance state changed (Raft leader changed)";
    @TempDir
    Path dir;
    private LocalCluster cluster;
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @BeforeEach
    void start() throws Exception {
        cluster = new LocalCluster(dir, 3);
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
        cluster.close();
    }

    @Test
    void aLeaderChangeEndsEveryBlockedClientWithAnErrorAndBlockingWorksAfterwards() throws Exception {
        int leader = cluster.awaitLeader();
        List<Jedis> clients = new ArrayList<>();
        List<Future<Object>> blocked = new ArrayList<>();
        try {
            for (int n = 0; n < 3; n++) { // one client blocked on each node, with and without a timeout
                int i = n;
                Jedis j = cluster.jedis(i);
                clients.add(j);
                String timeout = i == 0 ? "0" : "60";
                blocked.add(pool.submit(() -> replyOrError(j, "BLPOP", "q" + i, timeout)));
            }
            awaitWaiters(3);
            int target = (leader + 1) % 3;
            try (Jedis l = cluster.jedis(leader)) {
                assertEquals((long) target + 1, (Long) l.sendCommand(() -> "RAFT.TRANSFER-LEADER".getBytes(),
                        Integer.toString(target + 1)));
            }
            long started = System.nanoTime();
            for (Future<Object> f : blocked) {
                Object reply = f.get(10, TimeUnit.SECONDS);
                JedisDataException e = assertInstanceOf(JedisDataException.class, reply);
                assertEquals(UNBLOCKED, e.getMessage());
            }
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(10));
            awaitWaiters(0);
            // The connections that were blocked go on serving commands.
            for (Jedis j : clients) {
                assertEquals("PONG", j.ping());
            }
        } finally {
            clients.forEach(Jedis::close);
        }
        int now = cluster.awaitLeader();
        // Blocking works again: a client on a follower is served by a push through another node.
        int follower = (now + 1) % 3;
        try (Jedis waiting = cluster.jedis(follower); Jedis pusher = cluster.jedis((follower + 1) % 3)) {
            Future<Object> pop = pool.submit(() -> call(waiting, "BLPOP", "jobs", "0"));
            awaitWaiters(1);
            pusher.rpush("jobs", "job-1");
            assertEquals(List.of("jobs", "job-1"), pop.get(10, TimeUnit.SECONDS));
        }
        awaitWaiters(0);
        for (int i = 0; i < 3; i++) {
            try (Jedis j = cluster.jedis(i)) {
                assertEquals(0, j.llen("jobs"), "node " + (i + 1));
            }
        }
    }

    @Test
    void aBlockedCommandOfACrashedLeadersClientDoesNotTakeTheNextElement() throws Exception {
        int leader = cluster.awaitLeader();
        Jedis onLeader = cluster.jedis(leader);
        Future<Object> lost = pool.submit(() -> call(onLeader, "BLPOP", "work", "0"));
        awaitWaiters(1);
        cluster.stop(leader); // its client's waiter stays in the replicated table of the others
        try {
            lost.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException expected) {
            // the connection was closed with the node
        }
        onLeader.close();
        cluster.awaitLeader();
        awaitWaiters(0); // the new leader's first entry ended it
        int survivor = (leader + 1) % 3;
        try (Jedis j = cluster.jedis(survivor)) {
            j.rpush("work", "w1");
            assertEquals(List.of("w1"), j.lrange("work", 0, -1), "no dead waiter took the element");
        }
    }

    /** The reply, or the error reply as the exception Jedis makes of it. */
    private static Object replyOrError(Jedis j, String... argv) {
        try {
            return call(j, argv);
        } catch (JedisDataException e) {
            return e;
        }
    }

    /** Waits until every running node's replicated waiter table holds n waiters, the same ids everywhere. */
    private void awaitWaiters(int n) {
        LocalCluster.awaitTrue("every node with " + n + " identical waiters", () -> {
            List<Long> first = null;
            for (TestServer node : cluster.nodes) {
                if (node == null) {
                    continue;
                }
                List<Long> ids = waiterIds(node);
                if (ids.size() != n || (first != null && !first.equals(ids))) {
                    return false;
                }
                first = ids;
            }
            return true;
        });
    }

    private static List<Long> waiterIds(TestServer node) {
        CommandExecutor executor = node.server().context().executor();
        try {
            return executor.thread().submit(() -> {
                List<Long> ids = new ArrayList<>();
                for (BlockedWaiters.Waiter w : node.server().context().keyspace().waiters().all()) {
                    ids.add(w.id());
                }
                ids.sort(null);
                return ids;
            }).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
