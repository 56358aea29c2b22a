package io.redraft.store.snapshot;

import io.redraft.store.Database;
import io.redraft.store.HashValue;
import io.redraft.store.KeyEntry;
import io.redraft.store.Keyspace;
import io.redraft.store.ListValue;
import io.redraft.store.RedisValue;
import io.redraft.store.SetValue;
import io.redraft.store.SortedSetValue;
import io.redraft.store.StringEncoding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Every type and encoding, deadlines and several databases survive a snapshot and a load. */
@Timeout(60)
class SnapshotRoundTripTest {
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    static SnapshotResult snapshot(Keyspace ks, Path file, SnapshotHeader header) throws Exception {
        KeyspaceSnapshotWriter w = KeyspaceSnapshotWriter.begin(ks, file, header);
        while (!w.step(1_000_000)) {
            // keep stepping
        }
        return w.finish();
    }

    /** A keyspace with every encoding Redis 7.0 has for our types, in databases 0, 3 and 15. */
    static StateMachineDriver populated() {
        StateMachineDriver sm = new StateMachineDriver(T0);
        sm.command("SET", "int", "12345");
        sm.command("SET", "bigint", "-9223372036854775808");
        sm.command("SET", "embstr", "hello world");
        sm.command("SET", "raw", "x".repeat(30) + "y".repeat(30));
        sm.command("SET", "compressible", "abc".repeat(400));
        sm.command("SET", "binary\u0000key", "\u0001\u0002");
        sm.command("SET", "empty", "");
        sm.command("HSET", "hsmall", "f1", "v1", "f2", "2");
        List<String> big = new ArrayList<>(List.of("HSET", "hbig"));
        for (int i = 0; i < 600; i++) { // past hash-max-listpack-entries (512)
            big.add("field" + i);
            big.add("value" + i);
        }
        sm.command(big.toArray(String[]::new));
        sm.command("RPUSH", "lsmall", "a", "1", "b");
        List<String> list = new ArrayList<>(List.of("RPUSH", "lbig"));
        for (int i = 0; i < 3000; i++) {
            list.add(i % 7 == 0 ? "long-element-" + "z".repeat(i % 100) : Integer.toString(i));
        }
        sm.command(list.toArray(String[]::new));
        sm.command("SADD", "sint", "1", "2", "3", "-70000", "5000000000");
        sm.command("SADD", "sstr", "a", "b", "c");
        List<String> set = new ArrayList<>(List.of("SADD", "sbig"));
        for (int i = 0; i < 600; i++) {
            set.add("member" + i);
        }
        sm.command(set.toArray(String[]::new));
        sm.command("ZADD", "zsmall", "1", "a", "2.5", "b", "-inf", "c");
        List<String> zset = new ArrayList<>(List.of("ZADD", "zbig"));
        for (int i = 0; i < 300; i++) {
            zset.add(Double.toString(i * 1.5));
            zset.add("m" + i);
        }
        sm.command(zset.toArray(String[]::new));
        sm.command("SET", "ttl", "v", "PX", "100000");
        sm.command("HSET", "hashttl", "f", "v");
        sm.command("PEXPIREAT", "hashttl", Long.toString(T0 + 5_000_000));
        sm.command("SET", "future", "v");
        sm.command("PEXPIREAT", "future", "4000000000000"); // still ahead of redis-server's clock
        sm.command("SET", "past", "v", "PX", "5"); // its deadline passes before the snapshot
        for (int i = 0; i < 10; i++) {
            sm.command("SET", "tick" + i, "x"); // time moves on, no entry deletes "past"
        }
        sm.command(3, "SET", "db3key", "in db 3");
        sm.command(3, "RPUSH", "db3list", "x", "y");
        sm.command(15, "SADD", "db15set", "only");
        return sm;
    }

    @Test
    void everyTypeAndEncodingRoundTrips() throws Exception {
        StateMachineDriver sm = populated();
        Keyspace ks = sm.keyspace();
        assertEquals("intset", ((SetValue) value(ks, 0, "sint")).encoding());
        assertEquals("hashtable", ((HashValue) value(ks, 0, "hbig")).encoding());
        assertEquals("skiplist", ((SortedSetValue) value(ks, 0, "zbig")).encoding());
        Path file = dir.resolve("dump.rdb");
        byte[] membership = {1, 2, 3, 0, (byte) 0xff};
        SnapshotResult result = snapshot(ks, file, new SnapshotHeader(sm.index(), 7, membership, sm.time()));
        assertEquals(ks.totalKeys(), result.keys());
        assertEquals(Files.size(file), result.bytes());
        assertFalse(Files.exists(dir.resolve("dump.rdb.tmp")), "temp file renamed");

        Keyspace loaded = new Keyspace(16);
        SnapshotLoadResult info = KeyspaceSnapshotLoader.load(file, loaded);
        assertEquals(sm.index(), info.header().index());
        assertEquals(7, info.header().term());
        assertArrayEquals(membership, info.header().membership());
        assertEquals(sm.time() / 1000 * 1000, info.header().timeMillis());
        assertEquals("7.0.0", info.redisVersion());
        assertEquals(10, info.rdbVersion());
        assertEquals(ks.totalKeys(), info.keys());
        assertEquals(4, info.expiringKeys());
        assertEquals(Files.size(file), info.fileBytes());
        assertEquals(0, loaded.dirty());

        Map<String, String> expected = KeyspaceImage.of(ks);
        KeyspaceImage.assertSame(expected, KeyspaceImage.of(loaded), "loaded snapshot");
        for (String key : List.of("int", "bigint", "embstr", "raw", "compressible", "empty")) {
            byte[] a = (byte[]) value(ks, 0, key);
            assertArrayEquals(a, (byte[]) value(loaded, 0, key), key);
        }
        assertEquals("int", StringEncoding.of((byte[]) value(loaded, 0, "int")));
        assertEquals("embstr", StringEncoding.of((byte[]) value(loaded, 0, "embstr")));
        assertEquals("raw", StringEncoding.of((byte[]) value(loaded, 0, "raw")));
        for (String key : List.of("hsmall", "hbig", "lsmall", "lbig", "sint", "sstr", "sbig", "zsmall", "zbig")) {
            assertEquals(((RedisValue) value(ks, 0, key)).encoding(), ((RedisValue) value(loaded, 0, key)).encoding(), key);
        }
        assertEquals("quicklist", ((ListValue) value(loaded, 0, "lbig")).encoding());
        KeyEntry past = loaded.db(0).peek("past".getBytes(StandardCharsets.UTF_8), Long.MIN_VALUE);
        assertNotNull(past, "a key past its deadline is still loaded");
        assertTrue(past.expireAt() < sm.time());
        assertEquals(ks.db(0).peek("past".getBytes(StandardCharsets.UTF_8), Long.MIN_VALUE).expireAt(), past.expireAt());
        // Versions survive (WATCH decides by them): the key keeps the index that last changed it.
        long original = ks.db(3).peek("db3key".getBytes(StandardCharsets.UTF_8), 0).version();
        assertTrue(original < sm.index(), "the key changed before the snapshot's index");
        assertEquals(original, loaded.db(3).peek("db3key".getBytes(StandardCharsets.UTF_8), 0).version());
        assertEquals(2, loaded.db(3).size());
        assertEquals(1, loaded.db(15).size());
    }

    @Test
    void finishMayRunOnAnotherThread() throws Exception {
        StateMachineDriver sm = populated();
        Path file = dir.resolve("bg.rdb");
        KeyspaceSnapshotWriter w = KeyspaceSnapshotWriter.begin(sm.keyspace(), file,
                new SnapshotHeader(sm.index(), 1, null, sm.time()));
        assertThrows(IllegalStateException.class, w::finish, "not written yet");
        while (!w.step(100_000)) {
            // keyspace thread
        }
        sm.command("SET", "after", "written"); // the keyspace is free again while finish runs
        java.util.concurrent.ExecutorService io = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            SnapshotResult r = io.submit(w::finish).get();
            assertEquals(file, r.file());
        } finally {
            io.shutdownNow();
        }
        Keyspace loaded = new Keyspace(16);
        KeyspaceSnapshotLoader.load(file, loaded);
        assertNull(loaded.db(0).peek("after".getBytes(), 0));
        assertEquals(sm.keyspace().totalKeys() - 1, loaded.totalKeys());
    }

    @Test
    void valuesLargerThanTheLoadersWindowRoundTrip() throws Exception {
        Keyspace ks = new Keyspace(16);
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        byte[] big = new byte[3 << 20]; // incompressible, three times the loader's first window
        r.nextBytes(big);
        ks.db(0).put("big".getBytes(), big, false);
        for (int i = 0; i < 2000; i++) {
            byte[] v = new byte[r.nextInt(3000)];
            r.nextBytes(v);
            ks.db(i % 3).put(("k" + i).getBytes(), v, false);
        }
        Path file = dir.resolve("big.rdb");
        snapshot(ks, file, new SnapshotHeader(1, 1, null, 0));
        Keyspace loaded = new Keyspace(16);
        KeyspaceSnapshotLoader.load(file, loaded);
        assertArrayEquals(big, (byte[]) value(loaded, 0, "big"));
        KeyspaceImage.assertSame(KeyspaceImage.of(ks), KeyspaceImage.of(loaded), "large values");
    }

    @Test
    void emptyKeyspaceRoundTrips() throws Exception {
        Path file = dir.resolve("empty.rdb");
        snapshot(new Keyspace(16), file, new SnapshotHeader(0, 0, null, 0));
        Keyspace loaded = new Keyspace(16);
        SnapshotLoadResult info = KeyspaceSnapshotLoader.load(file, loaded);
        assertEquals(0, info.keys());
        assertEquals(0, loaded.totalKeys());
        assertArrayEquals(new byte[0], info.header().membership());
    }

    @Test
    void loadRefusesANonEmptyKeyspace() throws Exception {
        Path file = dir.resolve("x.rdb");
        snapshot(new Keyspace(16), file, new SnapshotHeader(1, 1, null, 0));
        Keyspace ks = new Keyspace(16);
        ks.db(0).put("k".getBytes(), "v".getBytes(), false);
        assertThrows(IllegalStateException.class, () -> KeyspaceSnapshotLoader.load(file, ks));
    }

    @Test
    void aSecondSnapshotReplacesTheFirst() throws Exception {
        StateMachineDriver sm = populated();
        Path file = dir.resolve("dump.rdb");
        snapshot(sm.keyspace(), file, new SnapshotHeader(sm.index(), 1, null, sm.time()));
        sm.command("SET", "later", "1");
        snapshot(sm.keyspace(), file, new SnapshotHeader(sm.index(), 1, null, sm.time()));
        Keyspace loaded = new Keyspace(16);
        assertEquals(sm.index(), KeyspaceSnapshotLoader.load(file, loaded).header().index());
        KeyspaceImage.assertSame(KeyspaceImage.of(sm.keyspace()), KeyspaceImage.of(loaded), "second snapshot");
    }

    @Test
    void abortDeletesTheTempFileAndReleasesTheKeyspace() throws Exception {
        StateMachineDriver sm = populated();
        Path file = dir.resolve("dump.rdb");
        KeyspaceSnapshotWriter w = KeyspaceSnapshotWriter.begin(sm.keyspace(), file, new SnapshotHeader(1, 1, null, 0));
        assertThrows(IllegalStateException.class,
                () -> KeyspaceSnapshotWriter.begin(sm.keyspace(), dir.resolve("other.rdb"), new SnapshotHeader(1, 1, null, 0)));
        w.step(0);
        w.abort();
        assertFalse(sm.keyspace().snapshotRunning());
        assertFalse(Files.exists(dir.resolve("dump.rdb.tmp")));
        assertFalse(Files.exists(file));
        snapshot(sm.keyspace(), file, new SnapshotHeader(1, 1, null, 0)); // a new one may start
        assertTrue(Files.exists(file));
    }

    private static Object value(Keyspace ks, int db, String key) {
        Database d = ks.db(db);
        KeyEntry e = d.peek(key.getBytes(StandardCharsets.UTF_8), Long.MIN_VALUE);
        assertNotNull(e, key);
        return e.value();
    }
}
