package io.redraft.testing;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** The harness itself: a child JVM that is ready when it answers, killed for real, diagnosed when it fails. */
@Timeout(120)
@ExtendWith(ServerProcessReaper.class)
class ServerProcessTest {
    @TempDir
    Path dir;

    @Test
    void startsAnswersAndIsGoneAfterKill9() throws Exception {
        try (ServerProcess server = ServerProcess.startReady(dir)) {
            assertNotEquals(ProcessHandle.current().pid(), server.pid());
            try (Jedis j = server.jedis()) {
                assertEquals("OK", j.set("k", "v"));
                assertEquals("v", j.get("k"));
            }
            assertEquals(137, server.kill9(), "128 + SIGKILL");
            assertFalse(ProcessHandle.of(server.pid()).map(ProcessHandle::isAlive).orElse(false));
        }
    }

    @Test
    void restartsOnTheSameDirectoryAfterKill9() throws Exception {
        try (ServerProcess first = ServerProcess.startReady(dir)) {
            first.kill9();
        }
        try (ServerProcess second = ServerProcess.startReady(dir); Jedis j = second.jedis()) {
            assertEquals("PONG", j.ping());
        }
    }

    @Test
    void aServerThatCannotStartFailsFastWithItsLog() throws Exception {
        try (ServerProcess server = ServerProcess.start(dir, "--no-such-option", "x")) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> server.awaitReady(Duration.ofSeconds(60)));
            assertTrue(e.getMessage().contains("exited with code 1"), e.getMessage());
            assertTrue(e.getMessage().contains("no-such-option"), e.getMessage());
            assertTrue(e.getMessage().contains(server.logFile().toString()), e.getMessage());
        }
    }

    @Test
    void killAllKillsWhatATestLeftRunning() throws Exception {
        ServerProcess leaked = ServerProcess.startReady(dir);
        assertEquals(1, ServerProcess.killAll());
        assertFalse(ProcessHandle.of(leaked.pid()).map(ProcessHandle::isAlive).orElse(false));
        assertEquals(0, ServerProcess.killAll());
    }
}
