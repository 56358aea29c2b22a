package io.redraft.store.snapshot;

import io.redraft.store.RedisValue;
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
 * A node restored from a snapshot must behave exactly like a node that replayed the log: the
 * same later write entries give the same replies (SPOP's pick included) and the same snapshot
 * bytes. The histories here grow collections past their compact limits and shrink them again,
 * so the original's layout (capacity, chain and slot order) is the product of that history,
 * while the restored one is built from the file in one pass.
 */
@Timeout(120)
class RestoredStateMachineTest {
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    /**
     * Snapshots original, restores a second state machine from the file, applies later to both
     * (replies compared one by one) and compares the two snapshots taken at the end.
     */
    private void assertRestoredBehavesAlike(StateMachineDriver original, List<String[]> later) throws Exception {
        Path file = dir.resolve("at-" + original.index() + ".rdb");
        SnapshotRoundTripTest.snapshot(original.keyspace(), file, header(original));
        StateMachineDriver restored = StateMachineDriver.restoredFrom(file, original);
        assertSameEncodings(original, restored);
        for (String[] argv : later) {
            String a = original.reply(argv);
            String b = restored.reply(argv);
            assertEquals(a, b, () -> "reply to " + String.join(" ", argv) + " at index " + original.index());
        }
        assertSameEncodings(original, restored);
        Path fa = dir.resolve("original.rdb");
        Path fb = dir.resolve("restored.rdb");
        SnapshotRoundTripTest.snapshot(original.keyspace(), fa, header(original));
        SnapshotRoundTripTest.snapshot(restored.keyspace(), fb, header(restored));
        assertArrayEquals(Files.readAllBytes(fa), Files.readAllBytes(fb), "snapshots after the same later entries");
    }

    private static void assertSameEncodings(StateMachineDriver a, StateMachineDriver b) {
        for (int d = 0; d < a.keyspace().databaseCount(); d++) {
            int db = d;
            a.keyspace().db(d).forEachEntry(e -> {
                Object other = b.keyspace().db(db).lookupRead(e.key(), a.time()) == null ? null
                        : b.keyspace().db(db).lookupRead(e.key(), a.time()).value();
                String key = db + "/" + new String(e.key(), java.nio.charset.StandardCharsets.UTF_8);
                assertNotNull(other, key + " missing");
                if (e.value() instanceof RedisValue v) {
                    assertEquals(v.encoding(), ((RedisValue) other).encoding(), key + " encoding");
                }
            });
            assertEquals(a.keyspace().db(d).size(), b.keyspace().db(d).size(), "keys in db " + d);
        }
    }

    private static SnapshotHeader header(StateMachineDriver sm) {
        return new SnapshotHeader(sm.index(), 3, new byte[0], sm.time());
    }

    private static List<String[]> spops(String key, int n) {
        List<String[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(i % 3 == 0 ? new String[] {"SPOP", key, Integer.toString(1 + i % 4)} : new String[] {"SPOP", key});
        }
        return out;
    }

    @Test
    void intsetThatWasAHashtablePopsTheSameMember() throws Exception {
        StateMachineDriver sm = new StateMachineDriver(T0);
        for (int i = 0; i < 600; i += 100) {
            String[] argv = new String[102];
            argv[0] = "SADD";
            argv[1] = "ints";
            for (int j = 0; j < 100; j++) {
                argv[2 + j] = Integer.toString(4100 + (i + j) * 7 % 600);
            }
            sm.command(argv);
        }
        for (int i = 0; i < 590; i++) {
            sm.command("SREM", "ints", Integer.toString(4100 + i * 13 % 600));
        }
        assertEquals("hashtable", ((RedisValue) sm.keyspace().db(0).lookupRead(bytes("ints"), sm.time()).value()).encoding());
        assertRestoredBehavesAlike(sm, spops("ints", 8));
    }

    @Test
    void smallSetsOfEveryHistoryPopAlike() throws Exception {
        StateMachineDriver sm = new StateMachineDriver(T0);
        // A hashtable of integers only because a string was in it once.
        sm.command("SADD", "was-mixed", "1", "2", "3", "4", "x");
        sm.command("SREM", "was-mixed", "x");
        // A listpack of integers only, also because of a removed string.
        sm.command("SADD", "lp-ints", "x", "5", "6", "7", "8");
        sm.command("SREM", "lp-ints", "x");
        // A hashtable of short strings that grew past the listpack limit and shrank back.
        for (int i = 0; i < 200; i++) {
            sm.command("SADD", "was-big", "m" + i);
        }
        for (int i = 0; i < 194; i++) {
            sm.command("SREM", "was-big", "m" + (i * 7 % 200));
        }
        // A hashtable because of one long member, gone now.
        sm.command("SADD", "was-long", "a", "b", "c", "d", "y".repeat(100));
        sm.command("SREM", "was-long", "y".repeat(100));
        sm.command("SREM", "was-long", "b");
        // A listpack with removals in the middle.
        sm.command("SADD", "lp", "p", "q", "r", "s", "t", "u");
        sm.command("SREM", "lp", "q", "s");
        List<String[]> later = new ArrayList<>();
        for (String k : new String[] {"was-mixed", "lp-ints", "was-big", "was-long", "lp"}) {
            later.add(new String[] {"SADD", k, "99", "zz"});
            later.add(new String[] {"SREM", k, "zz"});
            later.add(new String[] {"SMEMBERS", k});
            later.addAll(spops(k, 4));
        }
        assertRestoredBehavesAlike(sm, later);
    }

    @Test
    void storedResultsOfRestoredSetsMatch() throws Exception {
        StateMachineDriver sm = new StateMachineDriver(T0);
        for (int i = 0; i < 300; i++) {
            sm.command("SADD", "a", Integer.toString(i));
            sm.command("SADD", "b", "s" + (i * 3 % 400));
        }
        for (int i = 0; i < 280; i++) {
            sm.command("SREM", "a", Integer.toString(i * 11 % 300));
            sm.command("SREM", "b", "s" + (i * 3 % 400));
        }
        sm.command("SADD", "c", "1", "2", "3", "s3", "s6");
        List<String[]> later = new ArrayList<>();
        later.add(new String[] {"SUNIONSTORE", "u", "a", "b", "c"});
        later.add(new String[] {"SINTERSTORE", "i", "c", "a"});
        later.add(new String[] {"SDIFFSTORE", "d", "b", "c"});
        later.add(new String[] {"SMOVE", "a", "c", "5"});
        later.add(new String[] {"ZUNIONSTORE", "z", "2", "a", "b"});
        for (String k : new String[] {"u", "i", "d", "c"}) {
            later.add(new String[] {"SMEMBERS", k});
            later.addAll(spops(k, 3));
        }
        later.add(new String[] {"ZPOPMIN", "z", "5"});
        assertRestoredBehavesAlike(sm, later);
    }

    @Test
    void hashesAndSortedSetsThatShrankBehaveAlike() throws Exception {
        StateMachineDriver sm = new StateMachineDriver(T0);
        for (int i = 0; i < 1000; i++) {
            sm.command("HSET", "h", "f" + i, "v" + i);
            sm.command("ZADD", "z", Integer.toString(i % 17), "m" + i);
        }
        for (int i = 0; i < 995; i++) {
            sm.command("HDEL", "h", "f" + (i * 7 % 1000));
            sm.command("ZREM", "z", "m" + (i * 7 % 1000));
        }
        for (int i = 0; i < 700; i++) {
            sm.command("HSET", "mid", "f" + i, "v");
        }
        for (int i = 0; i < 500; i++) {
            sm.command("HDEL", "mid", "f" + (i * 3 % 700));
        }
        sm.command("HSET", "was-long", "a", "1", "b", "x".repeat(100));
        sm.command("HDEL", "was-long", "b");
        List<String[]> later = new ArrayList<>();
        for (String k : new String[] {"h", "mid", "was-long"}) {
            later.add(new String[] {"HSET", k, "new", "1"});
            later.add(new String[] {"HGETALL", k});
            later.add(new String[] {"HDEL", k, "f1", "f2"});
        }
        later.add(new String[] {"ZADD", "z", "3", "extra"});
        later.add(new String[] {"ZRANGE", "z", "0", "-1", "WITHSCORES"});
        later.add(new String[] {"ZPOPMAX", "z"});
        later.add(new String[] {"ZRANGESTORE", "z2", "z", "0", "2"});
        assertRestoredBehavesAlike(sm, later);
    }

    /** A long random history over every collection type and many keys, then a random future. */
    @Test
    void randomHistoriesBehaveAlike() throws Exception {
        StateMachineDriver sm = new StateMachineDriver(T0);
        SplittableRandom r = new SplittableRandom(42);
        for (String[] argv : randomWrites(r, 40_000)) {
            sm.command(argv);
        }
        // Many keys created and deleted: the key table grew and shrank.
        for (int i = 0; i < 3000; i++) {
            sm.command("SET", "tmp" + i, "x");
        }
        for (int i = 0; i < 3000; i++) {
            sm.command("DEL", "tmp" + i);
        }
        assertRestoredBehavesAlike(sm, randomWrites(r, 8_000));
    }

    private static List<String[]> randomWrites(SplittableRandom r, int n) {
        List<String[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String set = "t" + r.nextInt(12);
            String member = switch (r.nextInt(4)) {
                case 0 -> Integer.toString(r.nextInt(1500));
                case 1 -> "m" + r.nextInt(1500);
                case 2 -> Integer.toString(r.nextInt(40));
                default -> r.nextInt(50) == 0 ? "L".repeat(70) : "k" + r.nextInt(60);
            };
            out.add(switch (r.nextInt(13)) {
                case 0, 1, 2 -> new String[] {"SADD", set, member};
                case 3, 4 -> new String[] {"SREM", set, member};
                case 5 -> new String[] {"SPOP", set};
                case 6 -> new String[] {"SPOP", set, Integer.toString(1 + r.nextInt(30))};
                case 7 -> new String[] {"SUNIONSTORE", "t" + r.nextInt(12), set, "t" + r.nextInt(12)};
                case 8 -> new String[] {"SMOVE", set, "t" + r.nextInt(12), member};
                case 9 -> new String[] {"HSET", "h" + r.nextInt(6), "f" + member, member};
                case 10 -> new String[] {"HDEL", "h" + r.nextInt(6), "f" + member};
                case 11 -> new String[] {"ZADD", "z" + r.nextInt(6), Integer.toString(r.nextInt(50)), member};
                default -> new String[] {"ZREM", "z" + r.nextInt(6), member};
            });
        }
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
