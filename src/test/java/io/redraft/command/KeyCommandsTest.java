package io.redraft.command;

import io.redraft.testing.ServerTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.args.ExpiryOption;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.SafeEncoder;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(60)
class KeyCommandsTest extends ServerTestBase {
    private Object call(String... argv) {
        String[] args = java.util.Arrays.copyOfRange(argv, 1, argv.length);
        return jedis.sendCommand(() -> SafeEncoder.encode(argv[0]), args);
    }

    private String error(String... argv) {
        return assertThrows(JedisDataException.class, () -> call(argv), String.join(" ", argv)).getMessage();
    }

    @Test
    void delUnlinkAndExistsCountKeys() {
        jedis.set("a", "1");
        jedis.set("b", "2");
        jedis.set("c", "3");
        assertEquals(2, jedis.exists("a", "b", "nope"));
        assertEquals(2, jedis.exists("a", "a"), "a key named twice counts twice, as in Redis");
        assertEquals(2, jedis.del("a", "b", "nope"));
        assertEquals(1, jedis.unlink("c", "c"));
        assertEquals(0, jedis.dbSize());
        assertEquals("ERR wrong number of arguments for 'unlink' command", error("UNLINK"));
    }

    @Test
    void expireFamilySetsDeadlinesFromNow() {
        jedis.set("k", "v");
        assertEquals(-1, jedis.ttl("k"));
        assertEquals(-1, jedis.pttl("k"));
        assertEquals(-1, jedis.expireTime("k"));
        assertEquals(-2, jedis.ttl("nope"));
        assertEquals(-2, jedis.pexpireTime("nope"));
        assertEquals(0, jedis.expire("nope", 10));

        long before = System.currentTimeMillis();
        assertEquals(1, jedis.expire("k", 100));
        long after = System.currentTimeMillis();
        assertEquals(100, jedis.ttl("k"));
        long pttl = jedis.pttl("k");
        assertTrue(pttl > 95_000 && pttl <= 100_000, "pttl " + pttl);
        long deadline = jedis.pexpireTime("k");
        assertTrue(deadline >= before + 100_000 && deadline <= after + 100_000);
        assertEquals((deadline + 500) / 1000, jedis.expireTime("k"));

        assertEquals(1, jedis.pexpire("k", 5000));
        assertTrue(jedis.pttl("k") <= 5000);
        long at = System.currentTimeMillis() / 1000 + 1000;
        assertEquals(1, jedis.expireAt("k", at));
        assertEquals(at, jedis.expireTime("k"));
        assertEquals(at * 1000, jedis.pexpireTime("k"));
        assertEquals(1, jedis.pexpireAt("k", at * 1000 + 123));
        assertEquals(at * 1000 + 123, jedis.pexpireTime("k"));
        assertEquals("v", jedis.get("k"), "setting a deadline keeps the value");
    }

    @Test
    void expireTimeRoundsToTheNearestSecond() {
        jedis.set("k", "v");
        jedis.pexpireAt("k", 2795334055499L);
        assertEquals(2795334055L, jedis.expireTime("k"));
        jedis.pexpireAt("k", 2795334055500L);
        assertEquals(2795334056L, jedis.expireTime("k"));
        jedis.pexpireAt("k", Long.MAX_VALUE);
        assertEquals(9223372036854776L, jedis.expireTime("k"), "as Redis, no overflow near the top");
    }

    @Test
    void deadlineInThePastDeletesAtOnce() {
        jedis.set("a", "1");
        jedis.set("b", "1");
        jedis.set("c", "1");
        jedis.set("d", "1");
        assertEquals(1, jedis.expire("a", -1));
        assertEquals(1, jedis.pexpire("b", 0));
        assertEquals(1, jedis.expireAt("c", 1));
        assertEquals(1, jedis.pexpireAt("d", -5));
        assertEquals(0, jedis.dbSize(), "deleted, not merely hidden");
    }

    @Test
    void keyDisappearsAfterItsDeadline() throws InterruptedException {
        jedis.set("k", "v");
        jedis.pexpire("k", 150);
        assertEquals("v", jedis.get("k"));
        long end = System.currentTimeMillis() + 5000;
        while (jedis.exists("k") && System.currentTimeMillis() < end) {
            Thread.sleep(20);
        }
        assertFalse(jedis.exists("k"));
        assertNull(jedis.get("k"));
        assertEquals(-2, jedis.ttl("k"));
        assertEquals("none", jedis.type("k"));
    }

    @Test
    void expireOptions() {
        jedis.set("k", "v");
        assertEquals(0, jedis.expire("k", 100, ExpiryOption.XX), "XX needs a deadline");
        assertEquals(0, jedis.expire("k", 100, ExpiryOption.GT), "GT never beats no deadline");
        assertEquals(1, jedis.expire("k", 100, ExpiryOption.NX));
        assertEquals(0, jedis.expire("k", 200, ExpiryOption.NX));
        assertEquals(100, jedis.ttl("k"));
        assertEquals(1, jedis.expire("k", 200, ExpiryOption.XX));
        assertEquals(0, jedis.expire("k", 100, ExpiryOption.GT));
        assertEquals(1, jedis.expire("k", 300, ExpiryOption.GT));
        assertEquals(0, jedis.expire("k", 300, ExpiryOption.LT), "LT needs strictly less");
        assertEquals(1, jedis.expire("k", 50, ExpiryOption.LT));
        assertEquals(50, jedis.ttl("k"));
        jedis.persist("k");
        assertEquals(1, jedis.pexpire("k", 100_000, ExpiryOption.LT), "LT always beats no deadline");
        assertEquals(1L, call("EXPIRE", "k", "500", "XX", "GT"), "XX and GT combine");
        assertEquals(500, jedis.ttl("k"));
        assertEquals(0L, call("EXPIRE", "k", "10", "xx", "xx", "gt"));
    }

    @Test
    void expireOptionAndOverflowErrors() {
        jedis.set("k", "v");
        String nx = "ERR NX and XX, GT or LT options at the same time are not compatible";
        assertEquals(nx, error("EXPIRE", "k", "10", "NX", "XX"));
        assertEquals(nx, error("PEXPIRE", "k", "10", "NX", "GT"));
        assertEquals(nx, error("EXPIREAT", "k", "10", "LT", "NX"));
        assertEquals(nx, error("EXPIRE", "k", "abc", "NX", "XX"), "options are checked before the number");
        assertEquals("ERR GT and LT options at the same time are not compatible", error("EXPIRE", "k", "10", "GT", "LT"));
        assertEquals("ERR Unsupported option foo", error("EXPIRE", "k", "10", "foo"));
        assertEquals("ERR value is not an integer or out of range", error("EXPIRE", "k", "abc"));
        assertEquals("ERR invalid expire time in 'expire' command", error("EXPIRE", "k", "9223372036854775807"));
        assertEquals("ERR invalid expire time in 'expire' command", error("EXPIRE", "k", "-9223372036854775808"));
        assertEquals("ERR invalid expire time in 'pexpire' command", error("PEXPIRE", "k", "9223372036854775807"));
        assertEquals("ERR invalid expire time in 'expireat' command", error("EXPIREAT", "k", "9223372036854775807"));
        assertEquals(1L, call("PEXPIREAT", "k", "9223372036854775807"), "no unit, no base: fits");
        assertEquals("ERR wrong number of arguments for 'expire' command", error("EXPIRE", "k"));
    }

    @Test
    void persistRemovesTheDeadline() {
        jedis.set("k", "v");
        assertEquals(0, jedis.persist("k"));
        assertEquals(0, jedis.persist("nope"));
        jedis.expire("k", 100);
        assertEquals(1, jedis.persist("k"));
        assertEquals(-1, jedis.ttl("k"));
    }

    @Test
    void renameMovesValueAndDeadline() {
        jedis.set("src", "v");
        jedis.expire("src", 100);
        jedis.set("dst", "old");
        assertEquals("OK", jedis.rename("src", "dst"));
        assertFalse(jedis.exists("src"));
        assertEquals("v", jedis.get("dst"));
        assertEquals(100, jedis.ttl("dst"), "RENAME keeps the deadline");

        jedis.set("plain", "p");
        jedis.rename("plain", "dst");
        assertEquals(-1, jedis.ttl("dst"), "the destination's old deadline goes with its old value");

        assertEquals("ERR no such key", error("RENAME", "nope", "x"));
        assertEquals("ERR no such key", error("RENAMENX", "nope", "x"));
        assertEquals("ERR no such key", error("RENAME", "nope", "nope"));
        assertEquals("OK", jedis.rename("dst", "dst"));
        assertEquals(0, jedis.renamenx("dst", "dst"));
        assertEquals("p", jedis.get("dst"));
    }

    @Test
    void renamenxOnlyToAnAbsentKey() {
        jedis.set("a", "1");
        jedis.set("b", "2");
        assertEquals(0, jedis.renamenx("a", "b"));
        assertEquals("1", jedis.get("a"));
        assertEquals(1, jedis.renamenx("a", "c"));
        assertEquals("1", jedis.get("c"));
        assertFalse(jedis.exists("a"));
    }

    @Test
    void copyWithinAndAcrossDatabases() {
        jedis.set("src", "v");
        jedis.expire("src", 100);
        assertTrue(jedis.copy("src", "dst", false));
        assertEquals("v", jedis.get("dst"));
        assertEquals(100, jedis.ttl("dst"), "COPY keeps the deadline");
        jedis.set("src", "changed");
        assertEquals("v", jedis.get("dst"), "an independent copy");

        assertFalse(jedis.copy("src", "dst", false), "no REPLACE, destination exists");
        assertEquals("v", jedis.get("dst"));
        assertTrue(jedis.copy("src", "dst", true));
        assertEquals("changed", jedis.get("dst"));
        assertEquals(-1, jedis.ttl("dst"));
        assertFalse(jedis.copy("nope", "x", true));

        assertTrue(jedis.copy("src", "src", 3, false), "the same name in another database is fine");
        jedis.select(3);
        assertEquals("changed", jedis.get("src"));
        jedis.select(0);

        assertEquals("ERR source and destination objects are the same", error("COPY", "src", "src"));
        assertEquals("ERR source and destination objects are the same", error("COPY", "src", "src", "DB", "0"));
        assertEquals("ERR DB index is out of range", error("COPY", "src", "x", "DB", "16"));
        assertEquals("ERR DB index is out of range", error("COPY", "src", "x", "DB", "-1"));
        assertEquals("ERR value is not an integer or out of range", error("COPY", "src", "x", "DB", "zero"));
        assertEquals("ERR syntax error", error("COPY", "src", "x", "foo"));
        assertEquals("ERR syntax error", error("COPY", "src", "x", "DB"));
    }

    @Test
    void moveToAnotherDatabase() {
        jedis.set("k", "v");
        jedis.expire("k", 100);
        assertEquals(1, jedis.move("k", 1));
        assertFalse(jedis.exists("k"));
        jedis.select(1);
        assertEquals("v", jedis.get("k"));
        assertEquals(100, jedis.ttl("k"), "MOVE keeps the deadline");
        jedis.select(0);
        jedis.set("k", "here");
        assertEquals(0, jedis.move("k", 1), "target exists");
        assertEquals("here", jedis.get("k"));
        assertEquals(0, jedis.move("nope", 1));
        assertEquals("ERR source and destination objects are the same", error("MOVE", "k", "0"));
        assertEquals("ERR DB index is out of range", error("MOVE", "k", "16"));
        assertEquals("ERR value is not an integer or out of range", error("MOVE", "k", "x"));
    }

    @Test
    void swapdbExchangesContents() {
        jedis.set("zero", "0");
        jedis.select(1);
        jedis.set("one", "1");
        assertEquals("OK", jedis.swapDB(0, 1));
        assertEquals("0", jedis.get("zero"), "the connection stays on db 1, which now holds db 0's keys");
        assertNull(jedis.get("one"));
        jedis.select(0);
        assertEquals("1", jedis.get("one"));
        assertEquals("OK", jedis.swapDB(2, 2));
        assertEquals("ERR DB index is out of range", error("SWAPDB", "0", "16"));
        assertEquals("ERR DB index is out of range", error("SWAPDB", "-1", "0"));
        assertEquals("ERR invalid first DB index", error("SWAPDB", "x", "0"));
        assertEquals("ERR invalid second DB index", error("SWAPDB", "0", "x"));
    }

    @Test
    void typeTouchAndKeys() {
        jedis.set("hello", "1");
        jedis.set("hallo", "1");
        jedis.set("other", "1");
        assertEquals("string", jedis.type("hello"));
        assertEquals("none", jedis.type("nope"));
        assertEquals(2, jedis.touch("hello", "other", "nope"));
        assertEquals(Set.of("hello", "hallo"), jedis.keys("h?llo"));
        assertEquals(Set.of("hello", "hallo", "other"), jedis.keys("*"));
        assertEquals(Set.of(), jedis.keys("x*"));
        jedis.pexpire("other", 1);
        sleep(20);
        assertEquals(Set.of("hello", "hallo"), jedis.keys("*"), "expired keys are not listed");
    }

    @Test
    void randomkeyReturnsALiveKey() {
        assertNull(jedis.randomKey());
        Set<String> all = Set.of("a", "b", "c", "d");
        for (String k : all) {
            jedis.set(k, "1");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String k = jedis.randomKey();
            assertTrue(all.contains(k), k);
            seen.add(k);
        }
        assertTrue(seen.size() > 1, "not always the same key");
    }

    @Test
    void objectSubcommands() {
        jedis.set("int", "12345");
        jedis.set("shared", "100");
        jedis.set("lead0", "012");
        jedis.set("short", "x".repeat(44));
        jedis.set("long", "x".repeat(45));
        assertEquals("int", jedis.objectEncoding("int"));
        assertEquals("embstr", jedis.objectEncoding("lead0"));
        assertEquals("embstr", jedis.objectEncoding("short"));
        assertEquals("raw", jedis.objectEncoding("long"));
        assertNull(jedis.objectEncoding("nope"));
        assertEquals(1, jedis.objectRefcount("int"));
        assertEquals(Integer.MAX_VALUE, jedis.objectRefcount("shared"), "Redis's shared integers");
        assertNull(jedis.objectRefcount("nope"));
        assertEquals(0, jedis.objectIdletime("int"));
        assertNull(jedis.objectIdletime("nope"));
        assertEquals("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that"
                + " when switching between policies at runtime LRU and LFU data will take some time to adjust.",
                error("OBJECT", "FREQ", "int"));
        List<String> help = jedis.objectHelp();
        assertEquals("OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", help.get(0));
        assertEquals("    Prints this help.", help.get(help.size() - 1));
        assertEquals("ERR unknown subcommand 'foo'. Try OBJECT HELP.", error("OBJECT", "foo"));
        assertEquals("ERR wrong number of arguments for 'object|encoding' command", error("OBJECT", "ENCODING"));
        assertEquals("ERR wrong number of arguments for 'object' command", error("OBJECT"));
    }

    @Test
    void idletimeGrowsUntilTouchedButNotOnPeeks() {
        jedis.set("k", "v");
        // RESTORE ... IDLETIME sets the idle time; EXISTS, TYPE, TTL and OBJECT must not reset it.
        byte[] payload = jedis.dump("k");
        jedis.restore("k", 0, payload, redis.clients.jedis.params.RestoreParams.restoreParams().replace().idleTime(1000));
        assertTrue(jedis.exists("k"));
        jedis.type("k");
        jedis.ttl("k");
        jedis.objectEncoding("k");
        long idle = jedis.objectIdletime("k");
        assertTrue(idle >= 1000 && idle < 1010, "idle " + idle);
        assertEquals(1, jedis.touch("k"));
        assertEquals(0, jedis.objectIdletime("k"));
    }

    @Test
    void commandFlagsFollowRedis() {
        CommandTable t = CommandTable.standard();
        for (String w : new String[]{"del", "unlink", "expire", "pexpire", "expireat", "pexpireat", "persist", "rename",
                "renamenx", "copy", "move", "swapdb", "restore"}) {
            assertTrue(t.lookup(w).isWrite(), w + " goes through the log");
        }
        for (String r : new String[]{"exists", "touch", "type", "keys", "scan", "randomkey", "ttl", "pttl",
                "expiretime", "pexpiretime", "dump"}) {
            assertFalse(t.lookup(r).isWrite(), r + " is a read");
            assertTrue(t.lookup(r).has(CommandFlag.READONLY), r);
        }
        for (CommandSpec sub : t.lookup("object").subcommands().values()) {
            assertFalse(sub.isWrite(), sub.fullName());
        }
        assertArrayEquals(new int[]{1, 2}, t.lookup("copy").keyPositions(new byte[][]{
                b("copy"), b("a"), b("b"), b("DB"), b("1")}));
        assertArrayEquals(new int[]{2}, t.lookup("object").subcommand(b("encoding")).keyPositions(new byte[][]{
                b("object"), b("encoding"), b("k")}));
    }

    private static byte[] b(String s) {
        return SafeEncoder.encode(s);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
