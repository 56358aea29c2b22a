package io.redraft.jepsen;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The register checker accepts linearizable histories and rejects known non-linearizable ones. */
@Timeout(30)
class RegisterCheckerTest {
    private static final String K = "k";

    private static Op write(int p, String v, long from, long to) {
        return Op.ok(p, Op.F.WRITE, K, v, from, to, "OK");
    }

    private static Op read(int p, String v, long from, long to) {
        return Op.ok(p, Op.F.READ, K, null, from, to, v);
    }

    private static Op swap(int p, String v, String old, long from, long to) {
        return Op.ok(p, Op.F.SWAP, K, v, from, to, old);
    }

    private static boolean linearizable(Op... ops) {
        RegisterChecker.Result r = RegisterChecker.check(K, List.of(ops));
        assertFalse(r.inconclusive(), r.explanation());
        return r.linearizable();
    }

    @Test
    void sequentialWritesAndReads() {
        assertTrue(linearizable(read(1, null, 0, 1), write(1, "a", 2, 3), read(2, "a", 4, 5), write(2, "b", 6, 7),
                read(1, "b", 8, 9)));
    }

    @Test
    void aStaleReadAfterAnAcknowledgedWriteIsRejected() {
        RegisterChecker.Result r = RegisterChecker.check(K, List.of(write(1, "a", 0, 10), read(2, null, 20, 30)));
        assertFalse(r.linearizable());
        assertTrue(r.explanation().contains("not linearizable"), r.explanation());
    }

    @Test
    void aReadOfAValueNotYetWrittenIsRejected() {
        assertFalse(linearizable(read(1, "a", 5, 15), write(2, "a", 25, 40)));
    }

    @Test
    void concurrentReadsMaySeeEitherSideOfAWrite() {
        assertTrue(linearizable(write(1, "a", 0, 100), read(2, null, 10, 20), read(3, "a", 30, 40)));
    }

    @Test
    void readsDisagreeingOnTheOrderOfTwoConcurrentWritesAreRejected() {
        // a and b written concurrently; one reader sees a then b, the other b then a, in real time.
        assertFalse(linearizable(write(1, "a", 0, 100), write(2, "b", 0, 100),
                read(3, "a", 10, 20), read(3, "b", 30, 40), read(4, "b", 50, 60), read(4, "a", 70, 80)));
    }

    @Test
    void anUnknownWriteMayOrMayNotHaveHappenedButNotBoth() {
        Op unknown = Op.info(1, Op.F.WRITE, K, "a", 0, 10, "TIMEOUT");
        assertTrue(linearizable(unknown, read(2, null, 20, 30)));
        assertTrue(linearizable(unknown, read(2, "a", 20, 30)));
        assertTrue(linearizable(unknown, read(2, null, 20, 30), read(2, "a", 40, 50)), "it may take effect late");
        assertFalse(linearizable(unknown, read(2, "a", 20, 30), read(2, null, 40, 50)), "a write does not un-happen");
    }

    @Test
    void aFailedWriteMustNeverBeSeen() {
        Op failed = Op.fail(1, Op.F.WRITE, K, "a", 0, 10, "CLUSTERDOWN");
        assertTrue(linearizable(failed, read(2, null, 20, 30)));
        assertFalse(linearizable(failed, read(2, "a", 20, 30)));
    }

    @Test
    void twoSwapsReturningTheSameOldValueAreALostUpdate() {
        assertTrue(linearizable(write(1, "a", 0, 10), swap(2, "b", "a", 20, 40), swap(3, "c", "b", 25, 45)));
        assertFalse(linearizable(write(1, "a", 0, 10), swap(2, "b", "a", 20, 40), swap(3, "c", "a", 25, 45)));
    }

    @Test
    void manyConcurrentUnknownWritesStaySearchable() {
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ops.add(Op.info(i, Op.F.WRITE, K, "v" + i, i, i + 1, "TIMEOUT"));
        }
        for (int i = 0; i < 30; i++) {
            ops.add(read(100, "v" + (i % 12), 100 + 10L * i, 105 + 10L * i));
        }
        // The reads cycle through the values: v0 after v11 needs a second write of v0, so this is invalid.
        RegisterChecker.Result r = RegisterChecker.check(K, ops);
        assertFalse(r.inconclusive(), r.explanation());
        assertFalse(r.linearizable());
        // Reading each value once, in any order, is fine.
        assertTrue(RegisterChecker.check(K, ops.subList(0, 24)).valid());
    }
}
