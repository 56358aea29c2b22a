package io.redraft.command;

import io.redraft.cluster.KeyspaceStateMachine;
import io.redraft.cluster.WriteEntry;
import io.redraft.store.KeyEntry;
import io.redraft.testing.ServerTestBase;
import io.redraft.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static io.redraft.command.HashCommandsTest.onKeyspace;
import static io.redraft.command.StringTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The HyperLogLog commands on Redraft alone: replies, errors, TTLs, the write-path routing of
 * PFCOUNT's cache update, and determinism of applied entries. Byte-for-byte agreement with Redis
 * is checked by {@link HyperLogLogRedisCrossCheckTest}.
 */
@Timeout(120)
class HyperLogLogCommandsTest extends ServerTestBase {
    private static final String NOT_HLL = "WRONGTYPE Key is not a valid HyperLogLog string value.";
    private static final String CORRUPTED = "INVALIDOBJ Corrupted HLL object detected";
    private static final String SPARSE_HEADER = "HYLL\u0001\0\0\0\0\0\0\0\0\0\0\u0080";

    private Object call(String... args) {
        return StringTestSupport.call(jedis, args);
    }

    private void assertError(String expected, String... args) {
        StringTestSupport.assertError(jedis, expected, args);
    }

    private long appliedIndex() throws Exception {
        return onKeyspace(server, () -> server.server().context().executor().stateMachine().appliedIndex());
    }

    private static boolean cacheValid(String hll) {
        return (hll.charAt(15) & 0x80) == 0;
    }

    @Test
    void pfaddReportsChanges() {
        assertEquals(1L, call("PFADD", "h"));
        assertEquals(0L, call("PFADD", "h"));
        assertEquals(1L, call("PFADD", "h", "a", "b"));
        assertEquals(0L, call("PFADD", "h", "a", "b", "a"));
        assertEquals("string", call("TYPE", "h"));
        String value = (String) call("GET", "h");
        assertTrue(value.startsWith("HYLL\u0001"), "a small HLL is sparse");
        assertEquals(2L, call("PFCOUNT", "h"));
        assertEquals("sparse", call("PFDEBUG", "ENCODING", "h"));
    }

    @Test
    void pfcountCachesThroughTheWritePathOnly() throws Exception {
        call("PFADD", "h", "a", "b", "c");
        assertFalse(cacheValid((String) call("GET", "h")), "PFADD leaves the cache stale");
        long before = appliedIndex();
        assertEquals(3L, call("PFCOUNT", "h"));
        assertEquals(before + 1, appliedIndex(), "refreshing the cache is a write entry");
        String cached = (String) call("GET", "h");
        assertTrue(cacheValid(cached));
        assertEquals(3, cached.charAt(8));

        long after = appliedIndex();
        assertEquals(3L, call("PFCOUNT", "h"));
        assertEquals(0L, call("PFCOUNT", "missing"));
        call("PFADD", "g", "z");
        long withG = appliedIndex();
        assertEquals(4L, call("PFCOUNT", "h", "g", "missing"));
        assertEquals(after + 1, withG, "only the PFADD of g was a write");
        assertEquals(withG, appliedIndex(), "a cached count and a union are reads");
        assertFalse(cacheValid((String) call("GET", "g")), "a union does not touch its keys");
    }

    @Test
    void editsKeepTheTtl() {
        call("PFADD", "h", "a");
        call("PEXPIRE", "h", "100000");
        call("PFADD", "h", "b");
        assertNotEquals(KeyEntry.NO_EXPIRY, deadline(server, "h"));
        call("PFCOUNT", "h");
        assertNotEquals(KeyEntry.NO_EXPIRY, deadline(server, "h"));
        call("PFMERGE", "h", "other");
        assertNotEquals(KeyEntry.NO_EXPIRY, deadline(server, "h"));
        call("PFDEBUG", "TODENSE", "h");
        assertNotEquals(KeyEntry.NO_EXPIRY, deadline(server, "h"));
    }

    @Test
    void mergeAndUnion() {
        call("PFADD", "a", "1", "2", "3");
        call("PFADD", "b", "3", "4");
        assertEquals("OK", call("PFMERGE", "dest", "a", "b", "missing"));
        assertEquals(4L, call("PFCOUNT", "dest"));
        assertEquals(4L, call("PFCOUNT", "a", "b"));
        assertEquals("OK", call("PFMERGE", "empty"));
        assertEquals(0L, call("PFCOUNT", "empty"));
        assertEquals(1L, call("EXISTS", "empty"));
    }

    @Test
    void wrongTypes() {
        putOtherType(server, "list");
        assertError(WRONGTYPE, "PFADD", "list", "a");
        assertError(WRONGTYPE, "PFCOUNT", "list");
        assertError(WRONGTYPE, "PFCOUNT", "list", "x");
        assertError(WRONGTYPE, "PFMERGE", "d", "list");
        call("SET", "s", "just a string value");
        assertError(NOT_HLL, "PFADD", "s", "a");
        assertError(NOT_HLL, "PFCOUNT", "s");
        assertError(NOT_HLL, "PFMERGE", "s", "x");
        assertError(NOT_HLL, "PFMERGE", "x", "s");
        assertEquals(0L, call("EXISTS", "x"), "a failed merge creates nothing");
        call("SET", "n", "12345");
        assertError(NOT_HLL, "PFCOUNT", "n");
        // dense must be exactly 12304 bytes
        call("SET", "d", "HYLL\0\0\0\0\0\0\0\0\0\0\0\0" + "x");
        assertError(NOT_HLL, "PFCOUNT", "d");
    }

    @Test
    void corruptedHllsAreErrorsNotCrashes() {
        call("SET", "few", SPARSE_HEADER + "\u0040\u0010"); // covers 17 registers, not 16384
        assertError(CORRUPTED, "PFCOUNT", "few");
        assertError(CORRUPTED, "PFCOUNT", "few", "other");
        assertError(CORRUPTED, "PFMERGE", "d", "few");
        assertError(CORRUPTED, "PFDEBUG", "GETREG", "few");
        call("SET", "val", SPARSE_HEADER + "\u00fe".repeat(6000)); // runs of 3 overshoot register 16383
        assertError(CORRUPTED, "PFCOUNT", "val", "x");
        assertError(CORRUPTED, "PFMERGE", "d", "val");
        call("SET", "cut", SPARSE_HEADER + "\u007f"); // an XZERO without its second byte
        assertError(CORRUPTED, "PFCOUNT", "cut");
        call("PFADD", "cut", "a"); // Redis edits it regardless; it must not throw
        assertEquals("PONG", jedis.ping());
        Random256 r = new Random256(7);
        for (int i = 0; i < 300; i++) { // random opcodes: any reply, never an internal error
            call("SET", "rnd", SPARSE_HEADER + r.string(1 + r.next(40)));
            for (String[] cmd : new String[][] {{"PFCOUNT", "rnd"}, {"PFADD", "rnd", "e" + i, "f" + i},
                    {"PFCOUNT", "rnd", "none"}, {"PFMERGE", "out", "rnd"}, {"PFDEBUG", "DECODE", "rnd"}}) {
                try {
                    call(cmd);
                } catch (redis.clients.jedis.exceptions.JedisDataException e) {
                    assertFalse(e.getMessage().contains("internal error"), e.getMessage());
                }
            }
        }
        assertEquals("PONG", jedis.ping());
    }

    @Test
    void pfdebug() {
        assertError("ERR The specified key does not exist", "PFDEBUG", "ENCODING", "missing");
        assertError("ERR wrong number of arguments for 'pfdebug' command", "PFDEBUG", "GETREG");
        call("PFADD", "h", "a");
        assertError("ERR Unknown PFDEBUG subcommand 'Nope'", "PFDEBUG", "Nope", "h");
        assertEquals("Z:12711 v:2,1 Z:3672", call("PFDEBUG", "DECODE", "h")); // as redis-server 7.0.15 says
        assertEquals("sparse", call("PFDEBUG", "ENCODING", "h"));
        @SuppressWarnings("unchecked")
        List<Object> regs = (List<Object>) call("PFDEBUG", "GETREG", "h");
        assertEquals(16384, regs.size());
        assertEquals(2L, regs.get(12711));
        assertEquals("dense", call("PFDEBUG", "ENCODING", "h"), "GETREG converts to dense");
        assertError("ERR HLL encoding is not sparse", "PFDEBUG", "DECODE", "h");
        assertEquals(0L, call("PFDEBUG", "TODENSE", "h"));
        call("PFADD", "h2", "a");
        assertEquals(1L, call("PFDEBUG", "TODENSE", "h2"));
        assertEquals(call("GET", "h"), call("GET", "h2"));
    }

    @Test
    void sparseLimitIsReadWhenApplying() {
        call("CONFIG", "SET", "hll-sparse-max-bytes", "30");
        try {
            call("PFADD", "h", "a", "b", "c", "d", "e", "f", "g");
            assertEquals("dense", call("PFDEBUG", "ENCODING", "h"));
        } finally {
            call("CONFIG", "SET", "hll-sparse-max-bytes", "3000");
        }
        call("PFADD", "h3", "a", "b", "c", "d", "e", "f", "g");
        assertEquals("sparse", call("PFDEBUG", "ENCODING", "h3"));
    }

    @Test
    void lettuceOverResp3() {
        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create("redis://127.0.0.1:" + server.port());
        try (io.lettuce.core.api.StatefulRedisConnection<String, String> conn = client.connect()) {
            io.lettuce.core.api.sync.RedisCommands<String, String> cmd = conn.sync();
            assertEquals(1L, cmd.pfadd("l1", "a", "b", "c"));
            assertEquals(0L, cmd.pfadd("l1", "a"));
            assertEquals(1L, cmd.pfadd("l2", "c", "d"));
            assertEquals(3L, cmd.pfcount("l1"));
            assertEquals(4L, cmd.pfcount("l1", "l2"));
            assertEquals("OK", cmd.pfmerge("l3", "l1", "l2"));
            assertEquals(4L, cmd.pfcount("l3"));
        } finally {
            client.shutdown();
        }
    }

    @Test
    void selftestAndCommandInfo() {
        assertEquals("OK", call("PFSELFTEST"));
        @SuppressWarnings("unchecked")
        List<Object> info = (List<Object>) ((List<Object>) call("COMMAND", "INFO", "pfcount")).get(0);
        assertEquals(List.of("readonly"), info.get(2));
        @SuppressWarnings("unchecked")
        List<Object> debug = (List<Object>) ((List<Object>) call("COMMAND", "INFO", "pfdebug")).get(0);
        assertEquals(List.of("write", "denyoom", "admin"), debug.get(2));
        assertEquals(3L, debug.get(1));
    }

    /**
     * The same entries applied to two fresh state machines (as every node applies the log, with
     * no client waiting on the others) leave byte-identical HLLs, PFCOUNT's cache included.
     */
    @Test
    void appliedEntriesAreDeterministic() throws Exception {
        List<byte[][]> script = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(11);
        String[] keys = {"k1", "k2", "k3"};
        for (int i = 0; i < 3000; i++) {
            String k = keys[r.nextInt(keys.length)];
            switch (r.nextInt(6)) {
                case 0, 1, 2 -> script.add(argv("PFADD", k, "e" + r.nextInt(5000), "e" + r.nextInt(5000)));
                case 3 -> script.add(argv("PFCOUNT", k));
                case 4 -> script.add(argv("PFMERGE", k, keys[r.nextInt(keys.length)]));
                default -> script.add(argv("PFADD", k, "big" + i));
            }
        }
        try (TestServer a = TestServer.start(); TestServer b = TestServer.start()) {
            List<String> stateA = applyAll(a, script);
            List<String> stateB = applyAll(b, script);
            assertEquals(stateA, stateB);
            assertTrue(stateA.stream().anyMatch(s -> s.charAt(4) == 0), "the script reaches dense HLLs");
        }
    }

    private static List<String> applyAll(TestServer s, List<byte[][]> script) throws Exception {
        return onKeyspace(s, () -> {
            KeyspaceStateMachine sm = s.server().context().executor().stateMachine();
            long index = sm.appliedIndex();
            for (byte[][] argv : script) {
                sm.apply(++index, WriteEntry.command(0, 1_700_000_000_000L, argv), null);
            }
            List<String> out = new ArrayList<>();
            for (String k : new String[] {"k1", "k2", "k3"}) {
                KeyEntry e = s.server().context().keyspace().db(0).lookupRead(k.getBytes(), 1_700_000_000_000L);
                out.add(new String((byte[]) e.value(), StandardCharsets.ISO_8859_1));
            }
            return out;
        });
    }

    private static byte[][] argv(String... args) {
        byte[][] out = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            out[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    /** Random bytes as an ISO-8859-1 string. */
    private static final class Random256 {
        private final SplittableRandom random;

        Random256(long seed) {
            random = new SplittableRandom(seed);
        }

        int next(int bound) {
            return random.nextInt(bound);
        }

        String string(int length) {
            char[] c = new char[length];
            for (int i = 0; i < length; i++) {
                c[i] = (char) random.nextInt(256);
            }
            return new String(c);
        }
    }
}
