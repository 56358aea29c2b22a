package io.redraft.command;

import io.redraft.testing.ServerTestBase;
import io.redraft.store.HashValue;
import io.redraft.store.KeyEntry;
import io.redraft.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import static io.redraft.testing.Raw.call;
import static io.redraft.testing.Raw.error;
import static io.redraft.testing.Raw.list;
import static org.junit.jupiter.api.Assertions.*;

@Timeout(60)
class HashCommandsTest extends ServerTestBase {
    static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

    /** Runs code on the keyspace thread (the only thread allowed to touch the keyspace). */
    static <T> T onKeyspace(TestServer s, Callable<T> code) throws Exception {
        return s.server().context().executor().thread().submit(code).get();
    }

    static String encoding(TestServer s, String key) throws Exception {
        return onKeyspace(s, () -> {
            KeyEntry e = s.server().context().keyspace().db(0).lookupRead(key.getBytes(), System.currentTimeMillis());
            return e == null ? null : ((io.redraft.store.RedisValue) e.value()).encoding();
        });
    }

    @Test
    void setGetAndFriends() {
        assertEquals(3L, call(jedis, "HSET", "h", "a", "1", "b", "2", "c", "3"));
        assertEquals(1L, call(jedis, "HSET", "h", "a", "10", "d", "4"));
        assertEquals("OK", call(jedis, "HMSET", "h", "e", "5"));
        assertEquals("10", jedis.hget("h", "a"));
        assertNull(jedis.hget("h", "zz"));
        assertNull(jedis.hget("nokey", "a"));
        assertEquals(list("10", null, "2"), call(jedis, "HMGET", "h", "a", "zz", "b"));
        assertEquals(list(null, null), call(jedis, "HMGET", "nokey", "a", "b"));
        assertTrue(jedis.hexists("h", "a"));
        assertFalse(jedis.hexists("h", "zz"));
        assertEquals(5L, jedis.hlen("h"));
        assertEquals(0L, jedis.hlen("nokey"));
        assertEquals(2L, jedis.hstrlen("h", "a"));
        assertEquals(0L, jedis.hstrlen("h", "zz"));
        assertEquals(0L, jedis.hsetnx("h", "a", "x"));
        assertEquals(1L, jedis.hsetnx("h", "f", "6"));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("a", "10");
        expected.put("b", "2");
        expected.put("c", "3");
        expected.put("d", "4");
        expected.put("e", "5");
        expected.put("f", "6");
        // listpack keeps insertion order
        assertEquals(list("a", "10", "b", "2", "c", "3", "d", "4", "e", "5", "f", "6"), call(jedis, "HGETALL", "h"));
        assertEquals(expected, jedis.hgetAll("h"));
        assertEquals(list("a", "b", "c", "d", "e", "f"), call(jedis, "HKEYS", "h"));
        assertEquals(list("10", "2", "3", "4", "5", "6"), call(jedis, "HVALS", "h"));
        assertEquals(list(), call(jedis, "HGETALL", "nokey"));
        assertEquals(list(), call(jedis, "HKEYS", "nokey"));
        assertEquals(2L, call(jedis, "HDEL", "h", "a", "zz", "b"));
        assertEquals(0L, call(jedis, "HDEL", "nokey", "a"));
        assertEquals(4L, call(jedis, "HDEL", "h", "c", "d", "e", "f"));
        assertFalse(jedis.exists("h"), "an emptied hash is deleted");
    }

    @Test
    void incrementsAndTheirErrors() {
        assertEquals(5L, jedis.hincrBy("h", "n", 5));
        assertEquals(2L, jedis.hincrBy("h", "n", -3));
        assertEquals(-3L, jedis.hincrBy("h", "m", -3));
        jedis.hset("h", "s", "foo");
        jedis.hset("h", "lead", "01");
        assertEquals("ERR hash value is not an integer", error(jedis, "HINCRBY", "h", "s", "1"));
        assertEquals("ERR hash value is not an integer", error(jedis, "HINCRBY", "h", "lead", "1"));
        assertEquals("ERR value is not an integer or out of range", error(jedis, "HINCRBY", "h", "n", "x"));
        assertEquals("ERR increment or decrement would overflow",
                error(jedis, "HINCRBY", "h", "n", "9223372036854775807"));
        assertEquals("1.5", call(jedis, "HINCRBYFLOAT", "h", "f", "1.5"));
        assertEquals("1001.5", call(jedis, "HINCRBYFLOAT", "h", "f", "1e3"));
        assertEquals("3", call(jedis, "HINCRBYFLOAT", "h", "n", "1"));
        assertEquals("ERR value is NaN or Infinity", error(jedis, "HINCRBYFLOAT", "h", "f", "inf"));
        assertEquals("ERR value is not a valid float", error(jedis, "HINCRBYFLOAT", "h", "f", "abc"));
        assertEquals("ERR hash value is not a float", error(jedis, "HINCRBYFLOAT", "h", "s", "1"));
        assertEquals("0.3", call(jedis, "HINCRBYFLOAT", "h", "p", "0.1") != null
                ? call(jedis, "HINCRBYFLOAT", "h", "p", "0.2") : null, "long double arithmetic, as Redis");
        jedis.hset("h", "inf", "inf");
        assertEquals("ERR increment would produce NaN or Infinity", error(jedis, "HINCRBYFLOAT", "h", "inf", "1"));
        assertEquals("inf", jedis.hget("h", "inf"), "a failed increment changes nothing");
    }

    @Test
    void arityTypeAndSyntaxErrors() {
        assertEquals("ERR wrong number of arguments for 'hset' command", error(jedis, "HSET", "h", "a", "1", "b"));
        assertEquals("ERR wrong number of arguments for 'hmset' command", error(jedis, "HMSET", "h", "a"));
        assertEquals("ERR wrong number of arguments for 'hset' command", error(jedis, "HSET", "h", "a"));
        assertEquals("ERR wrong number of arguments for 'hdel' command", error(jedis, "HDEL", "h"));
        assertEquals("ERR wrong number of arguments for 'hgetall' command", error(jedis, "HGETALL"));
        assertFalse(jedis.exists("h"), "a rejected HSET creates nothing");
        jedis.set("str", "x");
        for (String[] cmd : new String[][] {{"HGET", "str", "a"}, {"HSET", "str", "a", "b"}, {"HGETALL", "str"},
                {"HINCRBY", "str", "a", "1"}, {"HSCAN", "str", "0"}, {"HRANDFIELD", "str"}, {"HLEN", "str"},
                {"HDEL", "str", "a"}, {"HMGET", "str", "a"}, {"HSETNX", "str", "a", "b"}}) {
            assertEquals(WRONGTYPE, error(jedis, cmd));
        }
        assertEquals("x", jedis.get("str"));
    }

    @Test
    void hrandfield() {
        assertNull(call(jedis, "HRANDFIELD", "nokey"));
        assertEquals(list(), call(jedis, "HRANDFIELD", "nokey", "5"));
        jedis.hset("h", Map.of("a", "1", "b", "2", "c", "3"));
        assertTrue(Set.of("a", "b", "c").contains((String) call(jedis, "HRANDFIELD", "h")));
        assertEquals(list(), call(jedis, "HRANDFIELD", "h", "0"));
        @SuppressWarnings("unchecked")
        List<String> all = (List<String>) call(jedis, "HRANDFIELD", "h", "100", "WITHVALUES");
        assertEquals(6, all.size());
        Map<String, String> pairs = new HashMap<>();
        for (int i = 0; i < all.size(); i += 2) {
            pairs.put(all.get(i), all.get(i + 1));
        }
        assertEquals(Map.of("a", "1", "b", "2", "c", "3"), pairs);
        @SuppressWarnings("unchecked")
        List<String> two = (List<String>) call(jedis, "HRANDFIELD", "h", "2");
        assertEquals(2, new HashSet<>(two).size(), "a positive count gives distinct fields");
        @SuppressWarnings("unchecked")
        List<String> many = (List<String>) call(jedis, "HRANDFIELD", "h", "-20");
        assertEquals(20, many.size(), "a negative count may repeat");
        assertTrue(Set.of("a", "b", "c").containsAll(many));
        @SuppressWarnings("unchecked")
        List<String> rep = (List<String>) call(jedis, "HRANDFIELD", "h", "-4", "WITHVALUES");
        assertEquals(8, rep.size());
        for (int i = 0; i < rep.size(); i += 2) {
            assertEquals(jedis.hget("h", rep.get(i)), rep.get(i + 1));
        }
        assertEquals("ERR syntax error", error(jedis, "HRANDFIELD", "h", "1", "WITHVALUE"));
        assertEquals("ERR syntax error", error(jedis, "HRANDFIELD", "h", "1", "WITHVALUES", "x"));
        assertEquals("ERR value is not an integer or out of range", error(jedis, "HRANDFIELD", "h", "abc"));
        assertEquals("ERR value is out of range", error(jedis, "HRANDFIELD", "h", "-9223372036854775807", "WITHVALUES"));
        assertEquals("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
                error(jedis, "HRANDFIELD", "h", "-9223372036854775808"));
    }

    @Test
    void hscanCoversBothEncodings() throws Exception {
        assertEquals(list("0", list()), call(jedis, "HSCAN", "nokey", "0"));
        assertEquals(list("0", list()), call(jedis, "HSCAN", "nokey", "0", "COUNT", "0"), "options are read after the lookup");
        jedis.hset("small", Map.of("a", "1", "b", "2", "c", "3"));
        assertEquals("listpack", encoding(server, "small"));
        @SuppressWarnings("unchecked")
        List<Object> r = (List<Object>) call(jedis, "HSCAN", "small", "0", "COUNT", "1");
        assertEquals("0", r.get(0), "a listpack is scanned in one call");
        assertEquals(6, ((List<?>) r.get(1)).size());
        assertEquals(list("0", list("b", "2")), call(jedis, "HSCAN", "small", "0", "MATCH", "b*"));
        assertEquals("ERR invalid cursor", error(jedis, "HSCAN", "small", "abc"));
        assertEquals("ERR invalid cursor", error(jedis, "HSCAN", "small", "18446744073709551616"));
        assertEquals("ERR syntax error", error(jedis, "HSCAN", "small", "0", "COUNT", "0"));
        assertEquals("ERR syntax error", error(jedis, "HSCAN", "small", "0", "foo"));
        assertEquals("ERR syntax error", error(jedis, "HSCAN", "small", "0", "MATCH"));

        Map<String, String> big = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            big.put("f" + i, "v" + i);
        }
        jedis.hset("big", big);
        assertEquals("hashtable", encoding(server, "big"));
        Map<String, String> seen = new HashMap<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        int calls = 0;
        do {
            ScanResult<Map.Entry<String, String>> page = jedis.hscan("big", cursor, new ScanParams().count(50));
            page.getResult().forEach(e -> seen.put(e.getKey(), e.getValue()));
            cursor = page.getCursor();
            calls++;
        } while (!cursor.equals("0"));
        assertEquals(big, seen);
        assertTrue(calls > 5, "a hashtable is scanned in several steps");
        ScanResult<Map.Entry<String, String>> matched;
        Set<String> nines = new HashSet<>();
        cursor = "0";
        do {
            matched = jedis.hscan("big", cursor, new ScanParams().match("f9*").count(100));
            matched.getResult().forEach(e -> nines.add(e.getKey()));
            cursor = matched.getCursor();
        } while (!cursor.equals("0"));
        assertEquals(111, nines.size());
    }

    @Test
    void encodingConvertsAtTheThresholds() throws Exception {
        // Redis's built-in default is 512 (redis.conf ships 128): set it, so the test also proves CONFIG SET takes effect.
        jedis.configSet("hash-max-listpack-entries", "128");
        for (int i = 0; i < 128; i++) {
            jedis.hset("h", "f" + i, "v");
        }
        assertEquals("listpack", encoding(server, "h"));
        jedis.hset("h", "f128", "v");
        assertEquals("hashtable", encoding(server, "h"));
        jedis.hset("v", "a", "x".repeat(64));
        assertEquals("listpack", encoding(server, "v"));
        jedis.hset("v", "b", "x".repeat(65));
        assertEquals("hashtable", encoding(server, "v"));
        assertEquals("x".repeat(65), jedis.hget("v", "b"));
        assertEquals(129L, jedis.hlen("h"));
    }

    @Test
    void modifyingKeepsTheDeadlineButRecreatingDropsIt() throws Exception {
        jedis.hset("h", "a", "1");
        long deadline = System.currentTimeMillis() + 100_000;
        onKeyspace(server, () -> {
            var db = server.server().context().keyspace().db(0);
            db.setExpireAt(db.lookupWrite("h".getBytes(), System.currentTimeMillis()), deadline);
            return null;
        });
        jedis.hset("h", "b", "2");
        jedis.hincrBy("h", "n", 1);
        jedis.hdel("h", "a");
        assertEquals(deadline, (long) onKeyspace(server, () -> server.server().context().keyspace().db(0)
                .lookupRead("h".getBytes(), System.currentTimeMillis()).expireAt()));
        // Let it expire, then recreate: the new key has no deadline and none of the old fields.
        onKeyspace(server, () -> {
            var db = server.server().context().keyspace().db(0);
            db.setExpireAt(db.lookupWrite("h".getBytes(), System.currentTimeMillis()), System.currentTimeMillis() - 1);
            return null;
        });
        jedis.hset("h", "c", "3");
        assertEquals(Map.of("c", "3"), jedis.hgetAll("h"));
        assertEquals(KeyEntry.NO_EXPIRY, (long) onKeyspace(server, () -> server.server().context().keyspace().db(0)
                .lookupRead("h".getBytes(), System.currentTimeMillis()).expireAt()));
        assertTrue(onKeyspace(server, () -> server.server().context().keyspace().db(0)
                .getValue("h".getBytes(), System.currentTimeMillis(), HashValue.class)) != null);
    }
}
