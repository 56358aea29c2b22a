package io.redraft.durability;

import static org.junit.jupiter.api.Assertions.*;

import io.redraft.testing.ServerPerClass;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

/**
 * The crash test's checker must be able to fail: each way a server could lose or invent a write is
 * played on an in-process server, and the model must name it; in-flight writes that did or did not
 * apply must pass and be adopted.
 */
@Timeout(60)
class WriterModelTest extends ServerPerClass {
    private Jedis j;
    private WriterModel model;

    @BeforeEach
    void fresh() {
        j = server.jedis();
        j.flushAll();
        model = new WriterModel(7);
    }

    @AfterEach
    void close() {
        j.close();
    }

    private void set(String key, String value, boolean acked) {
        int at = model.setSent(key, value);
        j.set(key, value);
        if (acked) model.setAcked(key, at);
    }

    private List<String> check() {
        List<String> problems = new ArrayList<>();
        model.checkAndResolve(j, problems);
        return problems;
    }

    @Test
    void acknowledgedAndInFlightWritesPass() {
        set("s:7:0", "a", true);
        set("s:7:0", "b", false); // in flight at the crash, applied
        model.setSent("s:7:1", "c"); // in flight, not applied
        for (int i = 1; i <= 3; i++) {
            j.incr(model.counterKey());
            model.incrAcked(model.incrSent());
        }
        model.incrSent(); // in flight, not applied
        j.rpush(model.listKey(), "x");
        model.pushAcked(model.pushSent("x"));
        model.pushSent("y"); // in flight, not applied
        assertEquals(List.of(), check());
        // adopted: the applied in-flight SET is now acknowledged, the others are forgotten
        assertEquals(Set.of("s:7:0", model.counterKey(), model.listKey()), model.keys());
        j.del("s:7:0");
        assertEquals(1, check().size(), "b is now required");
    }

    @Test
    void aLostAcknowledgedSetIsReported() {
        set("s:7:0", "a", true);
        set("s:7:0", "b", true);
        j.set("s:7:0", "a"); // as if the second SET was lost
        List<String> problems = check();
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).contains("lost an acknowledged write"), problems.get(0));
    }

    @Test
    void aMissingAcknowledgedKeyIsReported() {
        set("u:7:1", "a", true);
        j.del("u:7:1");
        assertTrue(check().get(0).contains("lost an acknowledged write"));
    }

    @Test
    void aValueNeverSentIsReported() {
        set("s:7:0", "a", false);
        j.set("s:7:0", "zzz");
        assertTrue(check().get(0).contains("a value never sent"));
    }

    @Test
    void aCounterOutsideItsRangeIsReported() {
        model.incrAcked(model.incrSent());
        model.incrAcked(model.incrSent());
        j.set(model.counterKey(), "1");
        assertTrue(check().get(0).contains("expected between 2"));
        j.set(model.counterKey(), "3");
        assertTrue(check().get(0).contains("and 2 (sent)"));
    }

    @Test
    void aListThatLostOrReorderedPushesIsReported() {
        for (String v : List.of("a", "b", "c")) {
            j.rpush(model.listKey(), v);
            model.pushAcked(model.pushSent(v));
        }
        j.lset(model.listKey(), 1, "c");
        j.lset(model.listKey(), 2, "b");
        assertTrue(check().get(0).contains("position 1"));
        j.rpop(model.listKey());
        assertFalse(check().isEmpty(), "shorter than acknowledged");
    }
}
