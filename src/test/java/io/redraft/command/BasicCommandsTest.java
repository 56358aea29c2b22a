package io.redraft.command;

import io.redraft.testing.ServerTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.exceptions.JedisDataException;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(60)
class BasicCommandsTest extends ServerTestBase {
    @Test
    void pingSetGetDel() {
        assertEquals("PONG", jedis.ping());
        assertEquals("OK", jedis.set("k", "v"));
        assertEquals("v", jedis.get("k"));
        assertTrue(jedis.exists("k"));
        assertEquals(1, jedis.del("k"));
        assertNull(jedis.get("k"));
        assertEquals(0, jedis.dbSize());
    }

    @Test
    void unknownCommandAndArityErrorsUseRedisTexts() {
        JedisDataException e = assertThrows(JedisDataException.class,
                () -> jedis.sendCommand(() -> "NOSUCH".getBytes(), "a", "b"));
        assertEquals("ERR unknown command 'NOSUCH', with args beginning with: 'a' 'b' ", e.getMessage());
        e = assertThrows(JedisDataException.class, () -> jedis.sendCommand(() -> "GET".getBytes()));
        assertEquals("ERR wrong number of arguments for 'get' command", e.getMessage());
        e = assertThrows(JedisDataException.class, () -> jedis.sendCommand(() -> "CONFIG".getBytes(), "NOPE"));
        assertEquals("ERR unknown subcommand 'NOPE'. Try CONFIG HELP.", e.getMessage());
    }

    @Test
    void selectIsolatesDatabases() {
        jedis.set("k", "db0");
        jedis.select(1);
        assertNull(jedis.get("k"));
        jedis.set("k", "db1");
        jedis.select(0);
        assertEquals("db0", jedis.get("k"));
        JedisDataException e = assertThrows(JedisDataException.class, () -> jedis.select(16));
        assertEquals("ERR DB index is out of range", e.getMessage());
    }
}
