package io.redraft.command;

import io.redraft.testing.ServerTestBase;
import io.redraft.store.rdb.RedisPayloads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.RestoreParams;
import redis.clients.jedis.util.SafeEncoder;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** DUMP and RESTORE through Jedis, with payloads captured from redis-server 7.0.15. */
@Timeout(60)
class DumpRestoreTest extends ServerTestBase {
    private static byte[] key(int i) {
        return SafeEncoder.encode("k" + i);
    }

    @Test
    void restoresRedisPayloadsAndDumpsThemBackIdentically() {
        int i = 0;
        for (Map.Entry<byte[], String> e : RedisPayloads.all().entrySet()) {
            byte[] payload = RedisPayloads.hex(e.getValue());
            assertEquals("OK", jedis.restore(key(i), 0, payload));
            assertArrayEquals(e.getKey(), jedis.get(key(i)), e.getValue());
            assertEquals(e.getValue(), RedisPayloads.hex(jedis.dump(key(i))));
            i++;
        }
    }

    @Test
    void dumpOfSetValuesMatchesRedis() {
        int i = 0;
        for (Map.Entry<byte[], String> e : RedisPayloads.all().entrySet()) {
            jedis.set(key(i), e.getKey());
            assertEquals(e.getValue(), RedisPayloads.hex(jedis.dump(key(i))));
            i++;
        }
        assertNull(jedis.dump("nope"));
    }

    @Test
    void busyKeyReplaceAndTtl() {
        byte[] hello = RedisPayloads.hex("000568656c6c6f0a006372df766534200a");
        jedis.set("k", "old");
        JedisDataException e = assertThrows(JedisDataException.class, () -> jedis.restore("k", 0, hello));
        assertEquals("BUSYKEY Target key name already exists.", e.getMessage());
        assertEquals("old", jedis.get("k"));
        jedis.expire("k", 1000);
        assertEquals("OK", jedis.restore("k", 0, hello, RestoreParams.restoreParams().replace()));
        assertEquals("hello", jedis.get("k"));
        assertEquals(-1, jedis.ttl("k"), "REPLACE with TTL 0 leaves no deadline");

        assertEquals("OK", jedis.restore("t", 5000, hello));
        long pttl = jedis.pttl("t");
        assertTrue(pttl > 4000 && pttl <= 5000, "pttl " + pttl);

        long at = System.currentTimeMillis() + 100_000;
        assertEquals("OK", jedis.restore("abs", at, hello, RestoreParams.restoreParams().absTtl()));
        assertEquals(at, jedis.pexpireTime("abs"));

        // An absolute deadline already past: OK, but the key ends up absent (and REPLACE still deletes).
        assertEquals("OK", jedis.restore("gone", 1, hello, RestoreParams.restoreParams().absTtl()));
        assertFalse(jedis.exists("gone"));
        assertEquals("OK", jedis.restore("k", 1, hello, RestoreParams.restoreParams().absTtl().replace()));
        assertFalse(jedis.exists("k"));
    }

    @Test
    void errorsUseRedisTexts() {
        String hello = "000568656c6c6f0a006372df766534200a";
        jedis.set("busy", "x");
        assertEquals("BUSYKEY Target key name already exists.", error("RESTORE", "busy", "-1", "junk"),
                "the key is checked before the TTL");
        assertEquals("ERR Invalid TTL value, must be >= 0", error("RESTORE", "k", "-1", "junk"));
        assertEquals("ERR value is not an integer or out of range", error("RESTORE", "k", "x", "junk"));
        assertEquals("ERR DUMP payload version or checksum are wrong", error("RESTORE", "k", "0", "junk"));
        byte[] corrupt = RedisPayloads.hex(hello);
        corrupt[3] ^= 1;
        assertEquals("ERR DUMP payload version or checksum are wrong",
                assertThrows(JedisDataException.class, () -> jedis.restore("k", 0, corrupt)).getMessage());
        // A valid footer around a stream type byte, a type Redraft cannot restore yet.
        byte[] stream = CollectionDumpRestoreTest.withFooter("0f00");
        assertEquals("ERR Bad data format",
                assertThrows(JedisDataException.class, () -> jedis.restore("k", 0, stream)).getMessage());
        assertEquals("ERR syntax error", error("RESTORE", "k", "0", "junk", "foo"));
        assertEquals("ERR syntax error", error("RESTORE", "k", "0", "junk", "IDLETIME"));
        assertEquals("ERR syntax error", error("RESTORE", "k", "0", "junk", "IDLETIME", "1", "FREQ", "1"));
        assertEquals("ERR Invalid IDLETIME value, must be >= 0", error("RESTORE", "k", "0", "junk", "IDLETIME", "-1"));
        assertEquals("ERR value is not an integer or out of range", error("RESTORE", "k", "0", "junk", "IDLETIME", "x"));
        assertEquals("ERR Invalid FREQ value, must be >= 0 and <= 255", error("RESTORE", "k", "0", "junk", "FREQ", "256"));
        assertEquals("ERR wrong number of arguments for 'restore' command", error("RESTORE", "k", "0"));
        assertFalse(jedis.exists("k"));
    }

    @Test
    void freqOptionIsAccepted() {
        byte[] hello = RedisPayloads.hex("000568656c6c6f0a006372df766534200a");
        assertEquals("OK", jedis.restore("k", 0, hello, RestoreParams.restoreParams().frequency(10)));
        assertEquals("hello", jedis.get("k"));
    }

    private String error(String... argv) {
        String[] args = java.util.Arrays.copyOfRange(argv, 1, argv.length);
        return assertThrows(JedisDataException.class,
                () -> jedis.sendCommand(() -> SafeEncoder.encode(argv[0]), args), String.join(" ", argv)).getMessage();
    }
}
