package io.redraft.command;

import io.redraft.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static io.redraft.testing.Raw.call;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Applying the same writes to two fresh servers must leave identical hashes and lists, element
 * order and encoding included (under Raft every node applies the log this way). Hashes grow past
 * the listpack limits so the hashtable's iteration order is compared too.
 */
@Timeout(120)
class HashListDeterminismTest {
    private static final String[] HASHES = {"h1", "h2", "h3"};
    private static final String[] LISTS = {"l1", "l2", "l3"};

    @Test
    void sameWritesSameState() throws Exception {
        List<String[]> writes = script(42, 6000);
        try (TestServer a = TestServer.start(); TestServer b = TestServer.start();
             Jedis ja = a.jedis(); Jedis jb = b.jedis()) {
            apply(ja, writes);
            apply(jb, writes);
            for (String h : HASHES) {
                Object state = call(ja, "HGETALL", h);
                assertEquals(state, call(jb, "HGETALL", h), h);
                assertEquals(HashCommandsTest.encoding(a, h), HashCommandsTest.encoding(b, h), h);
                assertEquals(scanAll(ja, h), scanAll(jb, h), "HSCAN pages of " + h);
            }
            for (String l : LISTS) {
                Object state = call(ja, "LRANGE", l, "0", "-1");
                assertEquals(state, call(jb, "LRANGE", l, "0", "-1"), l);
                assertEquals(HashCommandsTest.encoding(a, l), HashCommandsTest.encoding(b, l), l);
            }
            assertEquals("hashtable", HashCommandsTest.encoding(a, "h1"), "the script grows hashes past the limit");
        }
    }

    private static List<Object> scanAll(Jedis j, String key) {
        List<Object> pages = new ArrayList<>();
        String cursor = "0";
        do {
            @SuppressWarnings("unchecked")
            List<Object> page = (List<Object>) call(j, "HSCAN", key, cursor, "COUNT", "7");
            pages.add(page);
            cursor = (String) page.get(0);
        } while (!cursor.equals("0"));
        return pages;
    }

    private static void apply(Jedis j, List<String[]> writes) {
        Pipeline p = j.pipelined();
        for (String[] w : writes) {
            byte[][] args = new byte[w.length - 1][];
            for (int i = 1; i < w.length; i++) {
                args[i - 1] = w[i].getBytes();
            }
            byte[] name = w[0].getBytes();
            p.sendCommand(() -> name, args);
        }
        p.syncAndReturnAll(); // errors (e.g. LSET out of range) are part of the script
    }

    private static List<String[]> script(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        List<String[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String h = HASHES[r.nextInt(HASHES.length)];
            String l = LISTS[r.nextInt(LISTS.length)];
            String f = "f" + r.nextInt(300);
            String v = r.nextInt(10) == 0 ? "long".repeat(20) : "v" + r.nextInt(50);
            switch (r.nextInt(12)) {
                case 0, 1 -> out.add(new String[] {"HSET", h, f, v, "g" + r.nextInt(300), v});
                case 2 -> out.add(new String[] {"HDEL", h, f, "g" + r.nextInt(300)});
                case 3 -> out.add(new String[] {"HINCRBY", h, "n" + r.nextInt(5), Integer.toString(r.nextInt(100))});
                case 4 -> out.add(new String[] {"HINCRBYFLOAT", h, "x" + r.nextInt(5), "0.1"});
                case 5 -> out.add(new String[] {"RPUSH", l, v, "v" + r.nextInt(50)});
                case 6 -> out.add(new String[] {"LPUSH", l, v});
                case 7 -> out.add(new String[] {"LPOP", l, Integer.toString(r.nextInt(3))});
                case 8 -> out.add(new String[] {"LMOVE", l, LISTS[r.nextInt(LISTS.length)], "LEFT", "RIGHT"});
                case 9 -> out.add(new String[] {"LREM", l, Integer.toString(r.nextInt(5) - 2), "v" + r.nextInt(50)});
                case 10 -> out.add(new String[] {"LINSERT", l, "BEFORE", "v" + r.nextInt(50), v});
                default -> out.add(new String[] {"LSET", l, Integer.toString(r.nextInt(20) - 10), v});
            }
        }
        return out;
    }
}
