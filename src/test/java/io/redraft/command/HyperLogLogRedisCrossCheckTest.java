package io.redraft.command;

import io.redraft.testing.RealRedis;
import io.redraft.testing.ServerPerClass;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the same HyperLogLog commands on Redraft and on a real redis-server 7.0 and requires the
 * same replies and the same stored bytes (GET and DUMP) after every step: small HLLs, the
 * sparse-to-dense promotion, 100k elements, merges of sparse and dense HLLs, binary elements,
 * a lowered hll-sparse-max-bytes, PFDEBUG output and corrupted values.
 */
@Timeout(300)
class HyperLogLogRedisCrossCheckTest extends ServerPerClass {
    private static RealRedis redis;
    private Jedis ours;
    private Jedis theirs;

    @BeforeAll
    static void startRedis() {
        redis = RealRedis.start();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    void connect() {
        ours = server.jedis();
        theirs = redis.jedis();
        ours.flushAll();
        theirs.flushAll();
        same("CONFIG", "SET", "hll-sparse-max-bytes", "3000");
    }

    @AfterEach
    void disconnect() {
        ours.close();
        theirs.close();
    }

    /** Sends args to both servers and requires the same reply (or the same error); returns it. */
    private Object same(String... args) {
        Object expected = reply(theirs, args);
        Object actual = reply(ours, args);
        assertEquals(expected, actual, () -> describe(args));
        return actual;
    }

    private static Object reply(Jedis jedis, String... args) {
        try {
            return StringTestSupport.call(jedis, args);
        } catch (JedisDataException e) {
            return "error: " + e.getMessage();
        }
    }

    /** The stored string and its DUMP payload are byte-identical on both servers. */
    private void sameBytes(String key) {
        Object expected = reply(theirs, "GET", key);
        Object actual = reply(ours, "GET", key);
        if (!java.util.Objects.equals(expected, actual)) {
            assertEquals(hex(expected), hex(actual), "GET " + key);
        }
        byte[] dumpTheirs = theirs.dump(key);
        byte[] dumpOurs = ours.dump(key);
        assertEquals(dumpTheirs == null ? null : HexFormat.of().formatHex(dumpTheirs),
                dumpOurs == null ? null : HexFormat.of().formatHex(dumpOurs), "DUMP " + key);
    }

    private static String hex(Object s) {
        return s instanceof String str
                ? HexFormat.of().formatHex(str.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))
                : String.valueOf(s);
    }

    /**
     * Completes an XZERO opcode cut short at the end. Redis reads such an opcode's missing byte
     * from memory past the string (its terminator, which an earlier edit may have overwritten):
     * state no GET or DUMP shows, so the soup avoids it.
     */
    private static String completeLastOpcode(String ops) {
        int i = 0;
        while (i < ops.length()) {
            i += (ops.charAt(i) & 0xc0) == 0x40 ? 2 : 1;
        }
        return i > ops.length() ? ops + "\u0007" : ops;
    }

    private static String describe(String... args) {
        String joined = String.join(" ", args);
        return joined.length() > 200 ? joined.substring(0, 200) + "..." : joined;
    }

    /** PFADD key with the given elements on both servers; replies and bytes must match. */
    private void pfadd(String key, List<String> elements) {
        String[] args = new String[elements.size() + 2];
        args[0] = "PFADD";
        args[1] = key;
        for (int i = 0; i < elements.size(); i++) {
            args[i + 2] = elements.get(i);
        }
        same(args);
        sameBytes(key);
    }

    private static List<String> elements(String prefix, int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    private void countAndBytes(String key) {
        same("PFCOUNT", key);
        sameBytes(key); // PFCOUNT caches the cardinality in the string
        same("PFCOUNT", key); // and then answers from the cache
        sameBytes(key);
    }

    @Test
    void emptyAndSmallHlls() {
        pfadd("empty", List.of());
        countAndBytes("empty");
        pfadd("empty", List.of()); // an existing key and nothing to add: 0, nothing changes
        sameBytes("empty");
        pfadd("small", List.of("a", "b", "c"));
        pfadd("small", List.of("a", "b", "c")); // no register changes
        countAndBytes("small");
        pfadd("small", List.of("d"));
        sameBytes("small"); // the cache is stale again
        countAndBytes("small");
        same("PFCOUNT", "missing");
        same("PFCOUNT", "small", "missing", "empty");
        same("OBJECT", "ENCODING", "small");
        same("OBJECT", "ENCODING", "empty");
        for (int len = 0; len < 20; len++) { // every tail length of MurmurHash64A
            pfadd("lengths", List.of("x".repeat(len), "y".repeat(len) + "z"));
        }
        countAndBytes("lengths");
    }

    @Test
    void growingThroughTheSparseToDensePromotion() {
        // One element per call so each sparse edit (splits, merges of VAL runs) is compared.
        for (int i = 0; i < 3000; i++) {
            pfadd("grow", List.of("element:" + i));
            if (i % 97 == 0) {
                countAndBytes("grow");
                same("PFDEBUG", "ENCODING", "grow");
            }
        }
        assertEquals("dense", same("PFDEBUG", "ENCODING", "grow"));
        countAndBytes("grow");
    }

    @Test
    void aHundredThousandElements() {
        for (int i = 0; i < 100_000; i += 1000) {
            pfadd("big", elements("member-", i, i + 1000));
            if (i % 10_000 == 0) {
                countAndBytes("big");
            }
        }
        countAndBytes("big");
        Object count = same("PFCOUNT", "big");
        long c = (Long) count;
        assertTrue(Math.abs(c - 100_000) < 100_000 * 0.05, "estimate " + c);
    }

    @Test
    void binaryElements() {
        Random random = new Random(42);
        for (int round = 0; round < 50; round++) {
            List<String> batch = new ArrayList<>();
            for (int k = 0; k < 40; k++) {
                char[] chars = new char[random.nextInt(40)];
                for (int i = 0; i < chars.length; i++) {
                    chars[i] = (char) random.nextInt(256);
                }
                batch.add(new String(chars));
            }
            pfadd("bin", batch);
        }
        countAndBytes("bin");
    }

    @Test
    void mergesOfSparseAndDense() {
        pfadd("s1", elements("a", 0, 200));
        pfadd("s2", elements("a", 100, 400));
        pfadd("s3", elements("b", 0, 50));
        for (int i = 0; i < 20_000; i += 2000) {
            pfadd("d1", elements("c", i, i + 2000));
            pfadd("d2", elements("a", i, i + 2000));
        }
        assertEquals("sparse", same("PFDEBUG", "ENCODING", "s1"));
        assertEquals("dense", same("PFDEBUG", "ENCODING", "d1"));

        same("PFMERGE", "m-ss", "s1", "s2", "s3");
        sameBytes("m-ss");
        countAndBytes("m-ss");
        same("PFMERGE", "m-sd", "s1", "d1");
        sameBytes("m-sd");
        countAndBytes("m-sd");
        same("PFMERGE", "m-dd", "d1", "d2", "missing");
        sameBytes("m-dd");
        countAndBytes("m-dd");
        same("PFMERGE", "s3", "s1"); // into an existing sparse destination, which is a source too
        sameBytes("s3");
        same("PFMERGE", "s2", "d2"); // a sparse destination merged with a dense source turns dense
        sameBytes("s2");
        same("PFMERGE", "only"); // no sources: an empty HLL
        sameBytes("only");
        same("PFMERGE", "only");
        sameBytes("only");
        // Many sparse sources whose union outgrows the sparse limit while being written.
        List<String> args = new ArrayList<>(List.of("PFMERGE", "m-many"));
        for (int k = 0; k < 12; k++) {
            pfadd("part" + k, elements("p" + k + "-", 0, 150));
            args.add("part" + k);
        }
        same(args.toArray(new String[0]));
        sameBytes("m-many");
        countAndBytes("m-many");
        // Unions by PFCOUNT leave their keys alone.
        same("PFCOUNT", "s1", "s2", "d1", "missing");
        same("PFCOUNT", "s1", "s3");
        sameBytes("s1");
        sameBytes("d1");
    }

    @Test
    void hllsRestoredFromRedisKeepWorking() {
        theirs.pfadd("src-sparse", "a", "b", "c");
        for (int i = 0; i < 5000; i += 1000) {
            theirs.pfadd("src-dense", elements("x", i, i + 1000).toArray(new String[0]));
        }
        for (String key : List.of("src-sparse", "src-dense")) {
            ours.restore(key, 0, theirs.dump(key));
            sameBytes(key);
            countAndBytes(key);
            pfadd(key, elements("more", 0, 100));
            countAndBytes(key);
        }
        same("PFMERGE", "src-sparse", "src-dense");
        sameBytes("src-sparse");
    }

    @Test
    void lowerSparseLimit() {
        same("CONFIG", "SET", "hll-sparse-max-bytes", "60");
        for (int i = 0; i < 40; i++) {
            pfadd("low", List.of("e" + i));
            same("PFDEBUG", "ENCODING", "low");
        }
        countAndBytes("low");
        same("CONFIG", "SET", "hll-sparse-max-bytes", "0");
        pfadd("zero", List.of("one"));
        same("PFDEBUG", "ENCODING", "zero");
        same("PFMERGE", "zero-merge", "low");
        sameBytes("zero-merge");
    }

    @Test
    void pfdebugMatches() {
        pfadd("h", elements("r", 0, 300));
        same("PFDEBUG", "DECODE", "h");
        same("PFDEBUG", "ENCODING", "h");
        same("PFDEBUG", "GETREG", "h"); // converts to dense as a side effect
        sameBytes("h");
        same("PFDEBUG", "DECODE", "h");
        same("PFDEBUG", "TODENSE", "h");
        pfadd("h2", List.of("x"));
        same("PFDEBUG", "TODENSE", "h2");
        sameBytes("h2");
        same("PFDEBUG", "NOPE", "h2");
        same("PFDEBUG", "ENCODING", "missing");
        same("PFDEBUG", "GETREG");
        same("SET", "str", "not an hll");
        same("PFDEBUG", "ENCODING", "str");
    }

    @Test
    void errorsAndCorruptedValues() {
        same("SET", "plain", "hello world, not an hll");
        same("PFADD", "plain", "a");
        same("PFCOUNT", "plain");
        same("PFCOUNT", "plain", "other");
        same("PFMERGE", "dest", "plain");
        same("RPUSH", "list", "a");
        same("PFADD", "list", "a");
        same("PFCOUNT", "list");
        same("PFMERGE", "list", "x");
        same("SET", "short", "HYLL");
        same("PFCOUNT", "short");
        same("SET", "badenc", "HYLL\u0002\0\0\0\0\0\0\0\0\0\0\u0080\u007f\u00ff");
        same("PFCOUNT", "badenc");
        same("SET", "densebad", "HYLL\0\0\0\0\0\0\0\0\0\0\0\u0080abc");
        same("PFCOUNT", "densebad");

        // A sparse HLL whose opcodes cover too few registers.
        String header = "HYLL\u0001\0\0\0\0\0\0\0\0\0\0\u0080";
        same("SET", "few", header + "\u007f\u00f0");
        same("PFCOUNT", "few");
        same("PFCOUNT", "few", "missing");
        same("PFMERGE", "dest2", "few");
        same("PFADD", "few", "a", "b", "c", "d", "e", "f", "g", "h");
        sameBytes("few");
        same("PFDEBUG", "GETREG", "few");
        same("PFDEBUG", "TODENSE", "few");
        same("PFDEBUG", "DECODE", "few");
        // ... and too many, and one truncated in the middle of an XZERO.
        same("SET", "many", header + "\u007f\u00ff\u0080\u007f\u00ff");
        same("PFCOUNT", "many");
        same("PFADD", "many", "a");
        same("SET", "cut", header + "\u007f");
        same("PFCOUNT", "cut");
        same("PFADD", "cut", "a");
        same("SET", "exact", header + "\u00ff".repeat(4096) + "\u00ff"); // parsing stops at 16384
        same("PFCOUNT", "exact", "missing");
        same("PFADD", "exact", "a");
        same("SET", "over", header + "\u00fe".repeat(6000));
        same("PFCOUNT", "over", "missing");
        same("PFMERGE", "dest3", "over");
        // Random opcode soup: the same reply and the same bytes afterwards, whatever it is.
        Random random = new Random(3);
        for (int round = 0; round < 200; round++) {
            char[] ops = new char[1 + random.nextInt(40)];
            for (int i = 0; i < ops.length; i++) {
                ops[i] = (char) random.nextInt(256);
            }
            same("SET", "soup", header + completeLastOpcode(new String(ops)));
            same("PFADD", "soup", "e" + round, "f" + round, "g" + round);
            sameBytes("soup");
            same("PFCOUNT", "soup", "missing");
            same("PFCOUNT", "soup");
            sameBytes("soup");
            same("PFMERGE", "soup-out", "soup");
            sameBytes("soup-out");
            same("PFDEBUG", "DECODE", "soup");
        }
        // A stale cache on a dense value full of the maximal register value.
        StringBuilder dense = new StringBuilder("HYLL\0\0\0\0\0\0\0\0\0\0\0\u0080");
        dense.append("\u00ff".repeat(12288));
        same("SET", "maxed", dense.toString());
        countAndBytes("maxed");
        same("PFADD", "maxed", "a");
        same("PFMERGE", "maxed-copy", "maxed");
        sameBytes("maxed-copy");
        same("PFCOUNT", "maxed-copy");
    }
}
