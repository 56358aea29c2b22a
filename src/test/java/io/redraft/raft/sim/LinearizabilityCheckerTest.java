package io.redraft.raft.sim;

import io.redraft.raft.sim.LinearizabilityChecker.Op;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinearizabilityCheckerTest {
    private static final long U = Op.UNKNOWN;

    private static Op w(int key, long v, long inv, long ret) { return new Op(key, true, v, inv, ret); }
    private static Op r(int key, Long v, long inv, long ret) { return new Op(key, false, v, inv, ret); }

    private static boolean ok(Op... ops) { return LinearizabilityChecker.check(List.of(ops)).ok(); }

    @Test void emptyAndSequentialHistoriesAreLinearizable() {
        assertTrue(ok());
        assertTrue(ok(r(0, null, 1, 2), w(0, 1, 3, 4), r(0, 1L, 5, 6), w(0, 2, 7, 8), r(0, 2L, 9, 10)));
    }

    @Test void staleReadAfterCompletedWriteIsNot() {
        assertFalse(ok(w(0, 1, 1, 2), w(0, 2, 3, 4), r(0, 1L, 5, 6)));
        assertFalse(ok(w(0, 1, 1, 2), r(0, null, 3, 4)));
    }

    @Test void concurrentWriteMayBeSeenOrNot() {
        // read overlaps the write: both outcomes are fine
        assertTrue(ok(w(0, 1, 1, 4), r(0, 1L, 2, 3)));
        assertTrue(ok(w(0, 1, 1, 4), r(0, null, 2, 3)));
    }

    @Test void readsMustNotGoBackInTime() {
        // write(1) concurrent with two sequential reads: once a read saw 1, a later one cannot see null
        assertTrue(ok(w(0, 1, 1, 10), r(0, null, 2, 3), r(0, 1L, 4, 5)));
        assertFalse(ok(w(0, 1, 1, 10), r(0, 1L, 2, 3), r(0, null, 4, 5)));
    }

    @Test void unknownWritesMayTakeEffectLateOrNever() {
        assertTrue(ok(w(0, 1, 1, U), r(0, null, 2, 3), r(0, 1L, 4, 5)));
        assertTrue(ok(w(0, 1, 1, U), r(0, null, 2, 3)));
        // but not before they were invoked
        assertFalse(ok(r(0, 1L, 1, 2), w(0, 1, 3, U)));
    }

    @Test void valueNeverWrittenIsNot() {
        assertFalse(ok(w(0, 1, 1, 2), r(0, 7L, 3, 4)));
    }

    @Test void keysAreIndependent() {
        assertTrue(ok(w(0, 1, 1, 2), w(1, 2, 3, 4), r(0, 1L, 5, 6), r(1, 2L, 7, 8)));
        assertFalse(ok(w(0, 1, 1, 2), w(1, 2, 3, 4), r(0, 1L, 5, 6), r(1, null, 7, 8)));
    }

    @Test void manyConcurrentUnobservedWritesStayFast() {
        List<Op> h = new ArrayList<>();
        long t = 1;
        for (int i = 0; i < 40; i++) h.add(w(0, 100 + i, t++, 1000 + i));
        h.add(r(0, 139L, 2000, 2001));
        assertTrue(LinearizabilityChecker.check(h).ok());
    }
}
