package io.redraft.command;

import io.redraft.testing.ServerTestBase;
import io.redraft.store.KeyEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Random;
import java.util.Set;

import static io.redraft.command.StringTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/** Bitmap commands against a live server, replies and error texts as Redis 7.0 gives them. */
@Timeout(60)
class BitmapCommandsTest extends ServerTestBase {
    private static final String BAD_OFFSET = "ERR bit offset is not an integer or out of range";
    private static final String BAD_TYPE =
            "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";

    private Object call(String... args) {
        return StringTestSupport.call(jedis, args);
    }

    private void assertError(String expected, String... args) {
        StringTestSupport.assertError(jedis, expected, args);
    }

    @Test
    void setbitAndGetbit() {
        assertEquals(0L, call("SETBIT", "b", "7", "1"));
        assertEquals(1L, call("SETBIT", "b", "7", "1"));
        assertEquals("\u0001", call("GET", "b"));
        assertEquals(1L, call("GETBIT", "b", "7"));
        assertEquals(0L, call("GETBIT", "b", "6"));
        assertEquals(0L, call("GETBIT", "b", "100000"));
        assertEquals(0L, call("GETBIT", "nokey", "1"));
        assertEquals(0L, call("SETBIT", "b", "23", "1"));
        assertEquals(3L, call("STRLEN", "b"));
        assertEquals(1L, call("SETBIT", "b", "7", "0"));
        assertEquals("\0\0\u0001", call("GET", "b"));
        // SETBIT keeps the TTL, like every in-place edit
        call("SET", "t", "x", "PX", "100000");
        call("SETBIT", "t", "0", "1");
        assertNotEquals(KeyEntry.NO_EXPIRY, deadline(server, "t"));
        // integers stored as text are strings too
        call("SET", "i", "123");
        assertEquals(0L, call("SETBIT", "i", "0", "1"));
        assertEquals("\u00b123", call("GET", "i"));
    }

    @Test
    void setbitErrors() {
        assertError(BAD_OFFSET, "SETBIT", "b", "-1", "1");
        assertError(BAD_OFFSET, "SETBIT", "b", "4294967296", "1");
        assertError(BAD_OFFSET, "SETBIT", "b", "abc", "1");
        assertError(BAD_OFFSET, "SETBIT", "b", "#1", "1");
        assertError(BAD_OFFSET, "GETBIT", "b", "4294967296");
        for (String bit : new String[] {"2", "-0", "01", "abc", "-1"}) {
            assertError("ERR bit is not an integer or out of range", "SETBIT", "b", "1", bit);
        }
        assertEquals(0L, call("EXISTS", "b"));
        putOtherType(server, "l");
        assertError(WRONGTYPE, "SETBIT", "l", "1", "1");
        assertError(WRONGTYPE, "GETBIT", "l", "1");
    }

    @Test
    void setbitAtTheLastOffsetMakesA512MbString() {
        assertEquals(0L, call("SETBIT", "big", "4294967295", "1"));
        assertEquals(536870912L, call("STRLEN", "big"));
        assertEquals(1L, call("GETBIT", "big", "4294967295"));
        assertEquals(1L, call("BITCOUNT", "big"));
        assertEquals(4294967295L, call("BITPOS", "big", "1"));
        call("DEL", "big");
    }

    @Test
    void bitcount() {
        call("SET", "f", "foobar");
        assertEquals(26L, call("BITCOUNT", "f"));
        assertEquals(4L, call("BITCOUNT", "f", "0", "0"));
        assertEquals(6L, call("BITCOUNT", "f", "1", "1"));
        assertEquals(6L, call("BITCOUNT", "f", "1", "1", "BYTE"));
        assertEquals(1L, call("BITCOUNT", "f", "1", "1", "BIT"));
        assertEquals(17L, call("BITCOUNT", "f", "5", "30", "bit"));
        assertEquals(7L, call("BITCOUNT", "f", "-2", "-1"));
        assertEquals(2L, call("BITCOUNT", "f", "-5", "-1", "BIT"));
        assertEquals(26L, call("BITCOUNT", "f", "-1000", "1000"));
        assertEquals(0L, call("BITCOUNT", "f", "5", "1"));
        // both ends negative and reversed: 0 before the unit is even read (Redis 7.0)
        assertEquals(0L, call("BITCOUNT", "f", "-1", "-2", "foo"));
        // a missing key is 0 whatever the arguments
        assertEquals(0L, call("BITCOUNT", "nokey", "0"));
        assertEquals(0L, call("BITCOUNT", "nokey", "0", "1"));
        call("SET", "e", "");
        assertEquals(0L, call("BITCOUNT", "e"));
        assertEquals(0L, call("BITCOUNT", "e", "0", "-1", "BIT"));
        assertError("ERR syntax error", "BITCOUNT", "f", "0");
        assertError("ERR syntax error", "BITCOUNT", "f", "0", "-1", "foo");
        assertError("ERR syntax error", "BITCOUNT", "f", "0", "1", "bit", "extra");
        assertError("ERR value is not an integer or out of range", "BITCOUNT", "f", "a", "b");
        putOtherType(server, "l");
        assertError(WRONGTYPE, "BITCOUNT", "l");
    }

    @Test
    void bitcountMatchesANaiveCountOnRandomRanges() {
        Random random = new Random(42);
        byte[] data = new byte[300];
        random.nextBytes(data);
        jedis.set("r".getBytes(), data);
        int bits = data.length * 8;
        for (int n = 0; n < 200; n++) {
            int from = random.nextInt(bits);
            int to = from + random.nextInt(bits - from);
            long expected = 0;
            for (int i = from; i <= to; i++) {
                expected += (data[i >> 3] >> (7 - (i & 7))) & 1;
            }
            assertEquals(expected, call("BITCOUNT", "r", Integer.toString(from), Integer.toString(to), "BIT"));
        }
    }

    @Test
    void bitposMatchesANaiveScanOnRandomRanges() {
        Random random = new Random(7);
        byte[] data = new byte[64];
        for (int i = 0; i < data.length; i++) {
            // long runs of 0x00 and 0xff exercise the word-skipping path
            data[i] = (byte) (i < 20 ? 0 : i < 40 ? 0xff : random.nextInt(256));
        }
        data[37] = (byte) 0xf7;
        jedis.set("r".getBytes(), data);
        int bits = data.length * 8;
        for (int n = 0; n < 300; n++) {
            int bit = random.nextInt(2);
            int from = random.nextInt(bits);
            int to = from + random.nextInt(bits - from);
            long expected = -1;
            for (int i = from; i <= to && expected < 0; i++) {
                if (((data[i >> 3] >> (7 - (i & 7))) & 1) == bit) {
                    expected = i;
                }
            }
            assertEquals(expected, call("BITPOS", "r", Integer.toString(bit), Integer.toString(from),
                    Integer.toString(to), "BIT"), bit + " in [" + from + ", " + to + "]");
        }
    }

    @Test
    void bitpos() {
        call("SET", "ff", "\u00ff\u00ff");
        assertEquals(16L, call("BITPOS", "ff", "0"));
        assertEquals(16L, call("BITPOS", "ff", "0", "0"));
        // with an explicit end, no clear bit in range is -1
        assertEquals(-1L, call("BITPOS", "ff", "0", "0", "-1"));
        assertEquals(-1L, call("BITPOS", "ff", "0", "0", "7", "BIT"));
        assertEquals(0L, call("BITPOS", "ff", "1"));
        assertEquals(9L, call("BITPOS", "ff", "1", "9", "-1", "BIT"));
        call("SET", "f", "foobar");
        assertEquals(1L, call("BITPOS", "f", "1"));
        assertEquals(0L, call("BITPOS", "f", "0"));
        assertEquals(2L, call("BITPOS", "f", "1", "2", "-1", "BIT"));
        assertEquals(5L, call("BITPOS", "f", "1", "3", "-1", "BIT"));
        assertEquals(-1L, call("BITPOS", "f", "0", "1", "1", "BIT"));
        assertEquals(-1L, call("BITPOS", "f", "1", "3", "3", "BIT"));
        assertEquals(3L, call("BITPOS", "f", "0", "3", "3", "BIT"));
        call("SET", "z", "\0".repeat(19) + "\u0001");
        assertEquals(159L, call("BITPOS", "z", "1"));
        assertEquals(-1L, call("BITPOS", "z", "1", "1", "158", "BIT"));
        assertEquals(0L, call("BITPOS", "z", "0"));
        call("SET", "o", "\u00ff".repeat(19) + "\u00fe");
        assertEquals(159L, call("BITPOS", "o", "0"));
        assertEquals(-1L, call("BITPOS", "o", "0", "1", "158", "BIT"));
        // a missing key is all zeros; an empty string has no bits at all
        assertEquals(-1L, call("BITPOS", "nokey", "1"));
        assertEquals(0L, call("BITPOS", "nokey", "0", "junk"));
        call("SET", "e", "");
        assertEquals(-1L, call("BITPOS", "e", "0"));
        assertEquals(-1L, call("BITPOS", "e", "1"));
        assertError("ERR The bit argument must be 1 or 0.", "BITPOS", "f", "2");
        assertError("ERR value is not an integer or out of range", "BITPOS", "f", "1", "a");
        assertError("ERR value is not an integer or out of range", "BITPOS", "ff", "0", "0", "bit");
        assertError("ERR syntax error", "BITPOS", "f", "0", "0", "1", "foo");
        assertError("ERR syntax error", "BITPOS", "f", "0", "0", "1", "bit", "x");
        putOtherType(server, "l");
        assertError(WRONGTYPE, "BITPOS", "l", "1");
    }

    @Test
    void bitop() {
        call("SET", "a", "abc");
        call("SET", "f", "foobar");
        assertEquals(3L, call("BITOP", "AND", "d", "a", "nokey"));
        assertEquals("\0\0\0", call("GET", "d"));
        assertEquals(6L, call("BITOP", "or", "d", "a", "f"));
        assertEquals("goobar", call("GET", "d"));
        assertEquals(6L, call("BITOP", "XOR", "d", "a", "f"));
        assertEquals("\u0007\r\u000cbar", call("GET", "d"));
        assertEquals(6L, call("BITOP", "AND", "d", "a", "f"));
        assertEquals("`bc\0\0\0", call("GET", "d"));
        assertEquals(3L, call("BITOP", "NOT", "d", "a"));
        assertEquals("\u009e\u009d\u009c", call("GET", "d"));
        // the destination loses its TTL; an empty result deletes it
        call("SET", "t", "x", "PX", "100000");
        call("BITOP", "OR", "t", "a");
        assertEquals(KeyEntry.NO_EXPIRY, deadline(server, "t"));
        call("SET", "e", "");
        assertEquals(0L, call("BITOP", "AND", "d", "nokey", "e"));
        assertEquals(0L, call("EXISTS", "d"));
        assertError("ERR BITOP NOT must be called with a single source key.", "BITOP", "NOT", "d", "a", "f");
        assertError("ERR syntax error", "BITOP", "NAND", "d", "a");
        assertError("ERR wrong number of arguments for 'bitop' command", "BITOP", "AND", "d");
        putOtherType(server, "l");
        assertError(WRONGTYPE, "BITOP", "AND", "d", "a", "l");
    }

    @Test
    void bitfieldGetSetIncrbyWithOverflowModes() {
        assertEquals(list(0L, 100L, -56L, 44L, null, 12L), call("BITFIELD", "bf",
                "SET", "i8", "0", "100", "GET", "i8", "0", "INCRBY", "i8", "0", "100",
                "OVERFLOW", "SAT", "INCRBY", "i8", "0", "100",
                "OVERFLOW", "FAIL", "INCRBY", "i8", "0", "100", "GET", "u4", "#1"));
        assertEquals(list(44L, 44L), call("BITFIELD", "bf", "set", "u8", "0", "300", "set", "i8", "0", "-200"));
        assertEquals(list(56L, -1L), call("BITFIELD", "bf", "overflow", "sat", "set", "u8", "0", "300",
                "set", "i8", "0", "-200"));
        assertEquals(list(null, null), call("BITFIELD", "bf", "overflow", "fail", "set", "u8", "0", "300",
                "set", "i8", "0", "-200"));
        assertEquals(list(Long.MIN_VALUE, -1L, Long.MAX_VALUE, Long.MAX_VALUE), call("BITFIELD", "bf",
                "SET", "i64", "0", "-1", "GET", "i64", "0", "GET", "u63", "1",
                "INCRBY", "i64", "0", "-9223372036854775808"));
        assertEquals(list(0L, 0L, 0L), call("BITFIELD", "s", "OVERFLOW", "SAT",
                "SET", "u8", "0", "-1", "SET", "i8", "8", "200", "INCRBY", "u8", "16", "-5"));
        assertEquals(list(255L, 127L, 0L), call("BITFIELD", "s", "GET", "u8", "0", "GET", "i8", "8", "GET", "u8", "16"));
        assertEquals(list(Long.MAX_VALUE, Long.MAX_VALUE, -1L, Long.MIN_VALUE), call("BITFIELD", "s64",
                "OVERFLOW", "SAT", "INCRBY", "i64", "0", "9223372036854775807", "INCRBY", "i64", "0", "1",
                "INCRBY", "i64", "0", "-9223372036854775808", "INCRBY", "i64", "0", "-9223372036854775808"));
        assertEquals(list(0L, -1L, 1L, -1L, -1L, 0L), call("BITFIELD", "one",
                "SET", "i1", "0", "-1", "GET", "i1", "0", "GET", "u1", "0", "SET", "i1", "0", "1",
                "OVERFLOW", "SAT", "SET", "i1", "0", "1", "SET", "i1", "0", "-2"));
        assertEquals(list(0L, 5L), call("BITFIELD", "h", "SET", "u8", "#1", "5", "GET", "u8", "8"));
    }

    @Test
    void bitfieldKeyCreation() {
        assertEquals(list(), call("BITFIELD", "nokey"));
        assertEquals(list(0L), call("BITFIELD", "nokey", "GET", "i8", "0"));
        assertEquals(0L, call("EXISTS", "nokey"));
        // a write operation creates the key even when it fails, as in Redis
        assertEquals(list((Object) null), call("BITFIELD", "newkey", "OVERFLOW", "FAIL", "SET", "u8", "0", "300"));
        assertEquals(1L, call("STRLEN", "newkey"));
        call("SET", "t", "x", "PX", "100000");
        call("BITFIELD", "t", "SET", "u8", "8", "1");
        assertNotEquals(KeyEntry.NO_EXPIRY, deadline(server, "t"));
    }

    @Test
    void bitfieldErrors() {
        for (String type : new String[] {"u64", "i65", "i0", "x8", "I8", "i08", "i", "u-1"}) {
            assertError(BAD_TYPE, "BITFIELD", "bf", "GET", type, "0");
        }
        for (String offset : new String[] {"-1", "4294967296", "#536870912", "#-1", "#", "#a", "+1", " 1"}) {
            assertError(BAD_OFFSET, "BITFIELD", "bf", "GET", "i8", offset);
        }
        assertEquals(list(0L, 0L), call("BITFIELD", "bf", "GET", "i8", "4294967288", "GET", "i8", "#536870911"));
        assertError("ERR value is not an integer or out of range", "BITFIELD", "bf", "SET", "i8", "0", "abc");
        assertError("ERR value is not an integer or out of range", "BITFIELD", "bf", "SET", "i8", "0",
                "99999999999999999999");
        assertError("ERR Invalid OVERFLOW type specified", "BITFIELD", "bf", "OVERFLOW", "foo");
        assertError("ERR syntax error", "BITFIELD", "bf", "foo");
        assertError("ERR syntax error", "BITFIELD", "bf", "GET", "i8");
        assertError("ERR syntax error", "BITFIELD", "bf", "INCRBY", "i8", "0");
        // a later error means nothing ran
        assertError("ERR syntax error", "BITFIELD", "bf", "SET", "i8", "0", "1", "junk");
        assertEquals(0L, call("EXISTS", "bf"));
        putOtherType(server, "l");
        assertError(WRONGTYPE, "BITFIELD", "l", "GET", "i8", "0");
        assertError(WRONGTYPE, "BITFIELD_RO", "l", "GET", "i8", "0");
    }

    @Test
    void bitfieldRo() {
        call("SET", "k", "\u002c");
        assertEquals(list(44L, 12L), call("BITFIELD_RO", "k", "GET", "i8", "0", "GET", "u4", "4"));
        assertEquals(list(), call("BITFIELD_RO", "k"));
        assertEquals(list(), call("BITFIELD_RO", "k", "OVERFLOW", "WRAP"));
        assertError("ERR BITFIELD_RO only supports the GET subcommand",
                "BITFIELD_RO", "k", "GET", "i8", "0", "SET", "i8", "0", "1");
        assertError("ERR BITFIELD_RO only supports the GET subcommand", "BITFIELD_RO", "k", "INCRBY", "u2", "0", "1");
        // argument errors come first
        assertError(BAD_TYPE, "BITFIELD_RO", "k", "SET", "x8", "0", "1");
        assertEquals("\u002c", call("GET", "k"));
    }

    @Test
    void overflowRules() {
        // unsigned SET of a negative number is an overflow, not an underflow (Redis reads it unsigned)
        assertEquals(1, BitfieldCommand.overflowDirection(-1, 0, 8, false));
        assertEquals(-1, BitfieldCommand.overflowDirection(3, -4, 8, false));
        assertEquals(0, BitfieldCommand.overflowDirection(3, -3, 8, false));
        assertEquals(1, BitfieldCommand.overflowDirection(Long.MAX_VALUE, 1, 64, true));
        assertEquals(-1, BitfieldCommand.overflowDirection(Long.MIN_VALUE, -1, 64, true));
        assertEquals(0, BitfieldCommand.overflowDirection(-128, 255, 8, true));
        assertEquals(-1, BitfieldCommand.overflowDirection(-128, -1, 8, true));
        assertEquals(-128L, BitfieldCommand.wrap(127, 1, 8, true));
        assertEquals(0L, BitfieldCommand.wrap(255, 1, 8, false));
        assertEquals((1L << 63) - 1, BitfieldCommand.saturate(1, 63, false));
        assertEquals(-4L, BitfieldCommand.saturate(-1, 3, true));
    }

    @Test
    void overflowRulesAgreeWithExactArithmetic() {
        Random random = new Random(11);
        for (int n = 0; n < 20_000; n++) {
            boolean signed = random.nextBoolean();
            int bits = 1 + random.nextInt(signed ? 64 : 63);
            long value = signed ? random.nextLong() >> (64 - bits) : random.nextLong() >>> (64 - bits);
            long incr = random.nextInt(4) == 0 ? random.nextLong() : random.nextInt(512) - 256;
            java.math.BigInteger sum = java.math.BigInteger.valueOf(value).add(java.math.BigInteger.valueOf(incr));
            java.math.BigInteger min = signed ? java.math.BigInteger.ONE.shiftLeft(bits - 1).negate()
                    : java.math.BigInteger.ZERO;
            java.math.BigInteger max = signed ? java.math.BigInteger.ONE.shiftLeft(bits - 1).subtract(java.math.BigInteger.ONE)
                    : java.math.BigInteger.ONE.shiftLeft(bits).subtract(java.math.BigInteger.ONE);
            int expected = sum.compareTo(max) > 0 ? 1 : sum.compareTo(min) < 0 ? -1 : 0;
            String what = value + (signed ? " i" : " u") + bits + " + " + incr;
            assertEquals(expected, BitfieldCommand.overflowDirection(value, incr, bits, signed), what);
            java.math.BigInteger wrapped = sum.subtract(min).mod(java.math.BigInteger.ONE.shiftLeft(bits)).add(min);
            assertEquals(wrapped.longValueExact(), BitfieldCommand.wrap(value, incr, bits, signed), what);
        }
    }

    @Test
    void commandTableRows() {
        CommandTable table = server.server().context().table();
        assertEquals(Set.of(CommandFlag.WRITE, CommandFlag.DENYOOM), table.lookup("setbit").flags());
        assertEquals(Set.of(CommandFlag.READONLY, CommandFlag.FAST), table.lookup("getbit").flags());
        assertEquals(Set.of(CommandFlag.READONLY, CommandFlag.FAST), table.lookup("bitfield_ro").flags());
        assertArrayEquals(new String[] {"@read", "@bitmap", "@fast"}, table.lookup("bitfield_ro").aclCategories());
        CommandSpec bitop = table.lookup("bitop");
        assertEquals(-4, bitop.arity());
        assertEquals(2, bitop.firstKey());
        assertEquals(-1, bitop.lastKey());
        for (String name : new String[] {"bitcount", "bitfield", "bitfield_ro", "bitop", "bitpos", "getbit", "setbit"}) {
            assertEquals("bitmap", table.lookup(name).group(), name);
            assertFalse(table.lookup(name).summary().isEmpty(), name);
        }
    }
}
