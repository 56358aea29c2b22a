package io.redraft.durability;

import static org.junit.jupiter.api.Assertions.*;

import io.redraft.testing.ServerProcess;
import io.redraft.testing.ServerProcessReaper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisConnectionException;

/** A clean stop (SIGTERM, SHUTDOWN NOSAVE) exits 0 promptly, and a restart finds every write. */
@Timeout(180)
@ExtendWith(ServerProcessReaper.class)
class CleanShutdownTest {
    private static final int KEYS = 200;
    /** A clean stop closes the port and syncs the log: seconds at most, even on a loaded machine. */
    private static final Duration PROMPTLY = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    @Test
    void sigtermExitsZeroAndKeepsEveryWrite() throws Exception {
        try (ServerProcess server = ServerProcess.startReady(dir)) {
            writeKeys(server);
            assertEquals(0, server.terminate(PROMPTLY), "exit code after SIGTERM" + server.describe());
            assertTrue(server.logText().contains("bye bye"), "clean shutdown logged" + server.describe());
        }
        assertKeysAfterRestart();
    }

    @Test
    void shutdownNosaveExitsZeroAndKeepsEveryWrite() throws Exception {
        try (ServerProcess server = ServerProcess.startReady(dir)) {
            writeKeys(server);
            try (Jedis j = server.jedis()) {
                // Like Redis, a successful SHUTDOWN closes the connection instead of replying.
                assertThrows(JedisConnectionException.class, () -> j.sendCommand(Protocol.Command.SHUTDOWN, "NOSAVE"));
            }
            assertEquals(0, server.awaitExit(PROMPTLY), "exit code after SHUTDOWN NOSAVE" + server.describe());
        }
        // NOSAVE skips a snapshot, not the log: every acknowledged write is in the log already.
        assertKeysAfterRestart();
    }

    @Test
    void sigtermUnderLoadExitsZeroAndKeepsEveryAcknowledgedWrite() throws Exception {
        List<WriterModel> models = List.of(new WriterModel(0), new WriterModel(1), new WriterModel(2), new WriterModel(3));
        try (ServerProcess server = ServerProcess.startReady(dir);
             WriteLoad load = WriteLoad.start(server, models, new Random(1), 1)) {
            load.awaitEveryWriterAcknowledged("under load");
            assertEquals(0, server.terminate(PROMPTLY), "exit code after SIGTERM under load" + server.describe());
            load.finish("SIGTERM under load");
        }
        try (ServerProcess server = ServerProcess.startReady(dir)) {
            List<String> problems = WriteLoad.check(server, models);
            assertTrue(problems.isEmpty(), "after SIGTERM under load:" + WriteLoad.describe(problems) + server.describe());
        }
    }

    private static void writeKeys(ServerProcess server) {
        try (Jedis j = server.jedis()) {
            for (int i = 0; i < KEYS; i++) {
                assertEquals("OK", j.set("key:" + i, "value:" + i));
            }
            assertEquals(3, j.rpush("list", "a", "b", "c")); // one multi-argument write too
            assertEquals(KEYS + 1, j.dbSize());
        }
    }

    private void assertKeysAfterRestart() throws Exception {
        try (ServerProcess server = ServerProcess.startReady(dir); Jedis j = server.jedis()) {
            assertEquals(KEYS + 1, j.dbSize(), server.describe());
            for (int i = 0; i < KEYS; i++) {
                assertEquals("value:" + i, j.get("key:" + i));
            }
            assertEquals(List.of("a", "b", "c"), j.lrange("list", 0, -1));
        }
    }
}
