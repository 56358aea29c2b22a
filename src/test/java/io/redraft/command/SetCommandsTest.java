package io.redraft.command;

import io.redraft.testing.ServerTestBase;
import io.redraft.store.KeyEntry;
import io.redraft.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.exceptions.JedisDataException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(120)
class SetCommandsTest extends ServerTestBase {
    private Object cmd(String... args) {
        String[] rest = new String[args.length - 1];
        System.arraycopy(args, 1, rest, 0, rest.length);
        return jedis.sendCommand(() -> args[0].getBytes(StandardCharsets.UTF_8), rest);
    }

    private String error(String... args) {
        return assertThrows(JedisDataException.class, () -> cmd(args)).getMessage();
    }

    @Test
    void addRemoveCountAndMembership() {
        assertEquals(3, jedis.sadd("s", "a", "b", "c"));
        assertEquals(1, jedis.sadd("s", "a", "d"));
        assertEquals(4, jedis.scard("s"));
        assertTrue(jedis.sismember("s", "a"));
        assertFalse(jedis.sismember("s", "x"));
        assertEquals(List.of(true, false, true), jedis.smismember("s", "a", "x", "d"));
        assertEquals(List.of(false), jedis.smismember("nokey", "a"));
        assertEquals(Set.of("a", "b", "c", "d"), jedis.smembers("s"));
        assertEquals(2, jedis.srem("s", "a", "b", "zz"));
        assertEquals(0, jedis.srem("nokey", "a"));
        assertEquals(2, jedis.srem("s", "c", "d"));
        assertFalse(jedis.exists("s"), "an emptied set is deleted");
        assertEquals(0, jedis.scard("s"));
        assertEquals(Set.of(), jedis.smembers("s"));
    }

    @Test
    void intsetMembersComeBackInNumericOrder() {
        jedis.sadd("s", "10", "-3", "7", "0");
        List<Object> raw = (List<Object>) cmd("SMEMBERS", "s");
        List<String> got = new ArrayList<>();
        raw.forEach(o -> got.add(new String((byte[]) o, StandardCharsets.UTF_8)));
        assertEquals(List.of("-3", "0", "7", "10"), got);
        // "007" and "+7" are not integers in Redis's sense: they are distinct string members
        assertEquals(2, jedis.sadd("s", "007", "+7"));
        assertEquals(6, jedis.scard("s"));
        assertTrue(jedis.sismember("s", "7"));
        assertFalse(jedis.sismember("s", "07"));
    }

    @Test
    void wrongTypeAndArgumentErrors() {
        jedis.set("str", "x");
        String wrongType = "WRONGTYPE Operation against a key holding the wrong kind of value";
        assertEquals(wrongType, error("SADD", "str", "a"));
        assertEquals(wrongType, error("SMEMBERS", "str"));
        assertEquals(wrongType, error("SINTER", "nokey", "str"));
        assertEquals(wrongType, error("SUNIONSTORE", "dst", "str"));
        assertEquals("ERR wrong number of arguments for 'sadd' command", error("SADD", "s"));
        assertEquals("ERR value is out of range, must be positive", error("SPOP", "s", "-1"));
        assertEquals("ERR value is not an integer or out of range", error("SPOP", "s", "x"));
        assertEquals("ERR syntax error", error("SPOP", "s", "1", "2"));
        assertEquals("ERR value is not an integer or out of range", error("SRANDMEMBER", "s", "x"));
        assertEquals("ERR syntax error", error("SRANDMEMBER", "s", "1", "2"));
        assertEquals("ERR invalid cursor", error("SSCAN", "s", "abc"));
        // Redis reads SSCAN's options only once the key exists (checked against redis-server 7.0.15).
        assertEquals(List.of("0", List.of()), jedis.sendCommand(redis.clients.jedis.Protocol.Command.SSCAN, "s", "0", "COUNT", "0")
                instanceof List<?> l ? List.of(new String((byte[]) l.get(0)), l.get(1)) : null);
        jedis.sadd("s", "member");
        assertEquals("ERR syntax error", error("SSCAN", "s", "0", "COUNT", "0"));
        assertEquals("ERR syntax error", error("SSCAN", "s", "0", "MATCH"));
        assertEquals("ERR numkeys should be greater than 0", error("SINTERCARD", "0", "a"));
        assertEquals("ERR numkeys should be greater than 0", error("SINTERCARD", "x", "a"));
        assertEquals("ERR Number of keys can't be greater than number of args", error("SINTERCARD", "3", "a", "b"));
        assertEquals("ERR LIMIT can't be negative", error("SINTERCARD", "1", "a", "LIMIT", "-1"));
        assertEquals("ERR LIMIT can't be negative", error("SINTERCARD", "1", "a", "LIMIT", "x"));
        assertEquals("ERR syntax error", error("SINTERCARD", "1", "a", "LIMIT"));
        assertEquals("ERR syntax error", error("SINTERCARD", "1", "a", "FOO", "1"));
    }

    @Test
    void algebraAndStores() {
        jedis.sadd("a", "1", "2", "3", "x");
        jedis.sadd("b", "2", "3", "4");
        jedis.sadd("c", "3", "x", "y");
        assertEquals(Set.of("3"), jedis.sinter("a", "b", "c"));
        assertEquals(Set.of(), jedis.sinter("a", "nokey"));
        assertEquals(Set.of("1", "2", "3", "4", "x", "y"), jedis.sunion("a", "b", "c"));
        assertEquals(Set.of("1"), jedis.sdiff("a", "b", "c"));
        assertEquals(Set.of("1", "2", "3", "x"), jedis.sdiff("a", "nokey"));
        assertEquals(Set.of(), jedis.sdiff("nokey", "a"));
        assertEquals(2, jedis.sinterstore("d", "a", "b"));
        assertEquals(Set.of("2", "3"), jedis.smembers("d"));
        assertEquals(6, jedis.sunionstore("d", "a", "b", "c"));
        assertEquals(1, jedis.sdiffstore("d", "a", "b", "c"));
        assertEquals(Set.of("1"), jedis.smembers("d"));
        jedis.set("str", "v");
        assertEquals(2, jedis.sinterstore("str", "a", "b"), "a store replaces a key of another type");
        assertEquals(Set.of("2", "3"), jedis.smembers("str"));
        assertEquals(0, jedis.sinterstore("d", "a", "nokey"));
        assertFalse(jedis.exists("d"), "an empty result deletes the destination");
        assertEquals(1, jedis.sintercard("a", "b", "c"));
        assertEquals(2, jedis.sintercard("a", "b"));
        assertEquals(1, jedis.sintercard(1, "a", "b"));
        assertEquals(0, jedis.sintercard("a", "nokey"));
        assertEquals(4, jedis.sintercard(0, "a"));
    }

    @Test
    void storeDoesNotInheritTtl() throws Exception {
        jedis.sadd("src", "a");
        jedis.sadd("dst", "old");
        RawResp.onKeyspaceThread(server.server(), () -> {
            var db = server.server().context().keyspace().db(0);
            db.setExpireAt(db.lookupWrite("dst".getBytes(), 0), System.currentTimeMillis() + 100_000);
            return null;
        });
        jedis.sunionstore("dst", "src");
        long expireAt = RawResp.onKeyspaceThread(server.server(),
                () -> server.server().context().keyspace().db(0).lookupRead("dst".getBytes(), 0).expireAt());
        assertEquals(KeyEntry.NO_EXPIRY, expireAt);
        assertEquals(Set.of("a"), jedis.smembers("dst"));
    }

    @Test
    void smove() {
        jedis.sadd("a", "m", "n");
        jedis.sadd("b", "o");
        assertEquals(1, jedis.smove("a", "b", "m"));
        assertEquals(Set.of("n"), jedis.smembers("a"));
        assertEquals(Set.of("m", "o"), jedis.smembers("b"));
        assertEquals(0, jedis.smove("a", "b", "zz"));
        assertEquals(0, jedis.smove("nokey", "b", "m"));
        assertEquals(1, jedis.smove("a", "a", "n"), "same key: 1 if the member is there");
        assertEquals(0, jedis.smove("a", "a", "zz"));
        assertEquals(1, jedis.smove("a", "new", "n"));
        assertFalse(jedis.exists("a"));
        assertEquals(Set.of("n"), jedis.smembers("new"));
        jedis.set("str", "v");
        assertEquals("WRONGTYPE Operation against a key holding the wrong kind of value", error("SMOVE", "new", "str", "n"));
        assertEquals(Set.of("n"), jedis.smembers("new"), "nothing moved");
        assertEquals(0, jedis.smove("nokey", "str", "n"), "a missing source answers 0 before the type check");
    }

    @Test
    void spopAndSrandmember() {
        for (int i = 0; i < 50; i++) {
            jedis.sadd("s", "m" + i);
        }
        Set<String> all = jedis.smembers("s");
        String one = jedis.spop("s");
        assertTrue(all.contains(one));
        assertFalse(jedis.sismember("s", one));
        Set<String> popped = jedis.spop("s", 10);
        assertEquals(10, popped.size());
        assertEquals(39, jedis.scard("s"));
        popped.forEach(m -> assertFalse(jedis.sismember("s", m)));
        assertEquals(Set.of(), jedis.spop("s", 0));
        assertEquals(Set.of(), jedis.spop("nokey", 3));
        assertNull(jedis.spop("nokey"));

        List<String> distinct = jedis.srandmember("s", 20);
        assertEquals(20, new HashSet<>(distinct).size());
        assertEquals(39, jedis.srandmember("s", 100).size());
        List<String> repeated = jedis.srandmember("s", -100);
        assertEquals(100, repeated.size());
        Set<String> rest = jedis.smembers("s");
        assertTrue(rest.containsAll(repeated));
        assertTrue(rest.contains(jedis.srandmember("s")));
        assertNull(jedis.srandmember("nokey"));
        assertEquals(List.of(), jedis.srandmember("nokey", 5));
        assertEquals(List.of(), jedis.srandmember("s", 0));

        assertEquals(39, jedis.spop("s", 1000).size());
        assertFalse(jedis.exists("s"), "popping everything deletes the set");
    }

    @Test
    void sscanVisitsEveryMemberOfALargeSet() {
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            expected.add("member:" + i);
        }
        jedis.sadd("s", expected.toArray(new String[0]));
        Set<String> seen = new HashSet<>();
        String cursor = "0";
        int rounds = 0;
        do {
            ScanResult<String> r = jedis.sscan("s", cursor, new ScanParams().count(50));
            seen.addAll(r.getResult());
            cursor = r.getCursor();
            rounds++;
            if (rounds == 5) {
                // removals during the scan must not hide members that stay
                jedis.srem("s", "member:1", "member:2", "member:3");
                expected.removeAll(Set.of("member:1", "member:2", "member:3"));
            }
        } while (!cursor.equals("0"));
        assertTrue(rounds > 5, "a large set is scanned in steps");
        assertTrue(seen.containsAll(expected));
        ScanResult<String> matched = jedis.sscan("s", "0", new ScanParams().match("member:99*").count(2000));
        assertEquals(Set.of("member:99", "member:990", "member:991", "member:992", "member:993", "member:994",
                "member:995", "member:996", "member:997", "member:998", "member:999"), new HashSet<>(matched.getResult()));
        jedis.sadd("small", "a", "b");
        ScanResult<String> small = jedis.sscan("small", "0");
        assertEquals("0", small.getCursor());
        assertEquals(Set.of("a", "b"), new HashSet<>(small.getResult()));
        assertEquals("0", jedis.sscan("nokey", "0").getCursor());
    }

    @Test
    void encodingsFollowRedisThresholds() throws Exception {
        var s = server.server();
        for (int i = 0; i < 512; i++) {
            jedis.sadd("ints", Integer.toString(i));
        }
        assertEquals("intset", RawResp.encoding(s, "ints"));
        jedis.sadd("ints", "512");
        assertEquals("hashtable", RawResp.encoding(s, "ints"));

        jedis.sadd("mixed", "1", "2");
        assertEquals("intset", RawResp.encoding(s, "mixed"));
        jedis.sadd("mixed", "abc");
        assertEquals("listpack", RawResp.encoding(s, "mixed"));
        for (int i = 0; i < 125; i++) {
            jedis.sadd("mixed", "e" + i);
        }
        assertEquals(128, jedis.scard("mixed"));
        assertEquals("listpack", RawResp.encoding(s, "mixed"));
        jedis.sadd("mixed", "one-more");
        assertEquals("hashtable", RawResp.encoding(s, "mixed"));

        jedis.sadd("long", "x");
        jedis.sadd("long", "y".repeat(64));
        assertEquals("listpack", RawResp.encoding(s, "long"));
        jedis.sadd("long", "z".repeat(65));
        assertEquals("hashtable", RawResp.encoding(s, "long"));

        for (int i = 0; i < 200; i++) {
            jedis.sadd("bigints", Integer.toString(i));
        }
        jedis.sadd("bigints", "text");
        assertEquals("hashtable", RawResp.encoding(s, "bigints"), "too many for a listpack");
        assertEquals(201, jedis.scard("bigints"));
    }

    @Test
    void resp3UsesSetReplies() throws Exception {
        jedis.sadd("s", "1", "2");
        try (RawResp raw = new RawResp(server.port())) {
            assertEquals("*2\r\n$1\r\n1\r\n$1\r\n2\r\n", raw.call("SMEMBERS", "s"));
            raw.call("HELLO", "3");
            assertEquals("~2\r\n$1\r\n1\r\n$1\r\n2\r\n", raw.call("SMEMBERS", "s"));
            assertEquals("~2\r\n$1\r\n1\r\n$1\r\n2\r\n", raw.call("SUNION", "s", "nokey"));
            assertEquals("~0\r\n", raw.call("SINTER", "s", "nokey"));
            assertEquals("*2\r\n:1\r\n:0\r\n", raw.call("SMISMEMBER", "s", "1", "3"));
            assertEquals("*3\r\n", raw.call("SRANDMEMBER", "s", "-3").substring(0, 4));
            assertEquals("_\r\n", raw.call("SPOP", "nokey"));
            assertEquals("~2\r\n", raw.call("SPOP", "s", "5").substring(0, 4));
        }
    }

    @Test
    void spopIsDeterministicAcrossNodes() {
        List<Object> first = spopSequence();
        List<Object> second = spopSequence();
        assertEquals(first, second);
    }

    /** Feeds a fresh server a fixed write sequence with SPOPs and returns what they popped. */
    private static List<Object> spopSequence() {
        try (TestServer node = TestServer.start(); Jedis j = node.jedis()) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                j.sadd("s", "member-" + i);
            }
            for (int i = 0; i < 20; i++) {
                out.add(j.spop("s"));
                out.add(new ArrayList<>(j.spop("s", 3)));
            }
            j.sadd("ints", "1", "2", "3", "4", "5", "6", "7", "8");
            out.add(j.spop("ints"));
            out.add(new ArrayList<>(j.spop("ints", 4)));
            out.add(new ArrayList<>(j.smembers("s")));
            return out;
        }
    }
}
