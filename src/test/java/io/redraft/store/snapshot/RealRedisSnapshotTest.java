package io.redraft.store.snapshot;

import io.redraft.testing.FreePorts;
import io.redraft.store.Keyspace;
import io.redraft.store.rdb.DumpPayload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Our snapshot files are real RDB files: redis-server 7.0 loads one with every key, value and
 * deadline, and our loader reads the file redis-server itself saves. Skipped where no
 * redis-server is installed.
 */
@Timeout(120)
class RealRedisSnapshotTest {
    @TempDir
    Path dir;

    @Test
    void redisServerLoadsOurSnapshot() throws Exception {
        StateMachineDriver sm = SnapshotRoundTripTest.populated();
        Path file = dir.resolve("ours.rdb");
        SnapshotRoundTripTest.snapshot(sm.keyspace(), file, new SnapshotHeader(sm.index(), 2, new byte[] {7, 0, 7}, sm.time()));
        Map<String, String> expected = KeyspaceImage.of(sm.keyspace(), true);
        // A master drops keys whose deadline passed (by its clock) while loading; ours loads them.
        long now = System.currentTimeMillis();
        expected.keySet().removeIf(k -> {
            long deadline = Long.parseLong(expected.get(k).split(" ")[0]);
            return deadline != -1 && deadline <= now;
        });
        assertTrue(expected.containsKey("0/future") && expected.containsKey("0/hbig") && expected.containsKey("0/sshrunk")
                && expected.size() > 20);
        try (RedisProcess redis = RedisProcess.start(dir, "ours.rdb"); Jedis j = redis.jedis()) {
            KeyspaceImage.assertSame(expected, image(j), "keys as redis-server loaded them");
        }
    }

    @Test
    void ourLoaderReadsWhatRedisServerSaves() throws Exception {
        Map<String, String> inRedis;
        try (RedisProcess redis = RedisProcess.start(dir, "theirs.rdb"); Jedis j = redis.jedis()) {
            j.set("int", "42");
            j.set("str", "hello");
            j.set("long", "z".repeat(500));
            j.psetex("ttl", 1_000_000, "soon");
            for (int i = 0; i < 600; i++) {
                j.hset("hbig", "f" + i, "v" + i);
                j.sadd("sbig", "m" + i);
                j.rpush("lbig", "e" + i);
                j.zadd("zbig", i, "m" + i);
            }
            j.hset("hsmall", "a", "1");
            j.sadd("ints", "1", "2", "3");
            j.zadd("zsmall", 1.5, "x");
            j.select(5);
            j.rpush("db5list", "a", "b");
            j.pexpireAt("db5list", 4_000_000_000_000L);
            inRedis = image(j);
            assertEquals("OK", j.save());
        }
        Keyspace ks = new Keyspace(16);
        SnapshotLoadResult info = KeyspaceSnapshotLoader.load(dir.resolve("theirs.rdb"), ks);
        assertTrue(info.redisVersion().startsWith("7.0"), info.redisVersion());
        assertEquals(0, info.header().index(), "no raft-index in a Redis file");
        assertEquals(inRedis.size(), info.keys());
        assertEquals(2, info.expiringKeys());
        KeyspaceImage.assertSame(inRedis, KeyspaceImage.of(ks, true), "keys loaded from redis-server's file");
    }

    /** Every key of every database as DUMP payloads restored through our codecs, with PEXPIRETIME. */
    private static Map<String, String> image(Jedis j) throws Exception {
        Map<String, String> image = new TreeMap<>();
        for (int db = 0; db < 16; db++) {
            j.select(db);
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<byte[]> page = j.scan(cursor.getBytes(StandardCharsets.UTF_8));
                for (byte[] key : page.getResult()) {
                    long deadline = (Long) j.sendCommand(() -> "PEXPIRETIME".getBytes(StandardCharsets.US_ASCII), key);
                    Object value = DumpPayload.restore(j.dump(key));
                    image.put(db + "/" + new String(key, StandardCharsets.UTF_8), KeyspaceImage.describe(deadline, value, true));
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        }
        j.select(5);
        return image;
    }

    /** A redis-server child process on a free port, persisting to dir/dbfilename. */
    private static final class RedisProcess implements AutoCloseable {
        private final Process process;
        private final int port;

        private RedisProcess(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static RedisProcess start(Path dir, String dbfilename) throws Exception {
            assumeTrue(Files.isExecutable(Path.of("/usr/bin/redis-server")) || onPath(), "redis-server not installed");
            int port = FreePorts.pick();
            Process p = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--dir", dir.toString(), "--dbfilename", dbfilename, "--save", "", "--appendonly", "no",
                    "--daemonize", "no", "--logfile", dir.resolve("redis-" + port + ".log").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("redis-" + port + ".out").toFile()).start();
            RedisProcess rp = new RedisProcess(p, port);
            long until = System.nanoTime() + 30_000_000_000L;
            while (true) {
                try (Jedis j = rp.jedis()) {
                    if ("PONG".equals(j.ping())) {
                        return rp;
                    }
                } catch (RuntimeException notYet) {
                    if (!p.isAlive()) {
                        throw new IOException("redis-server exited: " + Files.readString(dir.resolve("redis-" + port + ".log")));
                    }
                    if (System.nanoTime() > until) {
                        rp.close();
                        throw new IOException("redis-server did not start");
                    }
                    Thread.onSpinWait();
                }
            }
        }

        private static boolean onPath() {
            try {
                return new ProcessBuilder("redis-server", "--version").start().waitFor() == 0;
            } catch (IOException | InterruptedException e) {
                return false;
            }
        }

        Jedis jedis() {
            return new Jedis("127.0.0.1", port, 2000);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
