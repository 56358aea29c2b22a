package io.redraft.pubsub;

import io.redraft.cluster.LocalCluster;
import io.redraft.testing.RawClient;
import io.redraft.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * PUBLISH through the log of a three-node group: a subscriber on every node receives every
 * message once, all in the same order, whichever node each message was published on; each
 * publisher is told how many clients received it on its own node.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PubSubClusterTest {
    private static final int NODES = 3;

    @TempDir
    Path dir;
    private LocalCluster cluster;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() throws InterruptedException {
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Publishes to a channel nobody listens to until the node accepts writes (a leader is known). */
    private static void awaitWritable(Jedis node) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                node.publish("warm-up", "x");
                return;
            } catch (JedisException e) {
                assertTrue(System.nanoTime() < deadline, "node never accepted writes: " + e.getMessage());
                Thread.sleep(50); // an election is under way: retry at a modest pace
            }
        }
    }

    @Test
    void everyNodeDeliversEveryMessageOnceInOneOrder() throws Exception {
        cluster = new LocalCluster(dir, NODES);
        List<RawClient> subscribers = new ArrayList<>();
        List<Jedis> publishers = new ArrayList<>();
        try {
            for (TestServer n : cluster.nodes) {
                RawClient sub = new RawClient(n.port());
                subscribers.add(sub);
                assertEquals(List.of("subscribe", "news", 1L), sub.call("SUBSCRIBE", "news"));
                Jedis pub = n.jedis();
                publishers.add(pub);
                awaitWritable(pub);
            }
            int perNode = 50;
            List<Future<?>> sent = new ArrayList<>();
            for (int p = 0; p < NODES; p++) {
                int id = p;
                Jedis pub = publishers.get(p);
                sent.add(threads.submit(() -> {
                    for (int m = 0; m < perNode; m++) {
                        // The reply counts receivers on the publisher's own node: its one subscriber.
                        assertEquals(1, pub.publish("news", id + ":" + m));
                    }
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get(60, TimeUnit.SECONDS);
            }
            List<List<String>> seen = new ArrayList<>();
            for (RawClient sub : subscribers) {
                List<String> messages = new ArrayList<>();
                for (int i = 0; i < NODES * perNode; i++) {
                    List<?> frame = (List<?>) sub.read();
                    assertEquals("message", frame.get(0));
                    assertEquals("news", frame.get(1));
                    messages.add((String) frame.get(2));
                }
                seen.add(messages);
            }
            Set<String> distinct = new HashSet<>(seen.get(0));
            assertEquals(NODES * perNode, distinct.size(), "every message once");
            for (int i = 1; i < NODES; i++) {
                assertEquals(seen.get(0), seen.get(i), "node " + (i + 1) + " delivered in another order");
            }
        } finally {
            for (RawClient s : subscribers) {
                s.close();
            }
            for (Jedis j : publishers) {
                j.close();
            }
        }
    }
}
