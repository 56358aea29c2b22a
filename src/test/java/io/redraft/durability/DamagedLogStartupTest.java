package io.redraft.durability;

import static org.junit.jupiter.api.Assertions.*;

import io.redraft.raft.log.JournalRaftStorage;
import io.redraft.server.RedraftServer;
import io.redraft.testing.ServerProcess;
import io.redraft.testing.ServerProcessReaper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * A node's start-up on a damaged Raft log, through the real process: damage to a record the log
 * had synced (acknowledged data) stops the node with an error naming the file, while a torn tail
 * (a record that never fully reached the disk) is dropped and the node starts without it.
 */
@Timeout(180)
@ExtendWith(ServerProcessReaper.class)
class DamagedLogStartupTest {
    private static final int KEYS = 50;

    @TempDir
    Path dir;

    @Test
    void damageToASyncedRecordStopsTheNodeWithAnErrorNamingTheFile() throws Exception {
        try (ServerProcess server = ServerProcess.startReady(dir)) {
            writeKeys(server);
            assertEquals(0, server.terminate(Duration.ofSeconds(30)), server.describe());
        }
        Located at = locate(value(KEYS / 2));
        flip(at.file(), at.offset() + 3);
        try (ServerProcess server = ServerProcess.start(dir)) {
            assertNotEquals(0, server.awaitExit(Duration.ofSeconds(60)), "must not start" + server.describe());
            String log = server.logText();
            assertTrue(log.contains("corrupt Raft log"), server.describe());
            assertTrue(log.contains(at.file().getFileName().toString()), "names the file" + server.describe());
            assertFalse(log.contains("ready to accept connections"), server.describe());
        }
    }

    @Test
    void aTornTailIsDroppedAndTheNodeStartsWithoutIt() throws Exception {
        // raft-fsync no never syncs before the kill: nothing is behind the synced point, so what a
        // crash tears off the end is a torn tail, as after a power cut under always.
        try (ServerProcess server = ServerProcess.startReady(dir, "--raft-fsync", "no")) {
            writeKeys(server);
            server.kill9();
        }
        Located last = locate(value(KEYS - 1));
        truncate(last.file(), last.offset() + 2); // the file ends in the middle of the last record
        try (ServerProcess server = ServerProcess.startReady(dir); Jedis j = server.jedis()) {
            for (int i = 0; i < KEYS - 1; i++) {
                assertEquals(value(i), j.get(key(i)), server.describe());
            }
            assertNull(j.get(key(KEYS - 1)), "the torn record is gone");
            assertEquals(KEYS - 1, j.dbSize());
            assertEquals("OK", j.set("after", "restart"));
            server.kill9();
        }
        // The log goes on after the dropped record, and replays.
        try (ServerProcess server = ServerProcess.startReady(dir); Jedis j = server.jedis()) {
            assertEquals("restart", j.get("after"), server.describe());
            assertEquals(value(0), j.get(key(0)));
            assertEquals(KEYS, j.dbSize());
        }
    }

    private static String key(int i) {
        return "key:" + i;
    }

    /** Values are what the test searches the log files for. */
    private static String value(int i) {
        return String.format("value-%04d-of-the-damaged-log-test", i);
    }

    private static void writeKeys(ServerProcess server) {
        try (Jedis j = server.jedis()) {
            for (int i = 0; i < KEYS; i++) {
                assertEquals("OK", j.set(key(i), value(i)));
            }
        }
    }

    private record Located(Path file, long offset) {
    }

    /** The journal file holding {@code marker} and its offset there. */
    private Located locate(String marker) throws IOException {
        Path log = dir.resolve(RedraftServer.RAFT_DIR).resolve(JournalRaftStorage.LOG_DIR);
        byte[] needle = marker.getBytes(StandardCharsets.US_ASCII);
        List<Path> files;
        try (var s = Files.list(log)) {
            files = s.filter(f -> f.toString().endsWith(".cq4")).sorted().toList();
        }
        for (Path f : files) {
            byte[] all = Files.readAllBytes(f);
            int at = indexOf(all, needle);
            if (at >= 0) return new Located(f, at);
        }
        throw new AssertionError(marker + " not found in " + files);
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    private static void flip(Path file, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 0x5a));
            ch.write(b.rewind(), offset);
        }
    }

    private static void truncate(Path file, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }
}
