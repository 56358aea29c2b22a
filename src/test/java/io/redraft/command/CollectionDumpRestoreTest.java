package io.redraft.command;

import io.redraft.testing.ServerTestBase;
import io.redraft.store.rdb.Crc64;
import io.redraft.store.rdb.RedisPayloads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.resps.Tuple;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * DUMP/RESTORE of hashes, sets, sorted sets and lists: payloads captured from redis-server
 * 7.0.15 (see {@link RedisPayloads}) restore with the contents Redis held, and every type
 * round-trips through Redraft's own DUMP.
 */
@Timeout(60)
class CollectionDumpRestoreTest extends ServerTestBase {
    private void restore(String key, String hex) {
        assertEquals("OK", jedis.restore(key, 0, RedisPayloads.hex(hex)));
    }

    /** DUMPs key, RESTOREs it as key + ":copy" and returns the copy's name. */
    private String roundTrip(String key) {
        byte[] payload = jedis.dump(key);
        assertNotNull(payload);
        assertEquals("OK", jedis.restore(key + ":copy", 0, payload));
        return key + ":copy";
    }

    @Test
    void hashesFromRedis() {
        restore("hsmall", RedisPayloads.HASH_LISTPACK);
        assertEquals(Map.of("f1", "v1", "f2", "22", "n", "-5"), jedis.hgetAll("hsmall"));
        assertEquals("listpack", jedis.objectEncoding("hsmall"));

        restore("hbig", RedisPayloads.HASH_TABLE);
        Map<String, String> expected = new HashMap<>();
        for (int i = 1; i <= 600; i++) {
            expected.put("field" + i, "value" + i);
        }
        assertEquals(expected, jedis.hgetAll("hbig"));
        assertEquals("hashtable", jedis.objectEncoding("hbig"));

        assertEquals(expected, jedis.hgetAll(roundTrip("hbig")));
        assertEquals("hashtable", jedis.objectEncoding("hbig:copy"));
        assertEquals(Map.of("f1", "v1", "f2", "22", "n", "-5"), jedis.hgetAll(roundTrip("hsmall")));
        assertEquals("listpack", jedis.objectEncoding("hsmall:copy"));
        assertEquals(RedisPayloads.HASH_LISTPACK, RedisPayloads.hex(jedis.dump("hsmall")), "same bytes as Redis");
    }

    @Test
    void setsFromRedis() {
        restore("sint", RedisPayloads.SET_INTSET);
        assertEquals(Set.of("1", "2", "3", "-100", "70000", "5000000000"), jedis.smembers("sint"));
        assertEquals("intset", jedis.objectEncoding("sint"));
        assertEquals(RedisPayloads.SET_INTSET, RedisPayloads.hex(jedis.dump("sint")), "same bytes as Redis");

        restore("stext", RedisPayloads.SET_TEXT);
        assertEquals(Set.of("a", "bb", "ccc", "12"), jedis.smembers("stext"));

        restore("sbigint", RedisPayloads.SET_MANY_INTS);
        Set<String> ints = new HashSet<>();
        for (int i = 1; i <= 600; i++) {
            ints.add(Integer.toString(i));
        }
        assertEquals(ints, jedis.smembers("sbigint"));
        assertEquals("hashtable", jedis.objectEncoding("sbigint"), "600 > set-max-intset-entries");

        restore("sbigtext", RedisPayloads.SET_MANY_TEXT);
        Set<String> text = new HashSet<>();
        for (int i = 1; i <= 200; i++) {
            text.add("m" + i);
        }
        assertEquals(text, jedis.smembers("sbigtext"));
        assertEquals("hashtable", jedis.objectEncoding("sbigtext"));

        for (String k : List.of("sint", "stext", "sbigint", "sbigtext")) {
            assertEquals(jedis.smembers(k), jedis.smembers(roundTrip(k)), k);
            assertEquals(jedis.objectEncoding(k), jedis.objectEncoding(k + ":copy"), k);
        }
    }

    @Test
    void sortedSetsFromRedis() {
        restore("zsmall", RedisPayloads.ZSET_LISTPACK);
        assertEquals(List.of(new Tuple("c", -3.0), new Tuple("a", 1.0), new Tuple("b", 2.5),
                new Tuple("d", 100.0), new Tuple("e", 1e300)), jedis.zrangeWithScores("zsmall", 0, -1));
        assertEquals("listpack", jedis.objectEncoding("zsmall"));
        assertEquals(RedisPayloads.ZSET_LISTPACK, RedisPayloads.hex(jedis.dump("zsmall")), "same bytes as Redis");

        restore("zbig", RedisPayloads.ZSET_SKIPLIST);
        List<Tuple> expected = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            expected.add(new Tuple("member" + i, i + 0.5));
        }
        assertEquals(expected, jedis.zrangeWithScores("zbig", 0, -1));
        assertEquals("skiplist", jedis.objectEncoding("zbig"));

        for (String k : List.of("zsmall", "zbig")) {
            assertEquals(jedis.zrangeWithScores(k, 0, -1), jedis.zrangeWithScores(roundTrip(k), 0, -1), k);
            assertEquals(jedis.objectEncoding(k), jedis.objectEncoding(k + ":copy"), k);
        }
    }

    @Test
    void listsFromRedis() {
        restore("lsmall", RedisPayloads.LIST_PACKED);
        List<String> small = List.of("a", "1", "-2", "300", "70000", "5000000000", "hello", "");
        assertEquals(small, jedis.lrange("lsmall", 0, -1));
        assertEquals("listpack", jedis.objectEncoding("lsmall"));

        restore("lbig", RedisPayloads.LIST_PACKED_BIG);
        List<String> big = new ArrayList<>();
        for (int i = 1; i <= 300; i++) {
            big.add("element-number-" + i);
        }
        assertEquals(big, jedis.lrange("lbig", 0, -1));

        restore("lplain", RedisPayloads.LIST_WITH_PLAIN_NODE);
        assertEquals(List.of("x".repeat(9000), "small"), jedis.lrange("lplain", 0, -1));

        for (String k : List.of("lsmall", "lbig", "lplain")) {
            assertEquals(jedis.lrange(k, 0, -1), jedis.lrange(roundTrip(k), 0, -1), k);
            assertEquals(jedis.objectEncoding(k), jedis.objectEncoding(k + ":copy"), k);
        }
        // Lists dump in the same listpack nodes Redis writes, byte for byte.
        assertEquals(RedisPayloads.LIST_PACKED, RedisPayloads.hex(jedis.dump("lsmall")));
        assertEquals(RedisPayloads.LIST_PACKED_BIG, RedisPayloads.hex(jedis.dump("lbig")));
        assertEquals(RedisPayloads.LIST_WITH_PLAIN_NODE, RedisPayloads.hex(jedis.dump("lplain")));
    }

    @Test
    void everyListpackEncoding() {
        List<String> values = new ArrayList<>(List.of("0", "127", "128", "-1", "-4096", "4095", "4096", "-4097",
                "-32768", "32767", "32768", "8388607", "-8388608", "8388608", "2147483647", "-2147483648",
                "2147483648", "-9223372036854775808", "9223372036854775807", "9223372036854775808", "007", "-0"));
        values.addAll(List.of("y".repeat(100), "z".repeat(200), "w".repeat(5000)));
        restore("ledge", RedisPayloads.LIST_EVERY_ENCODING);
        assertEquals(values, jedis.lrange("ledge", 0, -1));
        jedis.del("ledge");
        jedis.rpush("ledge", values.toArray(new String[0]));
        assertEquals(RedisPayloads.LIST_EVERY_ENCODING, RedisPayloads.hex(jedis.dump("ledge")));
    }

    @Test
    void everyTypeRoundTripsWithBinaryAndIntegerContents() {
        byte[] bin = new byte[300];
        for (int i = 0; i < bin.length; i++) {
            bin[i] = (byte) i;
        }
        byte[] h = "h".getBytes();
        jedis.hset(h, bin, "-9223372036854775808".getBytes());
        jedis.hset(h, "12".getBytes(), bin);
        jedis.sadd("s", "-1", "9223372036854775807", "0");
        jedis.zadd("z", Double.NEGATIVE_INFINITY, "lo");
        jedis.zadd("z", Double.POSITIVE_INFINITY, "hi");
        jedis.zadd("z", -0.1, "x");
        jedis.rpush("l".getBytes(), bin, "7".getBytes(), new byte[0]);

        Map<byte[], byte[]> hash = jedis.hgetAll(h);
        Map<byte[], byte[]> hashCopy = jedis.hgetAll(roundTrip("h").getBytes());
        assertEquals(sorted(hash), sorted(hashCopy));
        assertEquals(jedis.smembers("s"), jedis.smembers(roundTrip("s")));
        assertEquals("intset", jedis.objectEncoding("s:copy"));
        assertEquals(jedis.zrangeWithScores("z", 0, -1), jedis.zrangeWithScores(roundTrip("z"), 0, -1));
        List<byte[]> list = jedis.lrange("l".getBytes(), 0, -1);
        List<byte[]> copy = jedis.lrange(roundTrip("l").getBytes(), 0, -1);
        assertEquals(list.size(), copy.size());
        for (int i = 0; i < list.size(); i++) {
            assertArrayEquals(list.get(i), copy.get(i));
        }
    }

    /** Ziplist types of Redis before 7.0 (hand-built blobs: no 7.0 server writes them). */
    @Test
    void ziplistsOfOlderRedisVersions() {
        // a, b, 5 (immediate), 300 (int16), -1 (int8), hello
        String zl = "21000000190000000600" + "000161" + "030162" + "03f6" + "02c02c01" + "04feff" + "030568656c6c6f" + "ff";
        assertEquals("OK", jedis.restore("ql", 0, withFooter("0e0121" + zl)));
        assertEquals(List.of("a", "b", "5", "300", "-1", "hello"), jedis.lrange("ql", 0, -1));
        assertEquals("OK", jedis.restore("zl", 0, withFooter("0a21" + zl)));
        assertEquals(List.of("a", "b", "5", "300", "-1", "hello"), jedis.lrange("zl", 0, -1));
        assertEquals("OK", jedis.restore("h", 0, withFooter("0d21" + zl)));
        assertEquals(Map.of("a", "b", "5", "300", "-1", "hello"), jedis.hgetAll("h"));
        assertEquals("listpack", jedis.objectEncoding("h"));
        // a 5, b 300
        String zset = "17000000120000000400" + "000161" + "03f6" + "020162" + "03c02c01" + "ff";
        assertEquals("OK", jedis.restore("z", 0, withFooter("0c17" + zset)));
        assertEquals(List.of(new Tuple("a", 5.0), new Tuple("b", 300.0)), jedis.zrangeWithScores("z", 0, -1));
        // count in the header disagrees with the entries
        String bad = zl.substring(0, 16) + "07" + zl.substring(18);
        assertEquals("ERR Bad data format", restoreError(withFooter("0e0121" + bad)));
    }

    private static Map<String, String> sorted(Map<byte[], byte[]> m) {
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(Arrays.toString(k), Arrays.toString(v)));
        return new java.util.TreeMap<>(out);
    }

    @Test
    void corruptCollectionPayloads() {
        byte[] good = RedisPayloads.hex(RedisPayloads.HASH_LISTPACK);
        byte[] flipped = good.clone();
        flipped[5] ^= 1;
        assertEquals("ERR DUMP payload version or checksum are wrong", restoreError(flipped));

        // Sound footers around broken bodies: each is a format error, not a crash or a partial key.
        String[] bodies = {
                "101b1b00000006008266310382763103826632031601816e02dffb02fe", // listpack without terminator
                "101b1c00000006008266310382763103826632031601816e02dffb02ff", // listpack total bytes wrong
                "101b1b00000005008266310382763103826632031601816e02dffb02ff", // count mismatch (odd for a hash)
                "0402016101620161016300",                                    // HASH with a duplicate field
                "0400",                                                      // empty hash
                "020201610161",                                              // SET with a duplicate member
                "0b0c020000000300000001000200",                              // intset: count does not fit
                "0b0c020000000200000005000100",                              // blob truncated
                "0b0c02000000020000000500050000",                            // intset not ascending
                "05010161000000000000f87f",                                  // ZSET_2 with a NaN score
                "0501016100",                                                // ZSET_2 score truncated
                "1201030161",                                                // unknown quicklist container
                "1201020a0a0000000100e16102ff",                              // entry length past the end
                "0f00",                                                      // stream: unsupported type
        };
        for (String body : bodies) {
            byte[] payload = withFooter(body);
            JedisDataException e = assertThrows(JedisDataException.class, () -> jedis.restore("k", 0, payload), body);
            assertEquals("ERR Bad data format", e.getMessage(), body);
        }
        assertTrue(jedis.keys("*").isEmpty());
    }

    private String restoreError(byte[] payload) {
        return assertThrows(JedisDataException.class, () -> jedis.restore("k", 0, payload)).getMessage();
    }

    /** A body with a valid RDB-version and CRC-64 footer, so only the body can be at fault. */
    static byte[] withFooter(String bodyHex) {
        byte[] body = RedisPayloads.hex(bodyHex + "0a00");
        long crc = Crc64.of(body);
        byte[] out = Arrays.copyOf(body, body.length + 8);
        for (int i = 0; i < 8; i++) {
            out[body.length + i] = (byte) (crc >>> (8 * i));
        }
        return out;
    }
}
