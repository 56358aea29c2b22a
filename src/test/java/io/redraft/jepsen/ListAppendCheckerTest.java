package io.redraft.jepsen;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The list-append checker accepts a valid history and names each kind of anomaly. */
@Timeout(30)
class ListAppendCheckerTest {
    private static final String K = "l";

    private static Op append(String v, long from, long to, long length) {
        return Op.ok(1, Op.F.APPEND, K, v, from, to, length);
    }

    private static Op read(long from, long to, String... values) {
        return Op.ok(2, Op.F.READ_LIST, K, null, from, to, List.of(values));
    }

    private static List<String> check(List<Op> ops, String... fin) {
        return ListAppendChecker.check(ops, Map.of(K, List.of(fin)));
    }

    private static List<Op> valid() {
        List<Op> ops = new ArrayList<>();
        ops.add(append("a", 0, 10, 1));
        ops.add(read(5, 8));
        ops.add(read(12, 20, "a"));
        ops.add(Op.info(3, Op.F.APPEND, K, "b", 20, 30, "TIMEOUT"));
        ops.add(append("c", 25, 40, 3));
        ops.add(read(41, 50, "a", "b", "c"));
        ops.add(Op.fail(3, Op.F.APPEND, K, "d", 50, 60, "CLUSTERDOWN"));
        return ops;
    }

    @Test
    void aValidHistoryPasses() {
        assertEquals(List.of(), check(valid(), "a", "b", "c"));
    }

    @Test
    void aLostAcknowledgedAppendIsFound() {
        assertTrue(check(valid(), "a", "b").stream().anyMatch(s -> s.contains("lost")));
    }

    @Test
    void aDuplicatedAppendIsFound() {
        assertTrue(check(valid(), "a", "b", "c", "c").stream().anyMatch(s -> s.contains("twice")));
    }

    @Test
    void aValueNeverWrittenIsFound() {
        assertTrue(check(valid(), "a", "b", "c", "zz").stream().anyMatch(s -> s.contains("no append wrote")));
    }

    @Test
    void aFailedAppendThatTookEffectIsFound() {
        assertTrue(check(valid(), "a", "b", "c", "d").stream().anyMatch(s -> s.contains("failed for certain")));
    }

    @Test
    void anAppendAtAnotherPositionThanItsReplySaidIsFound() {
        List<Op> ops = valid();
        ops.set(4, append("c", 25, 40, 2)); // said it made the list 2 long, but b came first
        assertTrue(check(ops, "a", "b", "c").stream().anyMatch(s -> s.contains("announced index 1")));
    }

    @Test
    void aReadInAnotherOrderIsFound() {
        List<Op> ops = valid();
        ops.add(read(60, 70, "a", "c", "b"));
        assertTrue(check(ops, "a", "b", "c").stream().anyMatch(s -> s.contains("not a prefix")));
    }

    @Test
    void aStaleReadIsFound() {
        List<Op> ops = valid();
        ops.add(read(60, 70, "a")); // c was acknowledged at 40
        List<String> anomalies = check(ops, "a", "b", "c");
        assertTrue(anomalies.stream().anyMatch(s -> s.contains("stale read")), anomalies.toString());
        assertTrue(anomalies.stream().anyMatch(s -> s.contains("shorter than a read")), anomalies.toString());
    }
}
