package io.redraft.command;

import io.redraft.testing.RawClient;
import io.redraft.testing.ServerTestBase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.redraft.testing.Raw.call;
import static io.redraft.testing.Raw.error;
import static io.redraft.testing.Raw.list;
import static org.junit.jupiter.api.Assertions.*;

/**
 * BLPOP and friends against a live server: one connection blocks, another writes. Waiting for a
 * client to be blocked polls INFO blocked_clients (the server's own view), never a fixed sleep.
 */
@Timeout(120)
class BlockingCommandsTest extends ServerTestBase {
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final List<AutoCloseable> clients = new ArrayList<>();

    @BeforeEach
    void noBlockedLeft() throws Exception {
        awaitBlocked(0);
    }

    @AfterEach
    void closeClients() throws Exception {
        for (AutoCloseable c : clients) {
            c.close();
        }
        pool.shutdownNow();
    }

    private Jedis client() {
        Jedis j = server.jedis();
        clients.add(j);
        return j;
    }

    private RawClient raw() throws Exception {
        RawClient r = new RawClient(server.port());
        clients.add(r);
        return r;
    }

    /** Sends argv on its own connection from another thread; the future holds the reply. */
    private Future<Object> async(String... argv) {
        Jedis j = client();
        return pool.submit(() -> call(j, argv));
    }

    private Object get(Future<Object> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    private long blockedClients() {
        String info = jedis.info("clients");
        for (String line : info.split("\r\n")) {
            if (line.startsWith("blocked_clients:")) {
                return Long.parseLong(line.substring("blocked_clients:".length()));
            }
        }
        throw new AssertionError("no blocked_clients in " + info);
    }

    private void awaitBlocked(long n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (blockedClients() != n) {
            assertTrue(System.nanoTime() < deadline, "blocked_clients never reached " + n);
            Thread.sleep(2);
        }
    }

    // ---- each command, served by another connection's write -----------------------------------

    @Test
    void blpopAndBrpopServedByPush() throws Exception {
        Future<Object> left = async("BLPOP", "a", "b", "0");
        awaitBlocked(1);
        jedis.rpush("b", "x", "y");
        assertEquals(list("b", "x"), get(left));
        Future<Object> right = async("BRPOP", "b", "0");
        assertEquals(list("b", "y"), get(right), "data present: served at once");
        Future<Object> right2 = async("BRPOP", "c", "0");
        awaitBlocked(1);
        jedis.lpush("c", "1", "2");
        assertEquals(list("c", "1"), get(right2));
        assertEquals(List.of("2"), jedis.lrange("c", 0, -1));
    }

    @Test
    void brpoplpushAndBlmoveServedByPush() throws Exception {
        Future<Object> f = async("BRPOPLPUSH", "src", "dst", "0");
        awaitBlocked(1);
        jedis.rpush("src", "a", "b");
        assertEquals("b", get(f));
        assertEquals(List.of("b"), jedis.lrange("dst", 0, -1));
        jedis.del("src");
        Future<Object> g = async("BLMOVE", "src", "dst", "LEFT", "RIGHT", "0");
        awaitBlocked(1);
        jedis.rpush("src", "c", "d");
        assertEquals("c", get(g));
        assertEquals(List.of("b", "c"), jedis.lrange("dst", 0, -1));
        assertEquals(List.of("d"), jedis.lrange("src", 0, -1));
    }

    @Test
    void blmpopServedByPushWithCount() throws Exception {
        Future<Object> f = async("BLMPOP", "0", "2", "l1", "l2", "RIGHT", "COUNT", "2");
        awaitBlocked(1);
        jedis.rpush("l2", "a", "b", "c");
        assertEquals(list("l2", list("c", "b")), get(f));
        assertEquals(list("l2", list("a")), get(async("BLMPOP", "0", "2", "l1", "l2", "LEFT", "COUNT", "5")));
        assertFalse(jedis.exists("l2"));
    }

    @Test
    void bzpopminBzpopmaxServedByZadd() throws Exception {
        Future<Object> min = async("BZPOPMIN", "z1", "z2", "0");
        awaitBlocked(1);
        jedis.zadd("z2", 2, "two");
        assertEquals(list("z2", "two", "2"), get(min));
        Future<Object> max = async("BZPOPMAX", "z1", "0");
        awaitBlocked(1);
        call(jedis, "ZADD", "z1", "1", "one", "3", "three");
        assertEquals(list("z1", "three", "3"), get(max));
        assertEquals(List.of("one"), jedis.zrange("z1", 0, -1));
    }

    @Test
    void bzmpopServedByZadd() throws Exception {
        Future<Object> f = async("BZMPOP", "0", "2", "z1", "z2", "MIN", "COUNT", "2");
        awaitBlocked(1);
        call(jedis, "ZADD", "z1", "1", "a", "2", "b", "3", "c");
        assertEquals(list("z1", list(list("a", "1"), list("b", "2"))), get(f));
    }

    @Test
    void wokenByRenameAndRestoreToo() throws Exception {
        Future<Object> f = async("BLPOP", "target", "0");
        awaitBlocked(1);
        jedis.rpush("other", "moved");
        jedis.rename("other", "target");
        assertEquals(list("target", "moved"), get(f));

        jedis.rpush("tmp", "restored");
        byte[] dump = jedis.dump("tmp".getBytes());
        Future<Object> g = async("BLPOP", "target", "0");
        awaitBlocked(1);
        jedis.restore("target".getBytes(), 0, dump);
        assertEquals(list("target", "restored"), get(g));
    }

    @Test
    void aKeyOfAnotherTypeDoesNotWakeAndStaysWaiting() throws Exception {
        Future<Object> f = async("BLPOP", "k", "0");
        awaitBlocked(1);
        jedis.zadd("k", 1, "m"); // a sorted set: BLPOP keeps waiting
        jedis.set("s", "v");
        assertEquals(1, blockedClients());
        jedis.del("k");
        jedis.rpush("k", "v");
        assertEquals(list("k", "v"), get(f));
    }

    // ---- order, chaining, timeouts ------------------------------------------------------------

    @Test
    void waitersAreServedFirstComeFirstServed() throws Exception {
        Future<Object> first = async("BLPOP", "q", "0");
        awaitBlocked(1);
        Future<Object> second = async("BLPOP", "q", "0");
        awaitBlocked(2);
        Future<Object> third = async("BLPOP", "q", "0");
        awaitBlocked(3);
        jedis.rpush("q", "1", "2");
        assertEquals(list("q", "1"), get(first));
        assertEquals(list("q", "2"), get(second));
        assertEquals(1, blockedClients());
        jedis.rpush("q", "3");
        assertEquals(list("q", "3"), get(third));
        assertFalse(jedis.exists("q"));
    }

    @Test
    void blmoveChainsIntoAnotherWaiter() throws Exception {
        Future<Object> mover = async("BLMOVE", "a", "b", "LEFT", "LEFT", "0");
        awaitBlocked(1);
        Future<Object> popper = async("BLPOP", "b", "0");
        awaitBlocked(2);
        jedis.rpush("a", "x");
        assertEquals("x", get(mover));
        assertEquals(list("b", "x"), get(popper));
        assertFalse(jedis.exists("a"));
        assertFalse(jedis.exists("b"));
    }

    @Test
    void blmoveToADestinationOfAnotherTypeFailsTheWaiterAndKeepsTheElement() throws Exception {
        jedis.set("dst", "string");
        Future<Object> f = async("BLMOVE", "src", "dst", "LEFT", "LEFT", "0");
        awaitBlocked(1);
        jedis.rpush("src", "x");
        Exception e = assertThrows(Exception.class, () -> get(f));
        assertTrue(e.getMessage().contains("WRONGTYPE"), e.getMessage());
        assertEquals(List.of("x"), jedis.lrange("src", 0, -1));
    }

    @Test
    void subSecondTimeout() throws Exception {
        RawClient r = raw();
        long start = System.nanoTime();
        r.send("BLPOP", "nokey", "0.3");
        assertNull(r.read());
        assertEquals('*', r.lastType(), "a timed-out BLPOP answers a null array");
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(ms >= 290, "timed out after " + ms + " ms");
        assertTrue(ms < 10_000, "timed out after " + ms + " ms");
        awaitBlocked(0);
    }

    @Test
    void everyCommandTimesOutWithANullArray() throws Exception {
        RawClient r = raw();
        String[][] cmds = {
                {"BLPOP", "k", "0.01"}, {"BRPOP", "k", "0.01"}, {"BRPOPLPUSH", "k", "d", "0.01"},
                {"BLMOVE", "k", "d", "LEFT", "RIGHT", "0.01"}, {"BLMPOP", "0.01", "1", "k", "LEFT"},
                {"BZPOPMIN", "k", "0.01"}, {"BZPOPMAX", "k", "0.01"}, {"BZMPOP", "0.01", "1", "k", "MAX"}};
        for (String[] c : cmds) {
            assertNull(r.call(c), c[0]);
            assertEquals('*', r.lastType(), c[0] + " (Redis 7.0 answers *-1 for all, checked with redis-server)");
        }
    }

    @Test
    void laterCommandsOfABlockedClientWaitForIt() throws Exception {
        RawClient r = raw();
        r.send("BLPOP", "k", "0");
        r.send("PING");
        awaitBlocked(1);
        jedis.rpush("k", "v");
        assertEquals(List.of("k", "v"), r.read());
        assertEquals("PONG", r.read());
    }

    @Test
    void resp3Replies() throws Exception {
        // As redis-server 7.0.15 answers over RESP3: the score a double, a timeout a null.
        RawClient r = raw();
        r.call("HELLO", "3");
        Future<Object> f = pool.submit(() -> r.call("BZPOPMIN", "z", "0"));
        awaitBlocked(1);
        jedis.zadd("z", 1.5, "m");
        assertEquals(List.of("z", "m", 1.5), get(f));
        assertNull(r.call("BLMOVE", "a", "b", "LEFT", "LEFT", "0.01"));
        assertEquals('_', r.lastType());
    }

    // ---- CLIENT UNBLOCK, disconnects, CLIENT LIST ------------------------------------------------

    @Test
    void clientUnblockTimeoutAndError() throws Exception {
        RawClient r = raw();
        long id = (Long) r.call("CLIENT", "ID");
        assertEquals(0L, jedis.clientUnblock(id), "not blocked");
        r.send("BLPOP", "k", "0");
        awaitBlocked(1);
        assertTrue(jedis.clientList().contains("id=" + id + " "), "listed");
        assertTrue(clientLine(id).contains(" flags=b "), clientLine(id));
        assertTrue(jedis.info("clients").contains("clients_in_timeout_table:0\r\n"), "blocked forever: no timer");
        assertEquals(1L, call(jedis, "CLIENT", "UNBLOCK", String.valueOf(id), "TIMEOUT"));
        assertNull(r.read());
        assertEquals('*', r.lastType());
        assertTrue(clientLine(id).contains(" flags=N "), clientLine(id));

        r.send("BZPOPMIN", "z", "0");
        awaitBlocked(1);
        assertEquals(1L, call(jedis, "CLIENT", "UNBLOCK", String.valueOf(id), "ERROR"));
        Object reply = r.read();
        assertEquals(new RawClient.Error("UNBLOCKED client unblocked via CLIENT UNBLOCK"), reply);
        assertEquals(0, blockedClients());
        assertEquals("PONG", r.call("PING"), "the client goes on after being unblocked");
        assertEquals(0L, call(jedis, "CLIENT", "UNBLOCK", "999999"));
    }

    @Test
    void clientUnblockErrors() {
        // Texts and order checked against redis-server 7.0.15: the reason before the id.
        assertEquals("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR", error(jedis, "CLIENT", "UNBLOCK", "abc", "foo"));
        assertEquals("ERR value is not an integer or out of range", error(jedis, "CLIENT", "UNBLOCK", "abc"));
        assertEquals("ERR unknown subcommand or wrong number of arguments for 'UNBLOCK'. Try CLIENT HELP.",
                error(jedis, "CLIENT", "UNBLOCK", "1", "timeout", "x"));
        assertEquals("ERR wrong number of arguments for 'client|unblock' command", error(jedis, "CLIENT", "UNBLOCK"));
    }

    private String clientLine(long id) {
        for (String line : jedis.clientList().split("\n")) {
            if (line.startsWith("id=" + id + " ")) {
                return line;
            }
        }
        throw new AssertionError("client " + id + " not listed");
    }

    @Test
    void aDisconnectedWaiterDoesNotStealALaterPush() throws Exception {
        RawClient gone = raw();
        gone.send("BLPOP", "k", "0");
        awaitBlocked(1);
        gone.close();
        awaitBlocked(0);
        Future<Object> f = async("BLPOP", "k", "0");
        awaitBlocked(1);
        jedis.rpush("k", "v");
        assertEquals(list("k", "v"), get(f));
        assertFalse(jedis.exists("k"));
    }

    @Test
    void theIdleTimeoutSparesBlockedClients() throws Exception {
        try (io.redraft.testing.TestServer idle = io.redraft.testing.TestServer.start("timeout", "1");
             RawClient blocked = new RawClient(idle.port())) {
            blocked.send("BLPOP", "k", "0");
            // Past the idle timeout (1 s, checked each second), as Redis exempts blocked clients.
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2500);
            while (System.nanoTime() < until) {
                Thread.sleep(50); // waiting for time itself to pass: nothing to poll
            }
            try (Jedis writer = idle.jedis()) { // connected now: an idle one would be closed too
                writer.rpush("k", "v");
            }
            assertEquals(List.of("k", "v"), blocked.read());
        }
    }

    // ---- not blocking: data present, MULTI-like contexts, errors -----------------------------------

    @Test
    void insideMultiTheyDoNotBlock() throws Exception {
        // As redis-server 7.0.15: the timeout counts as expired, BLMOVE/BRPOPLPUSH answer a null
        // bulk, the others a null array; with data they pop.
        RawClient r = raw();
        assertEquals("OK", r.call("MULTI"));
        r.call("BLPOP", "k", "0");
        r.call("BLMOVE", "a", "b", "LEFT", "LEFT", "0");
        r.call("RPUSH", "k", "v");
        r.call("BLPOP", "k", "0");
        r.call("BZMPOP", "0", "1", "z", "MIN");
        assertEquals(list(null, null, 1L, List.of("k", "v"), null), r.call("EXEC"));
        assertEquals(0, blockedClients());
    }

    @Test
    void dataPresentOrWrongType() {
        jedis.rpush("l", "a", "b");
        jedis.set("s", "v");
        assertEquals(list("l", "a"), call(jedis, "BLPOP", "missing", "l", "0"));
        assertEquals("WRONGTYPE Operation against a key holding the wrong kind of value",
                error(jedis, "BLPOP", "missing", "s", "l", "0"));
        assertEquals(list("l", "b"), call(jedis, "BLPOP", "l", "s", "0"), "the first key with data wins");
        assertEquals("WRONGTYPE Operation against a key holding the wrong kind of value",
                error(jedis, "BZPOPMIN", "s", "0"));
        assertEquals("WRONGTYPE Operation against a key holding the wrong kind of value",
                error(jedis, "BLMOVE", "s", "d", "LEFT", "LEFT", "0"));
    }

    @Test
    void timeoutErrorsAsRedis70() {
        // Checked against redis-server 7.0.15: ceil(seconds * 1000) as long double, an overflow
        // (infinity, 1e16 s) converts to LLONG_MIN and reads as negative; no "out of range" text.
        String notFloat = "ERR timeout is not a float or out of range";
        String negative = "ERR timeout is negative";
        assertEquals(negative, error(jedis, "BLPOP", "k", "-1"));
        assertEquals(negative, error(jedis, "BRPOP", "k", "-0.5"));
        assertEquals(negative, error(jedis, "BLPOP", "k", "inf"));
        assertEquals(negative, error(jedis, "BLPOP", "k", "-inf"));
        assertEquals(negative, error(jedis, "BLPOP", "k", "1e16"));
        assertEquals(notFloat, error(jedis, "BLPOP", "k", "abc"));
        assertEquals(notFloat, error(jedis, "BLPOP", "k", "nan"));
        assertEquals(notFloat, error(jedis, "BLPOP", "k", " 1"));
        assertEquals(notFloat, error(jedis, "BZPOPMIN", "k", "1 "));
        assertEquals(negative, error(jedis, "BLMOVE", "a", "b", "LEFT", "LEFT", "-1"));
        assertEquals("ERR syntax error", error(jedis, "BLMOVE", "a", "b", "UP", "LEFT", "-1"), "directions first");
        assertEquals(negative, error(jedis, "BRPOPLPUSH", "a", "b", "-1"));
        assertEquals(negative, error(jedis, "BLMPOP", "-1", "0", "a", "LEFT"), "timeout before numkeys");
        assertEquals("ERR numkeys should be greater than 0", error(jedis, "BLMPOP", "1", "0", "a", "LEFT"));
        assertEquals("ERR syntax error", error(jedis, "BLMPOP", "1", "5", "a", "LEFT"));
        assertEquals(negative, error(jedis, "BZMPOP", "-1", "1", "a", "MIN"));
        assertEquals("ERR count should be greater than 0", error(jedis, "BZMPOP", "1", "1", "a", "MIN", "COUNT", "0"));
    }

    @Test
    void zeroAndTinyTimeouts() throws Exception {
        // "0" blocks forever; "-0.0001" rounds up to 0 and blocks forever too (Redis 7.0.15 does).
        for (String t : new String[]{"0", "-0.0001"}) {
            RawClient r = raw();
            r.send("BLPOP", "k", t);
            awaitBlocked(1);
            jedis.rpush("k", t);
            assertEquals(List.of("k", t), r.read());
            awaitBlocked(0);
        }
        RawClient r = raw();
        assertNull(r.call("BLPOP", "k", "0.0001"), "rounds up to 1 ms");
    }

    @Test
    void infoAndCommandMetadata() throws Exception {
        assertEquals(0, blockedClients());
        Future<Object> f = async("BLPOP", "k", "0");
        Future<Object> g = async("BZPOPMAX", "z", "0");
        awaitBlocked(2);
        jedis.rpush("k", "v");
        jedis.zadd("z", 1, "m");
        get(f);
        get(g);
        awaitBlocked(0);
        @SuppressWarnings("unchecked")
        List<Object> info = (List<Object>) ((List<Object>) call(jedis, "COMMAND", "INFO", "blpop")).get(0);
        assertEquals(list("blpop", -3L, list("write", "noscript", "blocking"), 1L, -2L, 1L), info.subList(0, 6));
        @SuppressWarnings("unchecked")
        List<Object> bzmpop = (List<Object>) ((List<Object>) call(jedis, "COMMAND", "INFO", "bzmpop")).get(0);
        assertEquals(list("bzmpop", -5L), bzmpop.subList(0, 2));
        assertEquals(list("k1", "k2"), call(jedis, "COMMAND", "GETKEYS", "BLMPOP", "0", "2", "k1", "k2", "LEFT"));
    }
}
