package io.redraft.command;

import io.redraft.testing.RawClient;
import io.redraft.testing.ServerTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;

import java.util.List;

import static io.redraft.testing.Raw.call;
import static io.redraft.testing.Raw.error;
import static io.redraft.testing.Raw.list;
import static org.junit.jupiter.api.Assertions.*;

/**
 * MULTI/EXEC/DISCARD queueing and replies, checked against redis-server 7.0.15: queue-time
 * errors abort with EXECABORT, runtime errors stay inside EXEC's array, SELECT inside MULTI
 * carries over to the later queued commands and to the connection.
 */
@Timeout(60)
class TransactionCommandsTest extends ServerTestBase {
    @Test
    void execRunsQueuedCommandsInOrder() {
        assertEquals("OK", call(jedis, "MULTI"));
        assertEquals("QUEUED", call(jedis, "SET", "k", "1"));
        assertEquals("QUEUED", call(jedis, "INCR", "k"));
        assertEquals("QUEUED", call(jedis, "GET", "k"));
        assertEquals(list("OK", 2L, "2"), call(jedis, "EXEC"));
        assertEquals("2", jedis.get("k"));
    }

    @Test
    void jedisTransactionApi() {
        Transaction t = jedis.multi();
        Response<String> set = t.set("a", "x");
        Response<Long> push = t.rpush("l", "1", "2");
        Response<List<String>> range = t.lrange("l", 0, -1);
        List<Object> all = t.exec();
        assertEquals(3, all.size());
        assertEquals("OK", set.get());
        assertEquals(2L, push.get());
        assertEquals(List.of("1", "2"), range.get());
    }

    @Test
    void emptyTransactionAndReadOnlyTransaction() {
        call(jedis, "MULTI");
        assertEquals(List.of(), call(jedis, "EXEC"));
        jedis.set("r", "v");
        call(jedis, "MULTI");
        call(jedis, "GET", "r");
        call(jedis, "EXISTS", "r", "nope");
        assertEquals(list("v", 1L), call(jedis, "EXEC"));
    }

    @Test
    void discardDropsTheQueue() {
        jedis.set("k", "old");
        call(jedis, "MULTI");
        call(jedis, "SET", "k", "new");
        assertEquals("OK", call(jedis, "DISCARD"));
        assertEquals("old", jedis.get("k"));
        assertEquals("ERR EXEC without MULTI", error(jedis, "EXEC"));
        assertEquals("ERR DISCARD without MULTI", error(jedis, "DISCARD"));
    }

    @Test
    void runtimeErrorDoesNotStopTheOthers() {
        jedis.set("s", "str");
        call(jedis, "MULTI");
        call(jedis, "INCR", "n");
        call(jedis, "LPUSH", "s", "x");
        call(jedis, "INCR", "n");
        @SuppressWarnings("unchecked")
        List<Object> reply = (List<Object>) jedis.sendCommand(() -> "EXEC".getBytes());
        assertEquals(3, reply.size());
        assertEquals(1L, reply.get(0));
        assertInstanceOf(JedisDataException.class, reply.get(1));
        assertEquals("WRONGTYPE Operation against a key holding the wrong kind of value",
                ((JedisDataException) reply.get(1)).getMessage());
        assertEquals(2L, reply.get(2));
        assertEquals("2", jedis.get("n"));
    }

    @Test
    void queueTimeErrorsAbortWithExecAbort() {
        String abort = "EXECABORT Transaction discarded because of previous errors.";
        call(jedis, "MULTI");
        call(jedis, "SET", "k", "1");
        assertTrue(error(jedis, "NOSUCHCMD", "a").startsWith("ERR unknown command 'NOSUCHCMD'"));
        assertEquals(abort, error(jedis, "EXEC"));
        assertNull(jedis.get("k"));

        call(jedis, "MULTI");
        assertEquals("ERR wrong number of arguments for 'get' command", error(jedis, "GET"));
        call(jedis, "SET", "k", "1");
        assertEquals(abort, error(jedis, "EXEC"));

        call(jedis, "MULTI");
        assertEquals("ERR unknown subcommand 'nope'. Try CONFIG HELP.", error(jedis, "CONFIG", "nope"));
        assertEquals(abort, error(jedis, "EXEC"));

        call(jedis, "MULTI");
        assertEquals("ERR Command not allowed inside a transaction", error(jedis, "SHUTDOWN"));
        assertEquals(abort, error(jedis, "EXEC"));
        assertNull(jedis.get("k"));
        assertEquals("ERR EXEC without MULTI", error(jedis, "EXEC"), "EXECABORT ends the transaction");

        call(jedis, "MULTI");
        assertEquals("ERR wrong number of arguments for 'discard' command", error(jedis, "DISCARD", "x"));
        assertEquals(abort, error(jedis, "EXEC"));

        call(jedis, "MULTI");
        call(jedis, "SET", "k", "1");
        assertEquals("EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command",
                error(jedis, "EXEC", "x"), "a refused EXEC discards at once");
        assertEquals("ERR EXEC without MULTI", error(jedis, "EXEC"));
        assertNull(jedis.get("k"));
    }

    @Test
    void nestedMultiAndWatchInsideMultiAreErrorsThatDoNotAbort() {
        call(jedis, "MULTI");
        assertEquals("ERR MULTI calls can not be nested", error(jedis, "MULTI"));
        assertEquals("ERR WATCH inside MULTI is not allowed", error(jedis, "WATCH", "k"));
        call(jedis, "SET", "k", "v");
        assertEquals("QUEUED", call(jedis, "UNWATCH"));
        assertEquals(list("OK", "OK"), call(jedis, "EXEC"));
        assertEquals("v", jedis.get("k"));
    }

    @Test
    void selectInsideMultiMovesLaterCommandsAndTheConnection() {
        call(jedis, "MULTI");
        call(jedis, "SELECT", "1");
        call(jedis, "SET", "a", "1");
        call(jedis, "SELECT", "99");
        call(jedis, "INCR", "a");
        @SuppressWarnings("unchecked")
        List<Object> reply = (List<Object>) jedis.sendCommand(() -> "EXEC".getBytes());
        assertEquals("OK", new String((byte[]) reply.get(0)));
        assertEquals("ERR DB index is out of range", ((JedisDataException) reply.get(2)).getMessage());
        assertEquals(2L, reply.get(3));
        assertEquals("2", jedis.get("a"), "the connection stays in db 1 after EXEC");
        jedis.select(0);
        assertNull(jedis.get("a"));
    }

    @Test
    void pipelinedMultiExec() throws Exception {
        try (RawClient raw = new RawClient(server.port())) {
            raw.send("MULTI");
            raw.send("SET", "p", "1");
            raw.send("INCRBY", "p", "41");
            raw.send("GET", "p");
            raw.send("EXEC");
            raw.send("GET", "p");
            assertEquals("OK", raw.read());
            assertEquals("QUEUED", raw.read());
            assertEquals("QUEUED", raw.read());
            assertEquals("QUEUED", raw.read());
            assertEquals(List.of("OK", 42L, "42"), raw.read());
            assertEquals("42", raw.read());
        }
    }

    @Test
    void resetAndQuitInsideMulti() throws Exception {
        call(jedis, "MULTI");
        call(jedis, "SET", "k", "1");
        assertEquals("RESET", call(jedis, "RESET"));
        assertEquals("ERR EXEC without MULTI", error(jedis, "EXEC"));
        assertNull(jedis.get("k"));
        try (RawClient raw = new RawClient(server.port())) {
            raw.call("MULTI");
            raw.call("SET", "q", "1");
            assertEquals("OK", raw.call("QUIT"));
            assertTrue(raw.closedByServer());
        }
        assertNull(jedis.get("q"));
    }

    @Test
    void clientReplyOffHidesQueuedReplies() throws Exception {
        try (RawClient raw = new RawClient(server.port())) {
            raw.send("CLIENT", "REPLY", "OFF");
            raw.send("MULTI");
            raw.send("SET", "r", "1");
            raw.send("EXEC");
            raw.send("CLIENT", "REPLY", "ON");
            assertEquals("OK", raw.read(), "only CLIENT REPLY ON answers");
            assertEquals("1", raw.call("GET", "r"));
        }
    }

    @Test
    void clientListShowsMultiState() {
        try (Jedis other = server.jedis()) {
            call(other, "CLIENT", "SETNAME", "tx");
            call(other, "MULTI");
            call(other, "PING");
            call(other, "PING");
            String line = jedis.clientList().lines().filter(l -> l.contains("name=tx ")).findFirst().orElseThrow();
            assertTrue(line.contains(" flags=x "), line);
            assertTrue(line.contains(" multi=2 "), line);
            call(other, "DISCARD");
            line = jedis.clientList().lines().filter(l -> l.contains("name=tx ")).findFirst().orElseThrow();
            assertTrue(line.contains(" flags=N ") && line.contains(" multi=-1 "), line);
        }
    }

    @Test
    void clientPauseWriteHoldsExecOfWrites() throws Exception {
        try (RawClient raw = new RawClient(server.port())) {
            raw.call("MULTI");
            raw.call("SET", "paused", "1");
            call(jedis, "CLIENT", "PAUSE", "20000", "WRITE");
            try {
                raw.send("EXEC");
                long deadline = System.currentTimeMillis() + 10_000;
                while (server.server().context().pause().postponedCount() == 0) {
                    assertTrue(System.currentTimeMillis() < deadline, "EXEC was not postponed");
                    Thread.sleep(5);
                }
                assertNull(jedis.get("paused"));
            } finally {
                call(jedis, "CLIENT", "UNPAUSE");
            }
            assertEquals(List.of("OK"), raw.read());
            assertEquals("1", jedis.get("paused"));
        }
    }

    @Test
    void commandTableEntries() {
        assertEquals(list(list("multi", 1L, list("noscript", "loading", "stale", "fast", "allow_busy"),
                        0L, 0L, 0L, list("@fast", "@transaction"), list(), list(), list())),
                call(jedis, "COMMAND", "INFO", "multi"));
        @SuppressWarnings("unchecked")
        List<Object> watch = (List<Object>) ((List<Object>) call(jedis, "COMMAND", "INFO", "watch")).get(0);
        assertEquals(list("watch", -2L), watch.subList(0, 2));
        assertEquals(list(1L, -1L, 1L), watch.subList(3, 6));
        assertEquals(list("a", "b"), call(jedis, "COMMAND", "GETKEYS", "WATCH", "a", "b"));
    }
}
