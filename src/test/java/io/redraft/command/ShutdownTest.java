package io.redraft.command;

import io.redraft.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(60)
class ShutdownTest {

    @Test
    void shutdownClosesTheConnectionWithoutReplyAndStopsTheServer() throws Exception {
        try (TestServer server = TestServer.start(); Jedis jedis = server.jedis()) {
            jedis.set("k", "v");
            assertThrows(JedisConnectionException.class, () -> jedis.sendCommand(Protocol.Command.SHUTDOWN, "NOSAVE"));
            long deadline = System.currentTimeMillis() + 10_000;
            while (accepts(server.port()) && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertFalse(accepts(server.port()), "the client port still accepts connections after SHUTDOWN");
        }
    }

    @Test
    void abortAndSyntaxErrorsLeaveTheServerRunning() {
        try (TestServer server = TestServer.start(); Jedis jedis = server.jedis()) {
            assertEquals("ERR No shutdown in progress.", error(jedis, "ABORT"));
            assertEquals("ERR syntax error", error(jedis, "ABORT", "NOW"));
            assertEquals("ERR syntax error", error(jedis, "SAVE", "NOSAVE"));
            assertEquals("ERR syntax error", error(jedis, "SOON"));
            assertEquals("PONG", jedis.ping());
        }
    }

    @Test
    void shutdownSaveWritesASnapshotTheNextStartLoads(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        try (TestServer server = TestServer.startIn(dir); Jedis jedis = server.jedis()) {
            jedis.set("k", "saved");
            assertThrows(JedisConnectionException.class, () -> jedis.sendCommand(Protocol.Command.SHUTDOWN, "SAVE"));
        }
        assertTrue(java.nio.file.Files.size(dir.resolve("dump.rdb")) > 0, "SHUTDOWN SAVE wrote dir/dump.rdb");
        try (TestServer server = TestServer.startIn(dir); Jedis jedis = server.jedis()) {
            assertEquals("saved", jedis.get("k"));
            assertEquals(0L, Long.parseLong(jedis.info("persistence").replaceAll("(?s).*rdb_changes_since_last_save:(\\d+).*", "$1")));
        }
    }

    private static String error(Jedis jedis, String... args) {
        return assertThrows(JedisDataException.class, () -> jedis.sendCommand(Protocol.Command.SHUTDOWN, args)).getMessage();
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
