package io.redraft.store.snapshot;

import io.redraft.store.Keyspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The snapshot is the keyspace as it was at begin() although writes run between its steps: writes
 * applied as log entries through the state machine change, overwrite, expire, rename, move, swap
 * and flush keys the snapshot has or has not written yet, and create new ones.
 */
@Timeout(120)
class SnapshotCopyOnWriteTest {
    private static final int DBS = 4;
    private static final int KEYS = 400;
    private static final String[] TYPES = {"s", "h", "l", "z", "t"};

    @TempDir
    Path dir;

    @Test
    void randomWritesBetweenStepsDoNotLeakIntoTheSnapshot() throws Exception {
        for (long seed = 1; seed <= 12; seed++) {
            runScenario(seed, seed % 3 == 0);
        }
    }

    /** Each mutation path once, all before the scan reaches anything, with a directed expectation. */
    @Test
    void everyMutationPathCopiesBeforeChanging() throws Exception {
        StateMachineDriver sm = new StateMachineDriver(1_700_000_000_000L);
        String[] names = {"overwritten", "appended", "deleted", "renamed", "moved", "expiring", "expired",
                "hash", "list", "popped", "persisted", "copied-over", "getdel"};
        for (String n : names) {
            sm.command("SET", n, "old-" + n, "PX", "100000");
        }
        sm.command("DEL", "hash", "list", "popped"); // these three become collections
        sm.command("HSET", "hash", "f", "v");
        sm.command("RPUSH", "list", "a", "b");
        sm.command("RPUSH", "popped", "only");
        sm.command(1, "SET", "db1", "one");
        sm.command(2, "SET", "db2", "two");
        sm.command(3, "SET", "db3", "three");
        Map<String, String> atBegin = KeyspaceImage.of(sm.keyspace());
        Path file = dir.resolve("directed.rdb");
        KeyspaceSnapshotWriter w = KeyspaceSnapshotWriter.begin(sm.keyspace(), file,
                new SnapshotHeader(sm.index(), 1, null, sm.time()));
        sm.command("SET", "overwritten", "new");
        sm.command("APPEND", "appended", "-more");
        sm.command("DEL", "deleted");
        sm.command("RENAME", "renamed", "renamed-to");
        sm.command("MOVE", "moved", "1");
        sm.command("PEXPIRE", "expiring", "5");
        sm.command("PEXPIREAT", "expired", "1");
        sm.command("HSET", "hash", "g", "w");
        sm.command("RPUSH", "list", "c");
        sm.command("LPOP", "popped");
        sm.command("PERSIST", "persisted");
        sm.command("COPY", "overwritten", "copied-over", "REPLACE");
        sm.command("GETDEL", "getdel");
        sm.command("SET", "brand-new", "x");
        sm.command(0, "SWAPDB", "1", "2");
        sm.command(3, "FLUSHDB");
        sm.command(3, "SET", "db3-new", "x");
        for (int i = 0; i < 10; i++) {
            sm.command("SET", "tick", Integer.toString(i));
        }
        sm.expireEntry(0, "expiring");
        assertNull(sm.keyspace().db(0).peek("expiring".getBytes(), Long.MIN_VALUE), "expired by the entry");
        while (!w.step(1_000_000)) {
            // nothing else changes
        }
        w.finish();
        Keyspace loaded = new Keyspace(16);
        KeyspaceSnapshotLoader.load(file, loaded);
        KeyspaceImage.assertSame(atBegin, KeyspaceImage.of(loaded), "directed");
    }

    private void runScenario(long seed, boolean withFlushes) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        StateMachineDriver sm = new StateMachineDriver(1_700_000_000_000L);
        for (int i = 0; i < KEYS * DBS; i++) {
            write(sm, r, false, true);
        }
        Keyspace ks = sm.keyspace();
        Map<String, String> atBegin = KeyspaceImage.of(ks);
        assertTrue(atBegin.size() > KEYS, "populated");
        Path file = dir.resolve("cow-" + seed + ".rdb");
        KeyspaceSnapshotWriter w = KeyspaceSnapshotWriter.begin(ks, file, new SnapshotHeader(sm.index(), 1, null, sm.time()));
        int steps = 0;
        boolean done = false;
        while (!done) {
            int writes = r.nextInt(6);
            for (int i = 0; i < writes; i++) {
                write(sm, r, withFlushes, false);
            }
            done = w.step(0); // one scan batch per step: the most interleaving
            steps++;
        }
        assertFalse(ks.snapshotRunning());
        assertTrue(steps > 20, "the scan was interleaved with writes (" + steps + " steps)");
        SnapshotResult result = w.finish();
        assertEquals(atBegin.size(), result.keys(), "seed " + seed);

        Keyspace loaded = new Keyspace(16);
        KeyspaceSnapshotLoader.load(file, loaded);
        KeyspaceImage.assertSame(atBegin, KeyspaceImage.of(loaded), "seed " + seed);
        assertNotEquals(atBegin, KeyspaceImage.of(ks), "the writes changed the live keyspace");
    }

    /** One random write; during population only creating commands are used. */
    private static void write(StateMachineDriver sm, SplittableRandom r, boolean flushes, boolean populate) {
        int db = r.nextInt(DBS);
        String type = TYPES[r.nextInt(TYPES.length)];
        String key = type + r.nextInt(KEYS);
        String other = type + r.nextInt(KEYS);
        String v = r.nextInt(20) == 0 ? "long-" + "v".repeat(r.nextInt(200)) : Integer.toString(r.nextInt(1000));
        int op = populate ? 0 : r.nextInt(flushes ? 22 : 20);
        switch (op) {
            case 0, 1, 2 -> create(sm, db, type, key, v, r);
            case 3 -> sm.command(db, "DEL", key, other);
            case 4 -> sm.command(db, "RENAME", key, other);
            case 5 -> sm.command(db, "MOVE", key, Integer.toString(r.nextInt(DBS)));
            case 6 -> sm.command(db, "EXPIRE", key, Integer.toString(1 + r.nextInt(100)));
            case 7 -> sm.command(db, "PEXPIREAT", key, Long.toString(sm.time() - 1)); // deletes at once
            case 8 -> sm.command(db, "PEXPIRE", key, "2"); // expires two entries later
            case 9 -> sm.expireEntry(db, key); // deletes key only if expired
            case 10 -> sm.command(db, "PERSIST", key);
            case 11 -> sm.command(db, "COPY", key, other, "REPLACE");
            case 12 -> sm.command(db, "APPEND", key, v);
            case 13 -> sm.command(db, "HDEL", key, "f" + r.nextInt(20));
            case 14 -> sm.command(db, "LPOP", key);
            case 15 -> sm.command(db, "SPOP", key);
            case 16 -> sm.command(db, "ZREM", key, "m" + r.nextInt(20));
            case 17 -> sm.command(db, "SWAPDB", Integer.toString(r.nextInt(DBS)), Integer.toString(r.nextInt(DBS)));
            case 18 -> sm.command(db, "SUNIONSTORE", key, other, "t" + r.nextInt(KEYS));
            case 19 -> sm.command(db, "GETDEL", key);
            case 20 -> sm.command(db, "FLUSHDB");
            default -> sm.command(db, "FLUSHALL");
        }
    }

    private static void create(StateMachineDriver sm, int db, String type, String key, String v, SplittableRandom r) {
        switch (type) {
            case "s" -> {
                if (r.nextInt(4) == 0) {
                    sm.command(db, "SET", key, v, "PX", Integer.toString(1 + r.nextInt(30)));
                } else {
                    sm.command(db, "SET", key, v);
                }
            }
            case "h" -> sm.command(db, "HSET", key, "f" + r.nextInt(20), v);
            case "l" -> sm.command(db, "RPUSH", key, v, v + "x");
            case "z" -> sm.command(db, "ZADD", key, Integer.toString(r.nextInt(50)), "m" + r.nextInt(20));
            default -> sm.command(db, "SADD", key, v, Integer.toString(r.nextInt(100)));
        }
    }
}
