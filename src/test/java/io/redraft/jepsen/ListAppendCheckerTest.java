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

    // Transactions (MULTI/EXEC) over several keys.

    private static Op.Micro ap(String key, String v, long length) {
        return new Op.Micro(Op.F.APPEND, key, v, length);
    }

    private static Op.Micro rd(String key, String... values) {
        return new Op.Micro(Op.F.READ_LIST, key, null, List.of(values));
    }

    private static Op txn(long from, long to, Op.Micro... micro) {
        return Op.txn(4, Op.Status.OK, List.of(micro), from, to, null);
    }

    private static List<String> check(List<Op> ops, Map<String, List<String>> fin) {
        return ListAppendChecker.check(ops, fin);
    }

    @Test
    void validTransactionsPass() {
        List<Op> ops = List.of(
                txn(0, 10, ap("x", "1", 1), ap("y", "2", 1), rd("x", "1")),
                txn(5, 20, rd("y", "2"), ap("y", "3", 2), rd("y", "2", "3"), rd("x", "1")),
                Op.txn(5, Op.Status.INFO, List.of(ap("x", "4", 0), ap("y", "5", 0)), 21, 30, "TIMEOUT"),
                txn(31, 40, rd("x", "1", "4"), rd("y", "2", "3", "5")));
        assertEquals(List.of(), check(ops, Map.of("x", List.of("1", "4"), "y", List.of("2", "3", "5"))));
    }

    @Test
    void aPartiallyAppliedTransactionIsFound() {
        List<Op> ops = List.of(Op.txn(5, Op.Status.INFO, List.of(ap("x", "1", 0), ap("y", "2", 0)), 0, 10, "TIMEOUT"));
        List<String> anomalies = check(ops, Map.of("x", List.of("1"), "y", List.of()));
        assertTrue(anomalies.stream().anyMatch(s -> s.contains("partially applied")), anomalies.toString());
    }

    @Test
    void aReadThatMissesItsOwnTransactionsAppendIsFound() {
        List<Op> ops = List.of(txn(0, 10, ap("x", "1", 1), rd("x")));
        List<String> anomalies = check(ops, Map.of("x", List.of("1")));
        assertTrue(anomalies.stream().anyMatch(s -> s.contains("previous operation on the key")), anomalies.toString());
    }

    @Test
    void anIntermediateReadIsFound() {
        List<Op> ops = List.of(txn(0, 10, ap("x", "1", 1), ap("x", "2", 2)), txn(0, 10, rd("x", "1")));
        List<String> anomalies = check(ops, Map.of("x", List.of("1", "2")));
        assertTrue(anomalies.stream().anyMatch(s -> s.contains("intermediate read")), anomalies.toString());
    }

    @Test
    void aFracturedReadIsACycle() {
        // T1 appends to x and y at once; T2 sees T1's x but not its y.
        List<Op> ops = List.of(txn(0, 10, ap("x", "1", 1), ap("y", "2", 1)), txn(0, 10, rd("x", "1"), rd("y")));
        List<String> anomalies = check(ops, Map.of("x", List.of("1"), "y", List.of("2")));
        assertTrue(anomalies.stream().anyMatch(s -> s.contains("cycle")), anomalies.toString());
    }

    @Test
    void writeSkewIsACycle() {
        // Each transaction reads the key the other appends to and misses the other's append.
        List<Op> ops = List.of(txn(0, 10, rd("y"), ap("x", "1", 1)), txn(0, 10, rd("x"), ap("y", "2", 1)));
        List<String> anomalies = check(ops, Map.of("x", List.of("1"), "y", List.of("2")));
        assertTrue(anomalies.stream().anyMatch(s -> s.contains("cycle")), anomalies.toString());
    }

    @Test
    void anAppendOrderedBeforeAnEarlierAcknowledgedOneIsFound() {
        List<Op> ops = List.of(txn(0, 10, ap("x", "1", 2)), txn(20, 30, ap("x", "2", 1)));
        List<String> anomalies = check(ops, Map.of("x", List.of("2", "1")));
        assertTrue(anomalies.stream().anyMatch(s -> s.contains("acknowledged before it began")), anomalies.toString());
    }
}
