package io.redraft.durability;

import static org.junit.jupiter.api.Assertions.*;

import io.redraft.testing.ServerProcess;
import io.redraft.testing.ServerProcessReaper;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** Two processes can never share a data directory: the second refuses to start, the first serves on. */
@Timeout(120)
@ExtendWith(ServerProcessReaper.class)
class DataDirLockProcessTest {
    @TempDir
    Path dir;

    @Test
    void secondProcessOnTheSameDirectoryFailsAndTheFirstKeepsServing() throws Exception {
        try (ServerProcess first = ServerProcess.startReady(dir)) {
            try (Jedis j = first.jedis()) {
                assertEquals("OK", j.set("before", "1"));
            }
            try (ServerProcess second = ServerProcess.start(dir)) {
                int code = second.awaitExit(Duration.ofSeconds(60));
                assertNotEquals(0, code, "second process exit code" + second.describe());
                String log = second.logText();
                assertTrue(log.contains("in use by another Redraft process"), "lock error in the log" + second.describe());
                assertTrue(log.contains(dir.toString()), "the log names the directory" + second.describe());
                assertFalse(log.contains("ready to accept connections"), second.describe());
            }
            assertTrue(first.isAlive(), first.describe());
            try (Jedis j = first.jedis()) {
                assertEquals("1", j.get("before"));
                assertEquals("OK", j.set("after", "2"));
                assertEquals("2", j.get("after"));
            }
        }
    }

    @Test
    void theLockIsReleasedWhenTheHolderIsKilled() throws Exception {
        try (ServerProcess first = ServerProcess.startReady(dir)) {
            try (Jedis j = first.jedis()) {
                assertEquals("OK", j.set("k", "v"));
            }
            first.kill9();
        }
        try (ServerProcess second = ServerProcess.startReady(dir); Jedis j = second.jedis()) {
            assertEquals("v", j.get("k"));
        }
    }
}
