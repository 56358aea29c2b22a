package io.redraft.raft.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class BackoffTest {
    @Test
    void doublesFromMinimumToMaximumWithJitterDownToHalf() {
        Random rnd = new Random(1);
        long[] expectedCeiling = {50, 100, 200, 400, 800, 1600, 2000, 2000};
        for (int failures = 0; failures < 100; failures++) {
            long ceiling = expectedCeiling[Math.min(failures, expectedCeiling.length - 1)];
            for (int i = 0; i < 200; i++) {
                long d = Backoff.delayMs(failures, 50, 2000, rnd);
                assertTrue(d <= ceiling && d >= ceiling - ceiling / 2, failures + " failures: " + d);
            }
        }
        // the extremes of the jitter are both reachable
        assertEquals(50, Backoff.delayMs(0, 50, 2000, new Random() { @Override public long nextLong(long bound) { return 0; } }));
        assertEquals(25, Backoff.delayMs(0, 50, 2000, new Random() { @Override public long nextLong(long bound) { return bound - 1; } }));
    }
}
