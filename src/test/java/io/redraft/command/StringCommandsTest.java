package io.redraft.command;

import io.redraft.testing.ServerTestBase;
import io.redraft.store.KeyEntry;
import io.redraft.store.StringEncoding;
import io.redraft.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

import java.util.Set;

import static io.redraft.command.StringTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/** String commands against a live server, replies and error texts as Redis 7.0 gives them. */
@Timeout(60)
class StringCommandsTest extends ServerTestBase {
    private Object call(String... args) {
        return StringTestSupport.call(jedis, args);
    }

    private void assertError(String expected, String... args) {
        StringTestSupport.assertError(jedis, expected, args);
    }

    @Test
    void setConditionsAndGet() {
        assertEquals("OK", call("SET", "k", "v1"));
        assertNull(call("SET", "k", "v2", "NX"));
        assertEquals("v1", call("GET", "k"));
        assertEquals("OK", call("SET", "k", "v2", "XX"));
        assertNull(call("SET", "missing", "v", "XX"));
        assertEquals(0L, call("EXISTS", "missing"));
        // GET returns the old value; with a failing condition nothing is written
        assertEquals("v2", call("SET", "k", "v3", "GET"));
        assertEquals("v3", call("SET", "k", "v4", "NX", "GET"));
        assertEquals("v3", call("GET", "k"));
        assertNull(call("SET", "fresh", "x", "GET", "NX"));
        assertEquals("x", call("GET", "fresh"));
        // repeating an option is allowed, as in Redis
        assertEquals("x", call("SET", "fresh", "y", "get", "get"));
        assertEquals("OK", call("SET", "fresh", "z", "ex", "1", "ex", "100"));
    }

    @Test
    void setSyntaxAndExpireErrors() {
        String syntax = "ERR syntax error";
        assertError(syntax, "SET", "k", "v", "NX", "XX");
        assertError(syntax, "SET", "k", "v", "EX", "10", "PX", "10");
        assertError(syntax, "SET", "k", "v", "EX", "10", "KEEPTTL");
        assertError(syntax, "SET", "k", "v", "KEEPTTL", "PXAT", "10");
        assertError(syntax, "SET", "k", "v", "EX");
        assertError(syntax, "SET", "k", "v", "PERSIST");
        assertError(syntax, "SET", "k", "v", "foo");
        String invalid = "ERR invalid expire time in 'set' command";
        assertError(invalid, "SET", "k", "v", "EX", "0");
        assertError(invalid, "SET", "k", "v", "PX", "-1");
        assertError(invalid, "SET", "k", "v", "EX", "9999999999999999");
        assertError(invalid, "SET", "k", "v", "PX", "9223372036854775807");
        assertError(invalid, "SET", "k", "v", "EXAT", "0");
        assertError("ERR value is not an integer or out of range", "SET", "k", "v", "PX", "abc");
        assertError("ERR invalid expire time in 'setex' command", "SETEX", "k", "0", "v");
        assertError("ERR invalid expire time in 'psetex' command", "PSETEX", "k", "-1", "v");
        assertError("ERR value is not an integer or out of range", "SETEX", "k", "abc", "v");
        assertEquals(0L, call("EXISTS", "k"));
    }

    @Test
    void setOnAnotherTypeOverwritesButSetGetIsWrongType() {
        putOtherType(server, "l");
        assertError(WRONGTYPE, "SET", "l", "v", "GET");
        assertError(WRONGTYPE, "SET", "l", "v", "XX", "GET");
        // an invalid expire is reported before the type
        assertError("ERR invalid expire time in 'set' command", "SET", "l", "v", "EX", "0", "GET");
        assertEquals("OK", call("SET", "l", "v"));
        assertEquals("v", call("GET", "l"));
    }

    @Test
    void relativeAndAbsoluteDeadlines() {
        long before = System.currentTimeMillis();
        call("SET", "ex", "v", "EX", "100");
        call("SET", "px", "v", "PX", "5000");
        call("SETEX", "setex", "100", "v");
        call("PSETEX", "psetex", "5000", "v");
        long after = System.currentTimeMillis();
        assertBetween(before + 100_000, after + 100_000, deadline(server, "ex"));
        assertBetween(before + 5000, after + 5000, deadline(server, "px"));
        assertBetween(before + 100_000, after + 100_000, deadline(server, "setex"));
        assertBetween(before + 5000, after + 5000, deadline(server, "psetex"));
        long at = after + 3_600_000;
        call("SET", "pxat", "v", "PXAT", Long.toString(at));
        assertEquals(at, deadline(server, "pxat"));
        call("SET", "exat", "v", "EXAT", Long.toString(at / 1000));
        assertEquals(at / 1000 * 1000, deadline(server, "exat"));
        // KEEPTTL keeps the deadline, a plain SET drops it
        call("SET", "pxat", "v2", "KEEPTTL");
        assertEquals(at, deadline(server, "pxat"));
        call("SET", "pxat", "v3");
        assertEquals(KeyEntry.NO_EXPIRY, deadline(server, "pxat"));
        // a deadline already past leaves no key
        assertEquals("OK", call("SET", "gone", "v", "EXAT", "1"));
        assertEquals(0L, call("EXISTS", "gone"));
        assertEquals("OK", call("SET", "gone", "v", "PXAT", "1000"));
        assertEquals(0L, call("EXISTS", "gone"));
    }

    @Test
    void keyExpiresAfterPx() throws InterruptedException {
        assertEquals("OK", call("SET", "k", "v", "PX", "100"));
        assertEquals("v", call("GET", "k"));
        long limit = System.currentTimeMillis() + 5000;
        while (call("GET", "k") != null) {
            assertTrue(System.currentTimeMillis() < limit, "key did not expire");
            Thread.sleep(20);
        }
        assertEquals(0L, call("EXISTS", "k"));
        // writes see the expired key as absent too
        assertEquals(1L, call("SETNX", "k", "again"));
    }

    @Test
    void setNxSetexPsetex() {
        assertEquals(1L, call("SETNX", "k", "a"));
        assertEquals(0L, call("SETNX", "k", "b"));
        assertEquals("a", call("GET", "k"));
        assertEquals("OK", call("SETEX", "k", "10", "c"));
        assertEquals("c", call("GET", "k"));
        assertEquals("OK", call("PSETEX", "k", "10000", "d"));
        assertEquals("d", call("GET", "k"));
    }

    @Test
    void getexOptions() {
        assertNull(call("GETEX", "missing"));
        // a missing key answers nil before the expire value is looked at
        assertNull(call("GETEX", "missing", "EX", "0"));
        assertNull(call("GETEX", "missing", "EX", "abc"));
        assertError("ERR syntax error", "GETEX", "missing", "foo");
        call("SET", "k", "v");
        assertEquals("v", call("GETEX", "k"));
        assertEquals(KeyEntry.NO_EXPIRY, deadline(server, "k"));
        long before = System.currentTimeMillis();
        assertEquals("v", call("GETEX", "k", "EX", "100"));
        assertBetween(before + 100_000, System.currentTimeMillis() + 100_000, deadline(server, "k"));
        assertEquals("v", call("GETEX", "k", "PXAT", "99999999999999"));
        assertEquals(99999999999999L, deadline(server, "k"));
        assertEquals("v", call("GETEX", "k", "PERSIST"));
        assertEquals(KeyEntry.NO_EXPIRY, deadline(server, "k"));
        assertError("ERR syntax error", "GETEX", "k", "PERSIST", "EX", "5");
        assertError("ERR syntax error", "GETEX", "k", "EX", "1", "PX", "2");
        assertError("ERR syntax error", "GETEX", "k", "NX");
        assertError("ERR syntax error", "GETEX", "k", "KEEPTTL");
        assertError("ERR invalid expire time in 'getex' command", "GETEX", "k", "EX", "0");
        assertError("ERR invalid expire time in 'getex' command", "GETEX", "k", "EX", "9999999999999999");
        assertError("ERR value is not an integer or out of range", "GETEX", "k", "PX", "x");
        // an absolute time in the past returns the value and deletes the key
        assertEquals("v", call("GETEX", "k", "EXAT", "1"));
        assertEquals(0L, call("EXISTS", "k"));
        putOtherType(server, "l");
        assertError(WRONGTYPE, "GETEX", "l");
    }

    @Test
    void getdelGetsetMgetMset() {
        call("SET", "a", "1");
        assertEquals("1", call("GETDEL", "a"));
        assertNull(call("GETDEL", "a"));
        assertNull(call("GETSET", "a", "x"));
        call("PSETEX", "t", "100000", "old");
        assertEquals("old", call("GETSET", "t", "new"));
        assertEquals(KeyEntry.NO_EXPIRY, deadline(server, "t"));
        assertEquals("OK", call("MSET", "a", "1", "b", "2", "a", "3"));
        putOtherType(server, "l");
        assertEquals(list("3", "2", null, null), call("MGET", "a", "b", "nokey", "l"));
        assertError("ERR wrong number of arguments for 'mset' command", "MSET", "a", "1", "b");
        assertError("ERR wrong number of arguments for 'msetnx' command", "MSETNX", "a", "1", "b");
        assertEquals(0L, call("MSETNX", "a", "9", "c", "9"));
        assertEquals(0L, call("EXISTS", "c"));
        assertEquals(1L, call("MSETNX", "c", "4", "d", "5", "c", "6"));
        assertEquals(list("6", "5"), call("MGET", "c", "d"));
        assertError(WRONGTYPE, "GETDEL", "l");
        assertError(WRONGTYPE, "GETSET", "l", "x");
        assertError(WRONGTYPE, "GET", "l");
    }

    @Test
    void appendAndStrlen() {
        assertEquals(5L, call("APPEND", "k", "hello"));
        assertEquals(11L, call("APPEND", "k", " world"));
        assertEquals("hello world", call("GET", "k"));
        assertEquals(11L, call("STRLEN", "k"));
        assertEquals(0L, call("STRLEN", "nokey"));
        call("SET", "t", "a", "PX", "100000");
        call("APPEND", "t", "b");
        assertNotEquals(KeyEntry.NO_EXPIRY, deadline(server, "t"));
        putOtherType(server, "l");
        assertError(WRONGTYPE, "APPEND", "l", "x");
        assertError(WRONGTYPE, "STRLEN", "l");
    }

    @Test
    void getrangeAndSubstr() {
        call("SET", "s", "Hello World");
        assertEquals("Hello World", call("GETRANGE", "s", "0", "-1"));
        assertEquals("rld", call("GETRANGE", "s", "-3", "-1"));
        assertEquals("", call("GETRANGE", "s", "5", "2"));
        assertEquals("H", call("GETRANGE", "s", "-100", "-50")); // Redis 7.0 clamps both to 0
        assertEquals("", call("GETRANGE", "s", "-1", "-5"));
        assertEquals("", call("GETRANGE", "s", "100", "200"));
        assertEquals("H", call("GETRANGE", "s", "0", "-9223372036854775808"));
        assertEquals("", call("GETRANGE", "nokey", "0", "-1"));
        assertEquals("Hello", call("SUBSTR", "s", "0", "4"));
        call("SET", "e", "");
        assertEquals("", call("GETRANGE", "e", "0", "0"));
        assertError("ERR value is not an integer or out of range", "GETRANGE", "s", "a", "1");
        assertError("ERR value is not an integer or out of range", "GETRANGE", "s", "0", "9999999999999999999");
        putOtherType(server, "l");
        assertError(WRONGTYPE, "GETRANGE", "l", "0", "1");
    }

    @Test
    void setrange() {
        call("SET", "s", "Hello World");
        assertEquals(11L, call("SETRANGE", "s", "6", "Redis"));
        assertEquals("Hello Redis", call("GET", "s"));
        assertEquals(14L, call("SETRANGE", "s", "12", "!!"));
        assertEquals("Hello Redis\0!!", call("GET", "s"));
        assertEquals(5L, call("SETRANGE", "new", "3", "ab"));
        assertEquals("\0\0\0ab", call("GET", "new"));
        // an empty patch changes nothing and creates nothing
        assertEquals(0L, call("SETRANGE", "nokey", "5", ""));
        assertEquals(0L, call("SETRANGE", "nokey", "536870912", ""));
        assertEquals(0L, call("EXISTS", "nokey"));
        assertEquals(14L, call("SETRANGE", "s", "0", ""));
        assertError("ERR offset is out of range", "SETRANGE", "s", "-1", "x");
        assertError("ERR string exceeds maximum allowed size (proto-max-bulk-len)",
                "SETRANGE", "s", "536870912", "x");
        assertError("ERR string exceeds maximum allowed size (proto-max-bulk-len)",
                "SETRANGE", "s", "9223372036854775807", "xx");
        assertError("ERR value is not an integer or out of range", "SETRANGE", "s", "abc", "x");
        putOtherType(server, "l");
        assertError(WRONGTYPE, "SETRANGE", "l", "0", "x");
        assertError(WRONGTYPE, "SETRANGE", "l", "0", "");
    }

    @Test
    void sizeLimitFollowsProtoMaxBulkLen() {
        String tooBig = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
        try (TestServer small = TestServer.start("proto-max-bulk-len", "2mb");
             Jedis j = small.jedis()) {
            int limit = 2 * 1024 * 1024;
            assertEquals((long) limit, StringTestSupport.call(j, "SETRANGE", "s", Integer.toString(limit - 1), "x"));
            StringTestSupport.assertError(j, tooBig, "SETRANGE", "s", Integer.toString(limit), "x");
            StringTestSupport.assertError(j, tooBig, "APPEND", "s", "y");
            // bit offsets stop at the last bit of the largest allowed string
            assertEquals(0L, StringTestSupport.call(j, "SETBIT", "b", Long.toString(8L * limit - 1), "1"));
            StringTestSupport.assertError(j, "ERR bit offset is not an integer or out of range",
                    "SETBIT", "b", Long.toString(8L * limit), "1");
            StringTestSupport.assertError(j, "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len",
                    "LCS", "s", "b");
        }
    }

    @Test
    void incrDecrFamily() {
        assertEquals(1L, call("INCR", "n"));
        assertEquals(11L, call("INCRBY", "n", "10"));
        assertEquals(8L, call("DECRBY", "n", "3"));
        assertEquals(7L, call("DECR", "n"));
        assertEquals("7", call("GET", "n"));
        assertEquals(-3L, call("INCRBY", "n", "-10"));
        call("SET", "n", "9223372036854775807");
        assertError("ERR increment or decrement would overflow", "INCR", "n");
        call("SET", "n", "-9223372036854775808");
        assertError("ERR increment or decrement would overflow", "DECR", "n");
        assertError("ERR decrement would overflow", "DECRBY", "n", "-9223372036854775808");
        for (String bad : new String[] {" 1", "01", "1.0", "abc", "", "99999999999999999999"}) {
            call("SET", "bad", bad);
            assertError("ERR value is not an integer or out of range", "INCR", "bad");
        }
        assertError("ERR value is not an integer or out of range", "INCRBY", "n", "abc");
        call("SET", "t", "1", "PX", "100000");
        call("INCR", "t");
        assertNotEquals(KeyEntry.NO_EXPIRY, deadline(server, "t"));
        putOtherType(server, "l");
        assertError(WRONGTYPE, "INCR", "l");
        assertError(WRONGTYPE, "DECRBY", "l", "1");
    }

    @Test
    void incrbyfloat() {
        assertEquals("1.5", call("INCRBYFLOAT", "f", "1.5"));
        call("SET", "f", "10.5");
        assertEquals("10.6", call("INCRBYFLOAT", "f", "0.1"));
        call("SET", "f", "3.0e3");
        assertEquals("3200", call("INCRBYFLOAT", "f", "200"));
        assertEquals("3200", call("GET", "f"));
        assertEquals("0.000011", call("INCRBYFLOAT", "small", "1.1e-5"));
        assertEquals("0", call("INCRBYFLOAT", "z", "-0"));
        call("SET", "i", "5");
        assertEquals("5", call("INCRBYFLOAT", "i", "0"));
        assertError("ERR value is not a valid float", "INCRBYFLOAT", "f", "abc");
        assertError("ERR value is not a valid float", "INCRBYFLOAT", "f", "0x10");
        assertError("ERR increment would produce NaN or Infinity", "INCRBYFLOAT", "f", "inf");
        call("SET", "bad", "1 ");
        assertError("ERR value is not a valid float", "INCRBYFLOAT", "bad", "1");
        putOtherType(server, "l");
        assertError(WRONGTYPE, "INCRBYFLOAT", "l", "1");
    }

    @Test
    void lcs() {
        call("MSET", "k1", "ohmytext", "k2", "mynewtext");
        assertEquals("mytext", call("LCS", "k1", "k2"));
        assertEquals(6L, call("LCS", "k1", "k2", "LEN"));
        assertEquals(list("matches", list(
                        list(list(4L, 7L), list(5L, 8L)),
                        list(list(2L, 3L), list(0L, 1L))),
                        "len", 6L),
                call("LCS", "k1", "k2", "IDX"));
        assertEquals(list("matches", list(list(list(4L, 7L), list(5L, 8L), 4L)), "len", 6L),
                call("LCS", "k1", "k2", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"));
        assertEquals(list("matches", list(
                        list(list(4L, 7L), list(5L, 8L), 4L),
                        list(list(2L, 3L), list(0L, 1L), 2L)),
                        "len", 6L),
                call("LCS", "k1", "k2", "idx", "minmatchlen", "-5", "withmatchlen"));
        // LEN wins when IDX is absent; WITHMATCHLEN alone changes nothing
        assertEquals(6L, call("LCS", "k1", "k2", "LEN", "MINMATCHLEN", "3"));
        assertEquals("mytext", call("LCS", "k1", "k2", "WITHMATCHLEN"));
        assertEquals("", call("LCS", "k1", "nokey"));
        assertEquals(list("matches", list(), "len", 0L), call("LCS", "k1", "nokey", "IDX"));
        call("MSET", "a1", "aaaa", "a2", "aa");
        assertEquals(list("matches", list(list(list(2L, 3L), list(0L, 1L), 2L)), "len", 2L),
                call("LCS", "a1", "a2", "IDX", "WITHMATCHLEN"));
        assertError("ERR If you want both the length and indexes, please just use IDX.",
                "LCS", "k1", "k2", "LEN", "IDX");
        assertError("ERR syntax error", "LCS", "k1", "k2", "foo");
        assertError("ERR syntax error", "LCS", "k1", "k2", "MINMATCHLEN");
        assertError("ERR value is not an integer or out of range", "LCS", "k1", "k2", "MINMATCHLEN", "x");
        putOtherType(server, "l");
        assertError("ERR The specified keys must contain string values", "LCS", "k1", "l");
    }

    @Test
    void arityErrors() {
        assertError("ERR wrong number of arguments for 'set' command", "SET", "k");
        assertError("ERR wrong number of arguments for 'getrange' command", "GETRANGE", "k", "0");
        assertError("ERR wrong number of arguments for 'lcs' command", "LCS", "k");
        assertError("ERR wrong number of arguments for 'mget' command", "MGET");
    }

    @Test
    void commandTableRows() {
        CommandTable table = server.server().context().table();
        CommandSpec mset = table.lookup("mset");
        assertEquals(Set.of(CommandFlag.WRITE, CommandFlag.DENYOOM), mset.flags());
        assertEquals(-3, mset.arity());
        assertEquals(1, mset.firstKey());
        assertEquals(-1, mset.lastKey());
        assertEquals(2, mset.keyStep());
        assertEquals("string", mset.group());
        assertEquals(Set.of(CommandFlag.READONLY, CommandFlag.FAST), table.lookup("get").flags());
        assertEquals(Set.of(CommandFlag.WRITE, CommandFlag.FAST), table.lookup("getdel").flags());
        assertEquals(Set.of(CommandFlag.WRITE, CommandFlag.DENYOOM, CommandFlag.FAST), table.lookup("incr").flags());
        assertEquals(Set.of(CommandFlag.WRITE, CommandFlag.DENYOOM, CommandFlag.FAST), table.lookup("append").flags());
        assertArrayEquals(new String[] {"@write", "@string", "@slow"}, table.lookup("set").aclCategories());
        assertArrayEquals(new String[] {"@read", "@string", "@fast"}, table.lookup("mget").aclCategories());
        assertEquals(2, table.lookup("lcs").lastKey());
        assertEquals("7.0.0", table.lookup("lcs").since());
        for (String name : new String[] {"append", "decr", "decrby", "get", "getdel", "getex", "getrange",
                "getset", "incr", "incrby", "incrbyfloat", "lcs", "mget", "mset", "msetnx", "psetex", "set",
                "setex", "setnx", "setrange", "strlen", "substr"}) {
            CommandSpec spec = table.lookup(name);
            assertNotNull(spec, name);
            assertEquals("string", spec.group(), name);
            assertFalse(spec.summary().isEmpty(), name);
            assertFalse(spec.complexity().isEmpty(), name);
            assertEquals(1, spec.firstKey(), name);
        }
    }

    @Test
    void stringEncoding() {
        assertEquals("int", StringEncoding.of("12".getBytes()));
        assertEquals("int", StringEncoding.of("-9223372036854775808".getBytes()));
        assertEquals("embstr", StringEncoding.of("12345678901234567890".getBytes()));
        assertEquals("embstr", StringEncoding.of("01".getBytes()));
        assertEquals("embstr", StringEncoding.of("a".repeat(44).getBytes()));
        assertEquals("raw", StringEncoding.of("a".repeat(45).getBytes()));
    }

    private static void assertBetween(long low, long high, long actual) {
        assertTrue(actual >= low && actual <= high, actual + " not in [" + low + ", " + high + "]");
    }
}
