package io.redraft.raft.net;

import java.util.random.RandomGenerator;

/** Reconnect delays: exponential from a minimum up to a maximum, each jittered down by up to half. */
final class Backoff {
    private Backoff() { }

    /**
     * Delay before reconnect attempt number {@code failures} (0 = first retry after a loss). The
     * jitter keeps the nodes of a restarted cluster from reconnecting in lockstep.
     */
    static long delayMs(int failures, long minMs, long maxMs, RandomGenerator random) {
        long delay = Math.min(maxMs, minMs << Math.min(failures, 30));
        if (delay <= 0) delay = maxMs; // shifted past the sign bit
        return delay - random.nextLong(delay / 2 + 1);
    }
}
