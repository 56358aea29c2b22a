package io.redraft.command;

import io.redraft.testing.ServerTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.exceptions.JedisDataException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** SORT / SORT_RO; expected replies were checked against redis-server 7.0.15. */
@Timeout(120)
class SortCommandTest extends ServerTestBase {

    /** Sends a raw command; bulk replies come back as strings, nil as null. */
    private Object call(String... args) {
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return decode(jedis.sendCommand(() -> args[0].getBytes(StandardCharsets.UTF_8), rest));
    }

    private static Object decode(Object o) {
        if (o instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        if (o instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object e : l) {
                out.add(decode(e));
            }
            return out;
        }
        return o;
    }

    private void assertError(String message, String... args) {
        JedisDataException e = assertThrows(JedisDataException.class, () -> call(args));
        assertEquals(message, e.getMessage());
    }

    private void numbers() {
        jedis.rpush("l", "3", "1", "2", "10");
    }

    @Test
    void numericAscendingAndDescending() {
        numbers();
        assertEquals(List.of("1", "2", "3", "10"), call("SORT", "l"));
        assertEquals(List.of("10", "3", "2", "1"), call("SORT", "l", "DESC"));
        assertEquals(List.of("1", "2", "3", "10"), call("sort", "l", "desc", "asc"));
    }

    @Test
    void numericTiesAreBrokenByTheElementBytes() {
        jedis.rpush("l", "2.0", "1", "2", "02", "-0", "0");
        assertEquals(List.of("-0", "0", "1", "02", "2", "2.0"), call("SORT", "l"));
        assertEquals(List.of("2.0", "2", "02", "1", "0", "-0"), call("SORT", "l", "DESC"));
    }

    @Test
    void scoresFollowStrtod() {
        jedis.rpush("l", "", " 5", "2");
        assertEquals(List.of("", "2", " 5"), call("SORT", "l"));
        jedis.rpush("l", "1e400");
        assertError("ERR One or more scores can't be converted into double", "SORT", "l");
        jedis.del("l");
        jedis.rpush("l", "1", "nan");
        assertError("ERR One or more scores can't be converted into double", "SORT", "l");
        jedis.rpush("hex", "0x10", "-0x1.8p1", "5", "0X1P4");
        assertEquals(List.of("-0x1.8p1", "5", "0X1P4", "0x10"), call("SORT", "hex"));
        jedis.rpush("hex2", "0x");
        assertError("ERR One or more scores can't be converted into double", "SORT", "hex2");
        jedis.rpush("hex3", "0x1g");
        assertError("ERR One or more scores can't be converted into double", "SORT", "hex3");
        jedis.rpush("tiny", "1e-400");
        assertError("ERR One or more scores can't be converted into double", "SORT", "tiny");
        jedis.rpush("inf", "infinity", "-INF", "1");
        assertEquals(List.of("-INF", "1", "infinity"), call("SORT", "inf"));
    }

    @Test
    void alphaComparesBytes() {
        jedis.rpush("l", "b", "a", "B", "10", "9", "ab");
        assertEquals(List.of("10", "9", "B", "a", "ab", "b"), call("SORT", "l", "ALPHA"));
        assertEquals(List.of("b", "ab", "a", "B", "9", "10"), call("SORT", "l", "ALPHA", "DESC"));
        jedis.rpush("n", "3", "1", "2", "10");
        assertEquals(List.of("1", "10", "2", "3"), call("SORT", "n", "ALPHA"));
        assertError("ERR One or more scores can't be converted into double", "SORT", "l");
    }

    @Test
    void limit() {
        numbers();
        assertEquals(List.of("2", "3"), call("SORT", "l", "LIMIT", "1", "2"));
        assertEquals(List.of("3", "2"), call("SORT", "l", "DESC", "LIMIT", "1", "2"));
        assertEquals(List.of("1", "2"), call("SORT", "l", "LIMIT", "-5", "2"));
        assertEquals(List.of("3", "10"), call("SORT", "l", "LIMIT", "2", "-1"));
        assertEquals(List.of(), call("SORT", "l", "LIMIT", "10", "1"));
        assertEquals(List.of(), call("SORT", "l", "LIMIT", "0", "0"));
        assertError("ERR value is not an integer or out of range", "SORT", "l", "LIMIT", "x", "1");
        assertError("ERR syntax error", "SORT", "l", "LIMIT", "1");
    }

    @Test
    void byStringKeysAndHashFields() {
        numbers();
        jedis.mset("w_1", "30", "w_2", "20", "w_3", "10");
        // w_10 is missing: weight 0, so it comes first.
        assertEquals(List.of("10", "3", "2", "1"), call("SORT", "l", "BY", "w_*"));
        jedis.hset("h_1", "f", "4");
        jedis.hset("h_2", "f", "1");
        jedis.hset("h_3", "f", "3");
        jedis.hset("h_10", "g", "0");
        assertEquals(List.of("10", "2", "3", "1"), call("SORT", "l", "BY", "h_*->f"));
        assertEquals(List.of("1", "3", "2", "10"), call("SORT", "l", "BY", "h_*->f", "DESC"));
        // ALPHA BY: a missing weight sorts first.
        jedis.mset("n_1", "b", "n_2", "a", "n_3", "c");
        assertEquals(List.of("10", "2", "1", "3"), call("SORT", "l", "BY", "n_*", "ALPHA"));
        assertEquals(List.of("3", "1", "2", "10"), call("SORT", "l", "BY", "n_*", "ALPHA", "DESC"));
        // A BY key of the wrong type counts as missing.
        jedis.rpush("w_10", "5");
        assertEquals(List.of("10", "3", "2", "1"), call("SORT", "l", "BY", "w_*"));
        // A non-numeric weight is an error without ALPHA.
        jedis.set("w_2", "abc");
        assertError("ERR One or more scores can't be converted into double", "SORT", "l", "BY", "w_*");
    }

    @Test
    void byConstantPatternKeepsNativeOrder() {
        numbers();
        assertEquals(List.of("3", "1", "2", "10"), call("SORT", "l", "BY", "nosort"));
        assertEquals(List.of("10", "2", "1", "3"), call("SORT", "l", "BY", "nosort", "DESC"));
        assertEquals(List.of("2", "1"), call("SORT", "l", "BY", "nosort", "LIMIT", "1", "2", "DESC"));
        assertEquals(List.of("1", "2"), call("SORT", "l", "BY", "nosort", "LIMIT", "1", "2"));
        assertEquals(List.of("3", "1", "2", "10"), call("SORT", "l", "BY", "#"));
        // The first constant BY disables sorting even if a later BY has a '*'.
        assertEquals(List.of("3", "1", "2", "10"), call("SORT", "l", "BY", "nosort", "BY", "w_*"));
        jedis.zadd("z", 1, "c");
        jedis.zadd("z", 2, "a");
        jedis.zadd("z", 3, "b");
        assertEquals(List.of("c", "a", "b"), call("SORT", "z", "BY", "nosort"));
        assertEquals(List.of("b", "a", "c"), call("SORT", "z", "BY", "nosort", "DESC"));
        assertEquals(List.of("a"), call("SORT", "z", "BY", "nosort", "DESC", "LIMIT", "1", "1"));
        assertEquals(List.of("a", "b"), call("SORT", "z", "BY", "nosort", "LIMIT", "1", "5"));
    }

    @Test
    void getPatterns() {
        numbers();
        jedis.mset("w_1", "30", "w_2", "20", "w_3", "10");
        jedis.hset("h_1", "f", "x");
        List<Object> expected = new ArrayList<>();
        for (String e : List.of("10", "3", "2", "1")) {
            expected.add(e);
            expected.add(e.equals("1") ? "x" : null);
            expected.add(null); // a GET pattern without '*' never matches
        }
        assertEquals(expected, call("SORT", "l", "BY", "w_*", "GET", "#", "GET", "h_*->f", "GET", "w_1"));
        assertEquals(Arrays.asList("30", "20", "10", null), call("SORT", "l", "GET", "w_*"));
        // "->" with nothing after it is part of the key name.
        jedis.set("k_1->", "arrow");
        assertEquals(Arrays.asList("arrow", null, null, null), call("SORT", "l", "GET", "k_*->"));
    }

    @Test
    void storeWritesAListAndRepliesTheCount() {
        numbers();
        jedis.mset("w_1", "30", "w_2", "20", "w_3", "10");
        jedis.set("dst", "old");
        jedis.expire("dst", 100);
        assertEquals(4L, call("SORT", "l", "STORE", "dst"));
        assertEquals(List.of("1", "2", "3", "10"), jedis.lrange("dst", 0, -1));
        assertEquals(-1L, jedis.ttl("dst"));
        assertEquals(8L, call("SORT", "l", "GET", "#", "GET", "w_*", "STORE", "dst"));
        assertEquals(List.of("1", "30", "2", "20", "3", "10", "10", ""), jedis.lrange("dst", 0, -1));
        // Empty result: the destination is deleted.
        assertEquals(0L, call("SORT", "missing", "STORE", "dst"));
        assertFalse(jedis.exists("dst"));
        jedis.rpush("dst", "x");
        assertEquals(0L, call("SORT", "l", "LIMIT", "10", "1", "STORE", "dst"));
        assertFalse(jedis.exists("dst"));
        // An error stores nothing.
        jedis.rpush("bad", "a", "1");
        assertError("ERR One or more scores can't be converted into double", "SORT", "bad", "STORE", "d2");
        assertFalse(jedis.exists("d2"));
        // Storing onto the source itself.
        assertEquals(4L, call("SORT", "l", "DESC", "STORE", "l"));
        assertEquals(List.of("10", "3", "2", "1"), jedis.lrange("l", 0, -1));
    }

    @Test
    void storingASetByConstantPatternSortsAlpha() {
        jedis.sadd("s", "b", "c", "a", "10");
        assertEquals(4L, call("SORT", "s", "BY", "nosort", "STORE", "d"));
        assertEquals(List.of("10", "a", "b", "c"), jedis.lrange("d", 0, -1));
    }

    @Test
    void setAndSortedSetSources() {
        jedis.sadd("s", "5", "-1", "3.5", "100");
        assertEquals(List.of("-1", "3.5", "5", "100"), call("SORT", "s"));
        assertEquals(List.of("100", "5"), call("SORT", "s", "DESC", "LIMIT", "0", "2"));
        jedis.sadd("sa", "pear", "apple", "fig");
        assertEquals(List.of("apple", "fig", "pear"), call("SORT", "sa", "ALPHA"));
        jedis.zadd("z", 1, "30");
        jedis.zadd("z", 2, "10");
        jedis.zadd("z", 3, "20");
        assertEquals(List.of("10", "20", "30"), call("SORT", "z"));
        assertEquals(List.of("30", "20", "10"), call("SORT", "z", "DESC"));
        assertEquals(List.of(), call("SORT", "missing"));
    }

    @Test
    void sortRo() {
        numbers();
        assertEquals(List.of("10", "3"), call("SORT_RO", "l", "DESC", "LIMIT", "0", "2"));
        assertEquals(List.of("1", "10", "2", "3"), call("SORT_RO", "l", "ALPHA"));
        assertError("ERR syntax error", "SORT_RO", "l", "STORE", "x");
        assertFalse(jedis.exists("x"));
    }

    @Test
    void errors() {
        numbers();
        jedis.set("str", "x");
        jedis.hset("h", "f", "v");
        assertError("WRONGTYPE Operation against a key holding the wrong kind of value", "SORT", "str");
        assertError("WRONGTYPE Operation against a key holding the wrong kind of value", "SORT", "h");
        assertError("ERR syntax error", "SORT", "l", "foo");
        assertError("ERR syntax error", "SORT", "l", "GET");
        assertError("ERR syntax error", "SORT", "l", "BY");
        assertError("ERR syntax error", "SORT", "l", "STORE");
        assertError("ERR wrong number of arguments for 'sort' command", "SORT");
    }

    @Test
    void keysIncludeTheLastStoreDestination() {
        assertEquals(List.of("l", "b"), call("COMMAND", "GETKEYS", "SORT", "l", "STORE", "a", "STORE", "b"));
        assertEquals(List.of("l"), call("COMMAND", "GETKEYS", "SORT", "l", "GET", "store", "LIMIT", "0", "1"));
        assertEquals(List.of("l"), call("COMMAND", "GETKEYS", "SORT_RO", "l", "ALPHA"));
    }

    @Test
    void commandInfoFlagsAndCategories() {
        String sort = flatten(call("COMMAND", "INFO", "SORT")).toString();
        String sortRo = flatten(call("COMMAND", "INFO", "SORT_RO")).toString();
        for (String s : List.of("write", "denyoom", "@write", "@set", "@sortedset", "@list", "@dangerous")) {
            assertEquals(true, sort.contains(s), s + " in " + sort);
        }
        for (String s : List.of("readonly", "@read", "@dangerous")) {
            assertEquals(true, sortRo.contains(s), s + " in " + sortRo);
        }
        assertFalse(sortRo.contains("@write"));
    }

    private static List<Object> flatten(Object o) {
        List<Object> out = new ArrayList<>();
        if (o instanceof List<?> l) {
            for (Object e : l) {
                out.addAll(flatten(e));
            }
        } else {
            out.add(o);
        }
        return out;
    }

    @Test
    void largeEncodingsSortTheSameWay() {
        // Past the listpack limits: a hashtable set and a skiplist sorted set.
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            jedis.sadd("s", Integer.toString(i));
            jedis.zadd("z", -i, "m" + i);
            jedis.rpush("l", "x" + i);
            expected.add(Integer.toString(i));
        }
        assertEquals(expected, call("SORT", "s"));
        assertEquals(List.of("m299", "m298"), call("SORT", "z", "BY", "nosort", "LIMIT", "0", "2"));
        assertEquals(List.of("m1", "m2"), call("SORT", "z", "BY", "nosort", "DESC", "LIMIT", "1", "2"));
        assertEquals(List.of("x298", "x297"), call("SORT", "l", "BY", "nosort", "DESC", "LIMIT", "1", "2"));
        assertEquals(List.of("x150", "x151"), call("SORT", "l", "BY", "nosort", "LIMIT", "150", "2"));
        assertEquals(300L, call("SORT", "s", "BY", "nosort", "STORE", "d"));
        assertEquals(List.of("0", "1", "10", "100"), jedis.lrange("d", 0, 3));
    }
}
