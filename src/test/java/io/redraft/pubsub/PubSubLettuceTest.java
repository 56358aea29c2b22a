package io.redraft.pubsub;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.pubsub.api.sync.RedisPubSubCommands;
import io.redraft.testing.ServerPerClass;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Pub/Sub through Lettuce 6, which speaks RESP3: messages arrive as push frames on a
 * connection that keeps running ordinary commands between them.
 */
@Timeout(60)
class PubSubLettuceTest extends ServerPerClass {
    private RedisClient client;

    @BeforeEach
    void connect() {
        client = RedisClient.create("redis://127.0.0.1:" + server.port());
        client.setDefaultTimeout(Duration.ofSeconds(10));
    }

    @AfterEach
    void shutdown() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    /** Records pushes as "kind|pattern|channel|message". */
    static final class Listener extends RedisPubSubAdapter<String, String> {
        final BlockingQueue<String> got = new LinkedBlockingQueue<>();

        @Override
        public void message(String channel, String message) {
            got.add("message|" + channel + "|" + message);
        }

        @Override
        public void message(String pattern, String channel, String message) {
            got.add("pmessage|" + pattern + "|" + channel + "|" + message);
        }

        @Override
        public void smessage(String channel, String message) {
            got.add("smessage|" + channel + "|" + message);
        }

        String next() throws InterruptedException {
            String m = got.poll(10, TimeUnit.SECONDS);
            assertNotNull(m, "no push within 10 s");
            return m;
        }
    }

    @Test
    void pushesInterleaveWithOrdinaryCommandsOnOneConnection() throws Exception {
        Listener listener = new Listener();
        try (StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
             StatefulRedisConnection<String, String> pubConn = client.connect()) {
            sub.addListener(listener);
            RedisPubSubCommands<String, String> s = sub.sync();
            RedisCommands<String, String> pub = pubConn.sync();
            s.subscribe("ch");
            s.psubscribe("c*");
            s.ssubscribe("shard");

            assertEquals(2L, pub.publish("ch", "one"));
            assertEquals("message|ch|one", listener.next());
            assertEquals("pmessage|c*|ch|one", listener.next());
            // RESP3: the subscribed connection runs anything.
            assertEquals("OK", s.set("k", "v"));
            assertEquals("v", s.get("k"));
            assertEquals("PONG", s.ping());
            assertEquals(1L, pub.publish("cat", "two"));
            assertEquals("pmessage|c*|cat|two", listener.next());
            assertEquals(1L, pub.spublish("shard", "three"));
            assertEquals("smessage|shard|three", listener.next());

            // Many messages while the subscriber keeps issuing commands: none is lost or mixed up.
            for (int i = 0; i < 200; i++) {
                assertEquals(2L, pub.publish("ch", "m" + i));
                assertEquals(Long.toString(i + 1), Long.toString(s.incr("counter")));
            }
            for (int i = 0; i < 200; i++) {
                assertEquals("message|ch|m" + i, listener.next());
                assertEquals("pmessage|c*|ch|m" + i, listener.next());
            }

            assertEquals(Map.of("ch", 1L), pub.pubsubNumsub("ch"));
            assertEquals(1L, pub.pubsubNumpat());
            assertEquals(List.of("shard"), pub.pubsubShardChannels());
            assertEquals(Map.of("shard", 1L), pub.pubsubShardNumsub("shard"));

            s.unsubscribe("ch");
            s.punsubscribe("c*");
            s.sunsubscribe("shard");
            assertEquals(0L, pub.publish("ch", "after"));
            assertEquals(0L, pub.pubsubNumpat());
            assertNull(listener.got.poll(100, TimeUnit.MILLISECONDS), "nothing after unsubscribing");
        }
    }

    @Test
    void subscriberPublishingToItselfGetsThePushBeforeTheCount() throws Exception {
        Listener listener = new Listener();
        try (StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub()) {
            sub.addListener(listener);
            sub.sync().subscribe("me");
            assertEquals(1L, sub.sync().publish("me", "hi"));
            assertEquals("message|me|hi", listener.got.poll(0, TimeUnit.SECONDS), "delivered before the reply");
        }
    }
}
