package io.redraft.cluster;

import io.redraft.testing.RawClient;
import io.redraft.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Writes through the single-node Raft group: ordering, reply modes, restart, disk guard, lock. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RaftWritePathTest {
    @TempDir
    Path dir;

    @Test
    void everyTypeAndDeadlineSurvivesARestart() {
        long deadline = System.currentTimeMillis() + 3_600_000;
        try (TestServer server = TestServer.startIn(dir); Jedis j = server.jedis()) {
            j.set("s", "v");
            j.incrBy("n", 41);
            j.incr("n");
            j.hset("h", Map.of("f1", "a", "f2", "b"));
            j.rpush("l", "x", "y", "z");
            j.sadd("set", "m1", "m2");
            j.zadd("z", 1.5, "one");
            j.set("gone", "1");
            j.del("gone");
            j.set("ttl", "t");
            j.pexpireAt("ttl", deadline);
            j.select(3);
            j.set("in3", "three");
        }
        try (TestServer server = TestServer.startIn(dir); Jedis j = server.jedis()) {
            assertEquals("v", j.get("s"));
            assertEquals("42", j.get("n"));
            assertEquals(Map.of("f1", "a", "f2", "b"), j.hgetAll("h"));
            assertEquals(List.of("x", "y", "z"), j.lrange("l", 0, -1));
            assertEquals(Set.of("m1", "m2"), j.smembers("set"));
            assertEquals(1.5, j.zscore("z", "one"));
            assertNull(j.get("gone"));
            assertEquals(deadline, j.pexpireTime("ttl"));
            j.select(3);
            assertEquals("three", j.get("in3"));
            // The restarted node goes on writing after what it replayed.
            j.select(0);
            assertEquals(43, j.incr("n"));
        }
    }

    @Test
    void pipelinedWritesAndReadsAnswerInOrderAndSeeEachOther() {
        try (TestServer server = TestServer.start(); Jedis j = server.jedis()) {
            Pipeline p = j.pipelined();
            List<Response<Long>> incrs = new ArrayList<>();
            List<Response<String>> gets = new ArrayList<>();
            List<Response<Object>> unknown = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                incrs.add(p.incr("c"));
                incrs.add(p.incr("c"));
                gets.add(p.get("c"));
                if (i % 100 == 0) {
                    unknown.add(p.sendCommand(() -> "NOSUCHCOMMAND".getBytes(), new String[0]));
                }
            }
            p.sync();
            for (int i = 0; i < 2000; i++) {
                assertEquals(2L * i + 1, incrs.get(2 * i).get());
                assertEquals(2L * i + 2, incrs.get(2 * i + 1).get());
                assertEquals(Long.toString(2L * i + 2), gets.get(i).get());
            }
            for (Response<Object> r : unknown) {
                assertThrows(JedisDataException.class, r::get);
            }
        }
    }

    /**
     * Writes that reach the log together share entries (one append, one fsync, one apply
     * hand-off for many), yet each keeps its own reply and its own effect.
     */
    @Test
    void pipelinedWritesShareLogEntries() {
        try (TestServer server = TestServer.start(); Jedis j = server.jedis()) {
            long before = raftField(j, "raft_commit_index");
            Pipeline p = j.pipelined();
            List<Response<String>> sets = new ArrayList<>();
            List<Response<Long>> appends = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                sets.add(p.set("k" + i, "v" + i));
                appends.add(p.append("log", "x"));
            }
            p.sync();
            for (int i = 0; i < 1000; i++) {
                assertEquals("OK", sets.get(i).get());
                assertEquals(i + 1, appends.get(i).get());
            }
            long entries = raftField(j, "raft_commit_index") - before;
            assertTrue(entries < 1000, "2000 pipelined writes took " + entries + " log entries");
            assertEquals("v999", j.get("k999"));
            assertEquals(1000, j.strlen("log"));
        }
    }

    @Test
    void clientReplySkipAndOffApplyToTheWritesTheyPreceded() throws Exception {
        try (TestServer server = TestServer.start(); RawClient c = new RawClient(server.port())) {
            // One pipeline: the skip covers the first SET only; OFF covers both writes after it.
            c.send("CLIENT", "REPLY", "SKIP");
            c.send("SET", "a", "1");
            c.send("SET", "b", "2");
            c.send("CLIENT", "REPLY", "OFF");
            c.send("INCR", "a");
            c.send("INCR", "b");
            c.send("CLIENT", "REPLY", "ON");
            c.send("MGET", "a", "b");
            assertEquals("OK", c.read()); // SET b
            assertEquals("OK", c.read()); // CLIENT REPLY ON
            assertEquals(List.of("2", "3"), c.read());
        }
    }

    @Test
    void writesAreRefusedWhileTheDiskIsNearlyFullAndResumeAfter() {
        try (TestServer server = TestServer.start(); Jedis j = server.jedis(); Jedis admin = server.jedis()) {
            j.set("k", "before");
            admin.configSet("raft-min-free-disk", "1000000000000000"); // a petabyte: always short
            await(() -> {
                try {
                    j.set("probe", "x");
                    return false;
                } catch (JedisDataException e) {
                    assertTrue(e.getMessage().startsWith("MISCONF "), e.getMessage());
                    return true;
                }
            });
            assertEquals("before", j.get("k"), "reads go on and the refused write left no trace");
            JedisDataException refused = assertThrows(JedisDataException.class, () -> j.incr("n"));
            assertTrue(refused.getMessage().contains("raft-min-free-disk"), refused.getMessage());
            admin.configSet("raft-min-free-disk", "0");
            await(() -> {
                try {
                    return "OK".equals(j.set("k", "after"));
                } catch (JedisDataException e) {
                    return false;
                }
            });
            assertEquals("after", j.get("k"));
        }
    }

    @Test
    void snapshotsCompactTheLogAndARestartLoadsOneAndReplaysTheTail() {
        try (TestServer server = TestServer.startIn(dir, "raft-snapshot-threshold", "300"); Jedis j = server.jedis()) {
            for (int i = 0; i < 1000; i++) {
                j.set("k" + i, "v" + i);
            }
            await(() -> raftField(j, "raft_snapshot_index") >= 300);
            assertTrue(raftField(j, "raft_log_entries") < 1000, "the log was compacted");
            j.sadd("tail", "after", "the", "snapshot");
            assertEquals("Background saving started", j.bgsave());
            await(() -> j.info("persistence").contains("rdb_bgsave_in_progress:0"));
            j.set("last", "write");
        }
        try (TestServer server = TestServer.startIn(dir); Jedis j = server.jedis()) {
            for (int i = 0; i < 1000; i++) {
                assertEquals("v" + i, j.get("k" + i));
            }
            assertEquals(Set.of("after", "the", "snapshot"), j.smembers("tail"));
            assertEquals("write", j.get("last"));
            assertTrue(raftField(j, "raft_snapshot_index") > 1000);
        }
    }

    /**
     * Writes applied while a background snapshot runs count towards the next one, which starts
     * as soon as the running one is saved if they reach the threshold, with no later write needed:
     * after a burst the log tail a restart replays stays under the threshold.
     */
    @Test
    void aBurstThatOutrunsASnapshotIsCoveredByTheNextOne() {
        try (TestServer server = TestServer.startIn(dir, "raft-snapshot-threshold", "300"); Jedis j = server.jedis()) {
            // 200,000 keys in 200 writes: under the threshold, but enough that a snapshot takes a while.
            Pipeline p = j.pipelined();
            for (int m = 0; m < 200; m++) {
                String[] kv = new String[2000];
                for (int i = 0; i < 1000; i++) {
                    kv[2 * i] = "bulk:" + m + ":" + i;
                    kv[2 * i + 1] = "v";
                }
                p.mset(kv);
            }
            p.sync();
            assertEquals(0, raftField(j, "raft_snapshot_index"));
            // The 100th write starts a snapshot of 200,000 keys; the other 1,900 apply while it runs.
            for (int i = 0; i < 2000; i++) {
                p.set("k" + i, "v" + i);
            }
            p.sync();
            await(() -> j.info("persistence").contains("rdb_bgsave_in_progress:0")
                    && infoField(j, "persistence", "rdb_changes_since_last_save") < 300);
            assertEquals(202_000, j.dbSize());
        }
    }

    @Test
    void aTruncatedSnapshotStopsTheStartWithAClearError() throws Exception {
        try (TestServer server = TestServer.startIn(dir); Jedis j = server.jedis()) {
            j.set("k", "v");
            assertEquals("OK", j.save());
        }
        Path rdb = dir.resolve("dump.rdb");
        long size = java.nio.file.Files.size(rdb);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(rdb, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(size - 5);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TestServer.startIn(dir).close());
        assertTrue(String.valueOf(e.getCause()).contains("dump.rdb"), String.valueOf(e.getCause()));
    }

    private static long raftField(Jedis j, String name) {
        return infoField(j, "raft", name);
    }

    private static long infoField(Jedis j, String section, String name) {
        return Long.parseLong(j.info(section).replaceAll("(?s).*" + name + ":(-?\\d+).*", "$1"));
    }

    @Test
    void twoNodesCannotShareADataDirectory() {
        try (TestServer first = TestServer.startIn(dir); Jedis j = first.jedis()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> TestServer.startIn(dir).close());
            assertTrue(String.valueOf(e.getCause()).contains("in use"), String.valueOf(e.getCause()));
            assertEquals("OK", j.set("still", "serving"));
        }
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not reached in 10 s");
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
