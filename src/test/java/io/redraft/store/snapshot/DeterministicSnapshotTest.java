package io.redraft.store.snapshot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The same write entries applied to two fresh state machines give byte-identical snapshot files,
 * whether the snapshot is taken at rest or while the same writes run between the same steps, and
 * taking a snapshot does not change the state machine's later behaviour.
 */
@Timeout(120)
class DeterministicSnapshotTest {
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    /** A script of commands (db, argv) over every type, with deadlines, deletions and growth past the listpack limits. */
    static List<Object[]> script(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Object[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int db = r.nextInt(3);
            String k = Integer.toString(r.nextInt(800));
            String v = r.nextInt(15) == 0 ? "val".repeat(r.nextInt(40)) : Integer.toString(r.nextInt(100_000));
            String[] argv = switch (r.nextInt(14)) {
                case 0 -> new String[] {"SET", "s" + k, v};
                case 1 -> new String[] {"SET", "s" + k, v, "PX", Integer.toString(1 + r.nextInt(500))};
                case 2 -> new String[] {"HSET", "h" + r.nextInt(20), "f" + r.nextInt(700), v};
                case 3 -> new String[] {"HDEL", "h" + r.nextInt(20), "f" + r.nextInt(700)};
                case 4 -> new String[] {"RPUSH", "l" + r.nextInt(20), v, v};
                case 5 -> new String[] {"LPOP", "l" + r.nextInt(20)};
                case 6 -> new String[] {"SADD", "t" + r.nextInt(20), r.nextBoolean() ? v : "m" + v};
                case 7 -> new String[] {"SPOP", "t" + r.nextInt(20)};
                case 8 -> new String[] {"ZADD", "z" + r.nextInt(20), Integer.toString(r.nextInt(1000)), "m" + r.nextInt(300)};
                case 9 -> new String[] {"ZREM", "z" + r.nextInt(20), "m" + r.nextInt(300)};
                case 10 -> new String[] {"DEL", "s" + k};
                case 11 -> new String[] {"EXPIRE", "h" + r.nextInt(20), Integer.toString(r.nextInt(1000))};
                case 12 -> new String[] {"RENAME", "s" + k, "s" + r.nextInt(800)};
                default -> new String[] {"INCRBY", "n" + r.nextInt(50), Integer.toString(r.nextInt(10))};
            };
            out.add(new Object[] {db, argv});
        }
        return out;
    }

    private static void apply(StateMachineDriver sm, List<Object[]> writes) {
        for (Object[] w : writes) {
            sm.command((Integer) w[0], (String[]) w[1]);
        }
    }

    private static SnapshotHeader header(StateMachineDriver sm) {
        return new SnapshotHeader(sm.index(), 4, new byte[] {1, 2, 3}, sm.time());
    }

    @Test
    void sameEntriesGiveByteIdenticalSnapshots() throws Exception {
        List<Object[]> writes = script(7, 30_000);
        StateMachineDriver a = new StateMachineDriver(T0);
        StateMachineDriver b = new StateMachineDriver(T0);
        apply(a, writes);
        apply(b, writes);
        Path fa = dir.resolve("a.rdb");
        Path fb = dir.resolve("b.rdb");
        SnapshotRoundTripTest.snapshot(a.keyspace(), fa, header(a));
        SnapshotRoundTripTest.snapshot(b.keyspace(), fb, header(b));
        byte[] bytesA = Files.readAllBytes(fa);
        assertTrue(bytesA.length > 50_000, "a substantial snapshot: " + bytesA.length);
        assertArrayEquals(bytesA, Files.readAllBytes(fb));
    }

    @Test
    void sameWritesBetweenSameStepsGiveByteIdenticalSnapshots() throws Exception {
        List<Object[]> before = script(11, 20_000);
        List<Object[]> during = script(12, 3_000);
        byte[][] files = new byte[2][];
        for (int run = 0; run < 2; run++) {
            StateMachineDriver sm = new StateMachineDriver(T0);
            apply(sm, before);
            Path f = dir.resolve("during-" + run + ".rdb");
            KeyspaceSnapshotWriter w = KeyspaceSnapshotWriter.begin(sm.keyspace(), f, header(sm));
            int next = 0;
            while (!w.step(0)) {
                for (int i = 0; i < 10 && next < during.size(); i++, next++) {
                    Object[] e = during.get(next);
                    sm.command((Integer) e[0], (String[]) e[1]);
                }
            }
            w.finish();
            files[run] = Files.readAllBytes(f);
        }
        assertArrayEquals(files[0], files[1]);
    }

    @Test
    void takingASnapshotDoesNotChangeLaterState() throws Exception {
        List<Object[]> first = script(21, 15_000);
        List<Object[]> second = script(22, 15_000);
        StateMachineDriver plain = new StateMachineDriver(T0);
        StateMachineDriver snapshotted = new StateMachineDriver(T0);
        apply(plain, first);
        apply(snapshotted, first);
        KeyspaceSnapshotWriter w = KeyspaceSnapshotWriter.begin(snapshotted.keyspace(), dir.resolve("mid.rdb"),
                header(snapshotted));
        int next = 0;
        while (!w.step(0)) {
            for (int i = 0; i < 5 && next < second.size(); i++, next++) {
                Object[] e = second.get(next);
                snapshotted.command((Integer) e[0], (String[]) e[1]);
            }
        }
        w.finish();
        apply(snapshotted, second.subList(next, second.size()));
        apply(plain, second);
        Path fa = dir.resolve("plain.rdb");
        Path fb = dir.resolve("snapshotted.rdb");
        SnapshotRoundTripTest.snapshot(plain.keyspace(), fa, header(plain));
        SnapshotRoundTripTest.snapshot(snapshotted.keyspace(), fb, header(snapshotted));
        assertArrayEquals(Files.readAllBytes(fa), Files.readAllBytes(fb));
    }
}
