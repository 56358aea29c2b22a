package io.redraft.command;

import io.lettuce.core.RedisClient;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.redraft.testing.RawClient;
import io.redraft.testing.ServerPerClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** EXEC's replies under RESP3: the null of an aborted EXEC is '_', inner replies keep their RESP3 types. */
@Timeout(60)
class TransactionResp3Test extends ServerPerClass {
    @Test
    void lettuceTransactions() {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + server.port());
        client.setDefaultTimeout(Duration.ofSeconds(10));
        try (StatefulRedisConnection<String, String> conn = client.connect();
             StatefulRedisConnection<String, String> otherConn = client.connect()) {
            RedisCommands<String, String> cmd = conn.sync();
            cmd.flushall();
            assertEquals("OK", cmd.multi());
            cmd.set("k", "v");
            cmd.hset("h", Map.of("f", "1"));
            cmd.hgetall("h");
            cmd.incr("k"); // runtime error, reported inside the result
            TransactionResult r = cmd.exec();
            assertFalse(r.wasDiscarded());
            assertEquals(4, r.size());
            assertEquals("OK", r.get(0));
            assertEquals(1L, (Long) r.get(1));
            assertEquals(Map.of("f", "1"), r.get(2));
            assertInstanceOf(Exception.class, r.get(3));

            cmd.watch("k");
            otherConn.sync().set("k", "changed");
            cmd.multi();
            cmd.get("k");
            assertTrue(cmd.exec().wasDiscarded());
            assertEquals("changed", cmd.get("k"));

            cmd.watch("k");
            cmd.multi();
            cmd.set("k", "mine");
            TransactionResult ok = cmd.exec();
            assertFalse(ok.wasDiscarded());
            assertEquals("mine", cmd.get("k"));
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Test
    void rawResp3NullAndMapInsideExec() throws Exception {
        try (RawClient a = new RawClient(server.port()); RawClient b = new RawClient(server.port())) {
            a.call("HELLO", "3");
            a.call("FLUSHALL");
            a.call("HSET", "h", "f", "v");
            a.call("MULTI");
            a.call("HGETALL", "h");
            a.call("GET", "missing");
            Object reply = a.call("EXEC");
            assertEquals('*', a.lastType());
            @SuppressWarnings("unchecked")
            List<Object> items = (List<Object>) reply;
            assertEquals(Map.of("f", "v"), items.get(0));
            assertNull(items.get(1));

            a.call("WATCH", "h");
            b.call("DEL", "h");
            a.call("MULTI");
            a.call("PING");
            assertNull(a.call("EXEC"));
            assertEquals('_', a.lastType(), "RESP3 null");

            b.call("SET", "w", "1");
            b.call("WATCH", "w");
            a.call("SET", "w", "2");
            b.call("MULTI");
            assertNull(b.call("EXEC"));
            assertEquals('*', b.lastType(), "RESP2 null array *-1");
        }
    }
}
