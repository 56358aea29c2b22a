package io.redraft.command;

import io.redraft.testing.ServerTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.util.SafeEncoder;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(60)
class ScanTest extends ServerTestBase {
    private Set<String> scanAll(ScanParams params) {
        Set<String> seen = new HashSet<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        int calls = 0;
        do {
            ScanResult<String> r = params == null ? jedis.scan(cursor) : jedis.scan(cursor, params);
            seen.addAll(r.getResult());
            cursor = r.getCursor();
            assertTrue(++calls < 100_000);
        } while (!cursor.equals("0"));
        return seen;
    }

    @Test
    void fullIterationReturnsEveryKey() {
        Set<String> all = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            jedis.set("key:" + i, "v");
            all.add("key:" + i);
        }
        assertEquals(all, scanAll(null));
        assertEquals(all, scanAll(new ScanParams().count(1)));
        assertEquals(all, scanAll(new ScanParams().count(5000)));
        ScanResult<String> one = jedis.scan("0", new ScanParams().count(2000));
        assertEquals("0", one.getCursor(), "a large COUNT finishes a small table in one call");
        assertEquals(1000, one.getResult().size());
    }

    @Test
    void matchAndTypeFilter() {
        for (int i = 0; i < 200; i++) {
            jedis.set((i % 2 == 0 ? "even:" : "odd:") + i, "v");
        }
        Set<String> even = scanAll(new ScanParams().match("even:*").count(7));
        assertEquals(100, even.size());
        assertTrue(even.stream().allMatch(k -> k.startsWith("even:")));
        assertEquals(200, scanAll(new ScanParams().match("*")).size());
        assertEquals(200, scanAll(new ScanParams().count(20)).size());
        assertEquals(200, typeScan("string").size());
        assertEquals(200, typeScan("STRING").size(), "TYPE is case-insensitive");
        assertEquals(0, typeScan("hash").size());
        assertEquals(0, typeScan("nosuchtype").size());
    }

    @SuppressWarnings("unchecked")
    private Set<String> typeScan(String type) {
        Set<String> seen = new HashSet<>();
        String cursor = "0";
        do {
            List<Object> r = (List<Object>) call("SCAN", cursor, "TYPE", type, "COUNT", "50");
            cursor = SafeEncoder.encode((byte[]) r.get(0));
            for (Object k : (List<Object>) r.get(1)) {
                seen.add(SafeEncoder.encode((byte[]) k));
            }
        } while (!cursor.equals("0"));
        return seen;
    }

    @Test
    void expiredKeysAreNotReturned() throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            jedis.set("live:" + i, "v");
            jedis.set("dead:" + i, "v");
            jedis.pexpire("dead:" + i, 1);
        }
        Thread.sleep(20);
        Set<String> seen = scanAll(new ScanParams().count(3));
        assertEquals(50, seen.size());
        assertTrue(seen.stream().allMatch(k -> k.startsWith("live:")));
    }

    @Test
    void keysPresentThroughoutAreReturnedDespiteWritesBetweenCalls() {
        Random r = new Random(11);
        Set<String> stable = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            jedis.set("stable:" + i, "v");
            stable.add("stable:" + i);
        }
        Set<String> seen = new HashSet<>();
        String cursor = "0";
        int next = 0;
        int calls = 0;
        do {
            ScanResult<String> res = jedis.scan(cursor, new ScanParams().count(5));
            seen.addAll(res.getResult());
            cursor = res.getCursor();
            calls++;
            // Grow for a while (the table doubles), then delete the churn keys (it halves).
            if (calls < 20) {
                for (int i = 0; i < 200; i++) {
                    jedis.set("churn:" + next++, "v");
                }
            } else if (calls < 40) {
                for (int i = 0; i < 200 && next > 0; i++) {
                    jedis.del("churn:" + (--next));
                }
            } else if (r.nextBoolean()) {
                jedis.set("churn:" + next++, "v");
            }
        } while (!cursor.equals("0"));
        Set<String> missed = new HashSet<>(stable);
        missed.removeAll(seen);
        assertEquals(Set.of(), missed);
    }

    @Test
    void cursorParsingFollowsRedis() {
        jedis.set("k", "v");
        for (String ok : new String[]{"0", "", "+0", "-1", "18446744073709551615"}) {
            assertNotNull(call("SCAN", ok), ok);
        }
        for (String bad : new String[]{"x", "5x", " 1", "18446744073709551616", "-", "+", "0x10"}) {
            assertEquals("ERR invalid cursor", error("SCAN", bad), bad);
        }
    }

    @Test
    void optionErrors() {
        assertEquals("ERR syntax error", error("SCAN", "0", "COUNT", "0"));
        assertEquals("ERR syntax error", error("SCAN", "0", "COUNT", "-1"));
        assertEquals("ERR value is not an integer or out of range", error("SCAN", "0", "COUNT", "x"));
        assertEquals("ERR syntax error", error("SCAN", "0", "MATCH"));
        assertEquals("ERR syntax error", error("SCAN", "0", "TYPE"));
        assertEquals("ERR syntax error", error("SCAN", "0", "foo", "bar"));
        assertEquals("ERR wrong number of arguments for 'scan' command", error("SCAN"));
        assertNotNull(call("SCAN", "0", "COUNT", "9999999999999"), "a huge COUNT is accepted");
    }

    @Test
    void cursorUnitParsing() {
        assertEquals(0, ScanCursor.parse(new byte[0]));
        assertEquals(5, ScanCursor.parse(SafeEncoder.encode("+5")));
        assertEquals(-1L, ScanCursor.parse(SafeEncoder.encode("18446744073709551615")));
        assertEquals(-1L, ScanCursor.parse(SafeEncoder.encode("-1")));
        assertEquals(12, ScanCursor.parse(new byte[]{'1', '2', 0, 'x'}), "strtoul stops at NUL");
        assertEquals("18446744073709551615", ScanCursor.format(-1L));
        assertThrows(CommandError.class, () -> ScanCursor.parse(SafeEncoder.encode("\t1")));
    }

    private Object call(String... argv) {
        String[] args = java.util.Arrays.copyOfRange(argv, 1, argv.length);
        return jedis.sendCommand(() -> SafeEncoder.encode(argv[0]), args);
    }

    private String error(String... argv) {
        return assertThrows(JedisDataException.class, () -> call(argv), String.join(" ", argv)).getMessage();
    }
}
