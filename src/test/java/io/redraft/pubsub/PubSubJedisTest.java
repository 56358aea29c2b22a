package io.redraft.pubsub;

import io.redraft.testing.ServerTestBase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Pub/Sub through Jedis (RESP2): JedisPubSub subscribers on their own connections, publishers on others. */
@Timeout(60)
class PubSubJedisTest extends ServerTestBase {
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
    }

    /** Records every callback as a list of strings: [kind, (pattern,) channel, message or count]. */
    static final class Recorder extends JedisPubSub {
        final BlockingQueue<List<String>> events = new LinkedBlockingQueue<>();

        @Override
        public void onMessage(String channel, String message) {
            events.add(List.of("message", channel, message));
        }

        @Override
        public void onPMessage(String pattern, String channel, String message) {
            events.add(List.of("pmessage", pattern, channel, message));
        }

        @Override
        public void onSubscribe(String channel, int count) {
            events.add(List.of("subscribe", channel, Integer.toString(count)));
        }

        @Override
        public void onPSubscribe(String pattern, int count) {
            events.add(List.of("psubscribe", pattern, Integer.toString(count)));
        }

        @Override
        public void onUnsubscribe(String channel, int count) {
            events.add(List.of("unsubscribe", channel, Integer.toString(count)));
        }

        @Override
        public void onPUnsubscribe(String pattern, int count) {
            events.add(List.of("punsubscribe", pattern, Integer.toString(count)));
        }

        List<String> next() throws InterruptedException {
            List<String> e = events.poll(10, TimeUnit.SECONDS);
            assertNotNull(e, "no pub/sub event within 10 s");
            return e;
        }
    }

    /** Runs a subscription loop on its own connection; the future ends when it has no subscription left. */
    private Future<?> subscribe(Recorder rec, String... channels) {
        return threads.submit(() -> {
            try (Jedis j = server.jedis()) {
                j.subscribe(rec, channels);
            }
            return null;
        });
    }

    private Future<?> psubscribe(Recorder rec, String... patterns) {
        return threads.submit(() -> {
            try (Jedis j = server.jedis()) {
                j.psubscribe(rec, patterns);
            }
            return null;
        });
    }

    @Test
    void subscriberReceivesWhatAnotherConnectionPublishes() throws Exception {
        Recorder rec = new Recorder();
        Future<?> loop = subscribe(rec, "news", "sport");
        assertEquals(List.of("subscribe", "news", "1"), rec.next());
        assertEquals(List.of("subscribe", "sport", "2"), rec.next());

        assertEquals(1, jedis.publish("news", "hello"));
        assertEquals(List.of("message", "news", "hello"), rec.next());
        assertEquals(0, jedis.publish("weather", "rain"));

        rec.psubscribe("n*");
        assertEquals(List.of("psubscribe", "n*", "3"), rec.next());
        assertEquals(2, jedis.publish("news", "again"));
        assertEquals(List.of("message", "news", "again"), rec.next());
        assertEquals(List.of("pmessage", "n*", "news", "again"), rec.next());
        assertEquals(1, jedis.publish("nature", "tree"));
        assertEquals(List.of("pmessage", "n*", "nature", "tree"), rec.next());

        assertEquals(Map.of("news", 1L, "sport", 1L, "none", 0L), jedis.pubsubNumSub("news", "sport", "none"));
        assertEquals(1, jedis.pubsubNumPat());
        assertEquals(List.of("news"), jedis.pubsubChannels("ne*"));

        rec.unsubscribe();
        assertEquals(List.of("unsubscribe", "news", "2"), rec.next());
        assertEquals(List.of("unsubscribe", "sport", "1"), rec.next());
        rec.punsubscribe();
        assertEquals(List.of("punsubscribe", "n*", "0"), rec.next());
        loop.get(10, TimeUnit.SECONDS); // Jedis leaves its loop at count 0
        assertEquals(0, jedis.publish("news", "late"));
        assertEquals(0, jedis.pubsubNumPat());
    }

    @Test
    void binaryChannelsAndMessages() throws Exception {
        byte[] channel = {0, (byte) 0xff, 'c', '\r', '\n'};
        byte[] message = {(byte) 0x80, 0, '\n', 'm'};
        BlockingQueue<byte[][]> got = new LinkedBlockingQueue<>();
        redis.clients.jedis.BinaryJedisPubSub rec = new redis.clients.jedis.BinaryJedisPubSub() {
            @Override
            public void onSubscribe(byte[] ch, int count) {
                got.add(new byte[][]{ch});
            }

            @Override
            public void onMessage(byte[] ch, byte[] msg) {
                got.add(new byte[][]{ch, msg});
            }
        };
        threads.submit(() -> {
            try (Jedis j = server.jedis()) {
                j.subscribe(rec, channel);
            }
            return null;
        });
        byte[][] confirmed = got.poll(10, TimeUnit.SECONDS);
        assertNotNull(confirmed);
        assertArrayEquals(channel, confirmed[0]);
        assertEquals(1, jedis.publish(channel, message));
        byte[][] m = got.poll(10, TimeUnit.SECONDS);
        assertNotNull(m);
        assertArrayEquals(channel, m[0]);
        assertArrayEquals(message, m[1]);
        rec.unsubscribe();
    }

    /**
     * Three publishers race; a channel subscriber and a pattern subscriber must see the same
     * single order (the log order), and each publisher's messages in the order it sent them.
     */
    @Test
    void concurrentPublishersOneOrderForEverySubscriber() throws Exception {
        int publishers = 3;
        int perPublisher = 300;
        int total = publishers * perPublisher;
        Recorder byChannel = new Recorder();
        Recorder byPattern = new Recorder();
        Future<?> l1 = subscribe(byChannel, "order");
        Future<?> l2 = psubscribe(byPattern, "ord*");
        assertEquals("subscribe", byChannel.next().get(0));
        assertEquals("psubscribe", byPattern.next().get(0));

        List<Future<?>> sent = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            int id = p;
            sent.add(threads.submit(() -> {
                try (Jedis j = server.jedis()) {
                    for (int n = 0; n < perPublisher; n++) {
                        assertEquals(2, j.publish("order", id + ":" + n));
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : sent) {
            f.get(30, TimeUnit.SECONDS);
        }
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            first.add(byChannel.next().get(2));
            second.add(byPattern.next().get(3));
        }
        assertEquals(first, second, "both subscribers see one order");
        int[] last = new int[publishers];
        java.util.Arrays.fill(last, -1);
        for (String m : first) {
            String[] parts = m.split(":");
            int p = Integer.parseInt(parts[0]);
            int n = Integer.parseInt(parts[1]);
            assertEquals(last[p] + 1, n, "publisher " + p + " out of order");
            last[p] = n;
        }
        byChannel.unsubscribe();
        byPattern.punsubscribe();
        l1.get(10, TimeUnit.SECONDS);
        l2.get(10, TimeUnit.SECONDS);
    }
}
