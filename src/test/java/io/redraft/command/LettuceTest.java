package io.redraft.command;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.redraft.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/** Lettuce 6 connects with HELLO 3, PING and CLIENT SETINFO: the whole handshake must succeed. */
@Timeout(60)
class LettuceTest {
    @Test
    void defaultResp3HandshakeThenSetGet() {
        try (TestServer server = TestServer.start()) {
            RedisClient client = RedisClient.create("redis://127.0.0.1:" + server.port());
            client.setDefaultTimeout(Duration.ofSeconds(10));
            try (StatefulRedisConnection<String, String> conn = client.connect()) {
                RedisCommands<String, String> cmd = conn.sync();
                assertEquals("OK", cmd.set("lettuce-key", "value"));
                assertEquals("value", cmd.get("lettuce-key"));
                assertNull(cmd.get("missing"));
                String me = cmd.clientInfo();
                assertTrue(me.contains(" resp=3 "), me);
                assertTrue(me.contains(" lib-name=Lettuce"), me);
                assertTrue(cmd.info("server").contains("redis_version:7.0.0"));
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        }
    }

    @Test
    void lettuceWithPassword() {
        try (TestServer server = TestServer.start("requirepass", "pw")) {
            RedisClient client = RedisClient.create("redis://pw@127.0.0.1:" + server.port());
            client.setDefaultTimeout(Duration.ofSeconds(10));
            try (StatefulRedisConnection<String, String> conn = client.connect()) {
                assertEquals("PONG", conn.sync().ping());
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        }
    }
}
