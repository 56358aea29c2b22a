package io.redraft.command;

import io.redraft.testing.ServerTestBase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;

import java.util.List;
import java.util.function.Consumer;

import static io.redraft.testing.Raw.call;
import static io.redraft.testing.Raw.list;
import static org.junit.jupiter.api.Assertions.*;

/**
 * WATCH as redis-server 7.0.15 answers it (each case was run against it): a change by anyone,
 * including the watcher itself, after WATCH makes EXEC reply a null array; a key live at WATCH
 * that expires counts as changed; a key already expired at WATCH counts as absent; FLUSH and
 * SWAPDB touch only keys they actually remove or bring.
 */
@Timeout(60)
class WatchTest extends ServerTestBase {
    private Jedis other;

    @BeforeEach
    void second() {
        other = server.jedis();
    }

    @AfterEach
    void closeSecond() {
        other.close();
    }

    /** WATCH key, let other do something, then MULTI PING EXEC: true if EXEC ran. */
    private boolean execAfter(String key, Consumer<Jedis> meanwhile) {
        assertEquals("OK", call(jedis, "WATCH", key));
        meanwhile.accept(other);
        call(jedis, "MULTI");
        call(jedis, "PING");
        Object reply = call(jedis, "EXEC");
        if (reply == null) {
            return false;
        }
        assertEquals(List.of("PONG"), reply);
        return true;
    }

    @Test
    void untouchedKeyExecutes() {
        jedis.set("k", "1");
        assertTrue(execAfter("k", o -> o.set("unrelated", "1")));
        assertTrue(execAfter("missing", o -> o.get("missing")));
        assertTrue(execAfter("missing", o -> o.del("missing")), "deleting a missing key changes nothing");
    }

    @Test
    void modifiedKeyAborts() {
        jedis.set("k", "1");
        assertFalse(execAfter("k", o -> o.set("k", "2")));
        assertFalse(execAfter("k", o -> o.set("k", "2")), "even the same value");
        assertFalse(execAfter("k", o -> o.expire("k", 100)));
        assertFalse(execAfter("k", o -> o.del("k")));
        assertFalse(execAfter("k", o -> o.set("k", "created")), "a missing key that gets created");
        assertFalse(execAfter("gone", o -> {
            o.set("gone", "1");
            o.del("gone");
        }), "created and deleted again");
        o2Rename();
    }

    private void o2Rename() {
        jedis.set("src", "v");
        assertFalse(execAfter("dst", o -> o.rename("src", "dst")));
        assertFalse(execAfter("dst", o -> o.rename("dst", "src")), "renamed away");
    }

    @Test
    void noOpWriteDoesNotAbort() {
        jedis.sadd("s", "a");
        assertTrue(execAfter("s", o -> o.sadd("s", "a")));
    }

    @Test
    void ownChangesAbortButNotThoseInsideTheTransaction() {
        call(jedis, "WATCH", "k");
        jedis.set("k", "mine");
        call(jedis, "MULTI");
        call(jedis, "PING");
        assertNull(call(jedis, "EXEC"));

        call(jedis, "WATCH", "k");
        call(jedis, "MULTI");
        call(jedis, "SET", "k", "in-tx");
        assertEquals(List.of("OK"), call(jedis, "EXEC"));
    }

    @Test
    void execAndDiscardAndUnwatchForgetWatchedKeys() {
        call(jedis, "WATCH", "k");
        call(jedis, "MULTI");
        call(jedis, "EXEC");
        other.set("k", "2");
        call(jedis, "MULTI");
        call(jedis, "PING");
        assertEquals(List.of("PONG"), call(jedis, "EXEC"), "EXEC unwatched k");

        call(jedis, "WATCH", "k");
        call(jedis, "MULTI");
        call(jedis, "DISCARD");
        other.set("k", "3");
        call(jedis, "MULTI");
        assertEquals(List.of(), call(jedis, "EXEC"), "DISCARD unwatched k");

        call(jedis, "WATCH", "k");
        call(jedis, "UNWATCH");
        other.set("k", "4");
        call(jedis, "MULTI");
        assertEquals(List.of(), call(jedis, "EXEC"));
    }

    @Test
    void watchIsPerDatabase() {
        call(jedis, "SELECT", "1");
        call(jedis, "WATCH", "x");
        call(jedis, "SELECT", "0");
        other.set("x", "db0");
        call(jedis, "MULTI");
        call(jedis, "PING");
        assertEquals(List.of("PONG"), call(jedis, "EXEC"));

        call(jedis, "SELECT", "1");
        call(jedis, "WATCH", "x");
        call(jedis, "SELECT", "0");
        other.select(1);
        other.set("x", "db1");
        call(jedis, "MULTI");
        assertNull(call(jedis, "EXEC"));
    }

    @Test
    void keyExpiringAfterWatchAborts() throws Exception {
        call(jedis, "DEBUG", "SET-ACTIVE-EXPIRE", "0");
        try {
            jedis.psetex("t", 300, "v");
            call(jedis, "WATCH", "t");
            waitUntilExpired("t");
            call(jedis, "MULTI");
            call(jedis, "PING");
            assertNull(call(jedis, "EXEC"), "expired, not yet deleted");
        } finally {
            call(jedis, "DEBUG", "SET-ACTIVE-EXPIRE", "1");
        }
        jedis.psetex("t", 300, "v");
        call(jedis, "WATCH", "t");
        waitUntilExpired("t");
        other.del("t"); // deletes it as expired
        call(jedis, "MULTI");
        assertNull(call(jedis, "EXEC"), "expired and deleted");
    }

    @Test
    void keyAlreadyExpiredAtWatchCountsAsAbsent() throws Exception {
        call(jedis, "DEBUG", "SET-ACTIVE-EXPIRE", "0");
        try {
            jedis.psetex("stale", 50, "v");
            waitUntilExpired("stale");
            assertTrue(execAfter("stale", o -> { }));
            jedis.psetex("stale", 50, "v");
            waitUntilExpired("stale");
            assertTrue(execAfter("stale", o -> o.del("stale")), "its deletion changes nothing");
            jedis.psetex("stale", 50, "v");
            waitUntilExpired("stale");
            assertFalse(execAfter("stale", o -> o.set("stale", "new")));
            jedis.psetex("stale", 50, "v");
            waitUntilExpired("stale");
            assertTrue(execAfter("stale", Jedis::flushDB));
        } finally {
            call(jedis, "DEBUG", "SET-ACTIVE-EXPIRE", "1");
        }
    }

    private void waitUntilExpired(String key) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (other.exists(key)) {
            assertTrue(System.currentTimeMillis() < deadline, key + " never expired");
            Thread.sleep(10);
        }
    }

    @Test
    void flushTouchesOnlyKeysItRemoves() {
        jedis.set("k", "1");
        assertFalse(execAfter("k", Jedis::flushAll));
        jedis.set("k", "1");
        assertFalse(execAfter("k", Jedis::flushDB));
        jedis.set("y", "1");
        assertTrue(execAfter("x", Jedis::flushAll), "x did not exist");
        assertTrue(execAfter("x", o -> {
            o.set("y", "2");
            o.flushAll();
        }), "another key changed, then the flush");
        assertFalse(execAfter("x", o -> {
            o.set("x", "1");
            o.flushAll();
        }), "x created, then flushed");
        jedis.set("k", "1");
        assertTrue(execAfter("k", o -> {
            o.select(1);
            o.flushDB();
        }), "another database flushed");
    }

    @Test
    void swapdbTouchesKeysPresentInEitherDatabase() {
        jedis.set("k", "1");
        assertFalse(execAfter("k", o -> o.swapDB(0, 1)), "k swapped away");
        jedis.flushAll();
        other.select(1);
        other.set("x", "1");
        assertFalse(execAfter("x", o -> o.swapDB(0, 1)), "x swapped in");
        jedis.flushAll();
        other.set("y", "1");
        assertTrue(execAfter("x", o -> o.swapDB(0, 1)), "neither database has x");
    }

    @Test
    void watchTwiceKeepsTheFirstWatch() {
        jedis.set("k", "1");
        call(jedis, "WATCH", "k");
        other.set("k", "2");
        call(jedis, "WATCH", "k"); // does not refresh: Redis keeps the first
        call(jedis, "MULTI");
        assertNull(call(jedis, "EXEC"));
    }

    @Test
    void jedisTransactionDiscardedByWatch() {
        jedis.set("balance", "10");
        jedis.watch("balance");
        int balance = Integer.parseInt(jedis.get("balance"));
        other.set("balance", "0");
        Transaction t = jedis.multi();
        t.set("balance", String.valueOf(balance - 5));
        assertNull(t.exec());
        assertEquals("0", jedis.get("balance"));
        assertEquals(list("OK"), list(execAgain()));
    }

    private Object execAgain() {
        jedis.watch("balance");
        Transaction t = jedis.multi();
        t.set("balance", "5");
        return t.exec().get(0);
    }
}
